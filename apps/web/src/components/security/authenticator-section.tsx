import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../api/api-error';
import {
  confirmTotp,
  disableTotp,
  enrolTotp,
  loadTotpState,
  type TotpState,
} from '../../api/security';
import type { TotpEnrolment } from '../../api/session';
import { field } from '../../form-field';
import { formatDate } from '../../format';
import { messages } from '../../messages';
import { OneTimeCodeField } from '../one-time-code-field';
import { RecoveryCodes } from '../recovery-codes';
import { SectionStatus } from '../section-status';
import { TotpSetup } from '../totp-setup';

const m = messages.security.totp;

type Mode =
  | { kind: 'view' }
  | { kind: 'setup'; enrolment: TotpEnrolment }
  | { kind: 'codes'; codes: string[] };

/** The authenticator app (TOTP): set it up with its recovery codes, or turn it off. */
export function AuthenticatorSection() {
  const [state, setState] = useState<TotpState>();
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  const reload = () =>
    loadTotpState().then(setState, (caught: unknown) => setError(errorText(caught)));
  useEffect(() => void reload(), []);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await work();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  const start = () => run(async () => setMode({ kind: 'setup', enrolment: await enrolTotp() }));

  const saved = () =>
    run(async () => {
      await reload();
      setMode({ kind: 'view' });
      setNotice(m.enabled);
    });

  const disable = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    void run(async () => {
      await disableTotp(field(data, 'password'), field(data, 'code').trim());
      form.reset();
      await reload();
      setNotice(m.disabled);
    });
  };

  return (
    <section class="panel" aria-labelledby="totp-title">
      <h2 id="totp-title">{m.title}</h2>
      <SectionStatus error={error} notice={notice} />
      {mode.kind === 'setup' ? (
        <>
          <TotpSetup
            enrolment={mode.enrolment}
            confirm={confirmTotp}
            onConfirmed={(codes) => setMode({ kind: 'codes', codes })}
          />
          <button type="button" class="secondary" onClick={() => setMode({ kind: 'view' })}>
            {m.cancel}
          </button>
        </>
      ) : mode.kind === 'codes' ? (
        <RecoveryCodes codes={mode.codes} onDone={() => void saved()} Heading="h3" />
      ) : !state ? (
        !error && <p role="status">{messages.loading}</p>
      ) : state.enabled ? (
        <>
          <p>{m.on(formatDate(state.confirmedAt ?? ''), state.recoveryCodesLeft)}</p>
          <p>{m.disableIntro}</p>
          <form onSubmit={disable}>
            <label for="totp-disable-password">{m.password}</label>
            <input
              id="totp-disable-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
            />
            <OneTimeCodeField id="totp-disable-code" kind="either" label={m.code} />
            <button type="submit" class="danger" disabled={busy}>
              {busy ? m.disabling : m.disable}
            </button>
          </form>
        </>
      ) : (
        <>
          <p>{m.off}</p>
          <button type="button" disabled={busy} onClick={() => void start()}>
            {busy ? messages.totpSetup.starting : messages.totpSetup.start}
          </button>
        </>
      )}
    </section>
  );
}
