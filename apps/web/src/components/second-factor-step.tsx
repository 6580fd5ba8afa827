import { useState } from 'preact/hooks';
import { errorText } from '../api/api-error';
import { verifyWithPasskey } from '../api/passkeys';
import { type SecondStep, session } from '../api/session';
import { field } from '../form-field';
import { messages } from '../messages';
import { useDeadline } from '../use-deadline';
import { ErrorAlert } from './error-alert';
import { OneTimeCodeField } from './one-time-code-field';
import { passkeyErrorMessage } from './passkey-errors';

const m = messages.secondFactor;

/** The code step of sign-in: an authenticator code, or a recovery code when the phone is gone. */
export function SecondFactorStep({
  challenge,
  onSignedIn,
  onRestart,
}: {
  challenge: SecondStep;
  onSignedIn: () => void;
  onRestart: (notice?: string) => void;
}) {
  const [method, setMethod] = useState<'totp' | 'recovery'>('totp');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useDeadline(challenge.expiresIn, () => onRestart(m.expired));

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const code = field(new FormData(form), 'code').trim();
    setBusy(true);
    setError(undefined);
    try {
      await session.verifySecondFactor(challenge.mfaToken, code);
      onSignedIn();
    } catch (caught) {
      setError(errorText(caught));
      form.reset();
      setBusy(false);
    }
  }

  async function verifyByPasskey() {
    setBusy(true);
    setError(undefined);
    try {
      await verifyWithPasskey(challenge.mfaToken);
      onSignedIn();
    } catch (caught) {
      setError(passkeyErrorMessage(caught));
      setBusy(false);
    }
  }

  const hasCode = challenge.methods.includes('totp');
  const hasPasskey = challenge.methods.includes('passkey');
  const switchTo = (next: 'totp' | 'recovery') => {
    setError(undefined);
    setMethod(next);
  };

  return (
    <section class="card">
      <h1>{m.title}</h1>
      <ErrorAlert message={error} />
      {hasPasskey && (
        <p>
          <button
            type="button"
            class={hasCode ? 'secondary' : undefined}
            disabled={busy}
            onClick={() => void verifyByPasskey()}
          >
            {m.usePasskey}
          </button>
        </p>
      )}
      {hasCode && <p>{method === 'totp' ? m.codeIntro : m.recoveryIntro}</p>}
      {hasCode && (
        <form onSubmit={(event) => void submit(event)} key={method}>
          {method === 'totp' ? (
            <OneTimeCodeField id="code" kind="totp" label={m.code} hint={m.codeHint} autoFocus />
          ) : (
            <OneTimeCodeField
              id="recovery-code"
              kind="recovery"
              label={m.recoveryCode}
              hint={m.recoveryHint}
              autoFocus
            />
          )}
          <button type="submit" disabled={busy}>
            {busy ? m.submitting : m.submit}
          </button>
        </form>
      )}
      {hasCode && (
        <p>
          <button
            type="button"
            class="link"
            onClick={() => switchTo(method === 'totp' ? 'recovery' : 'totp')}
          >
            {method === 'totp' ? m.useRecovery : m.useApp}
          </button>
        </p>
      )}
      <p>
        <button type="button" class="link" onClick={() => onRestart()}>
          {m.startOver}
        </button>
      </p>
    </section>
  );
}
