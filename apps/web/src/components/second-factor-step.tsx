import { useState } from 'preact/hooks';
import { errorText } from '../api/api-error';
import { type SecondStep, session } from '../api/session';
import { field } from '../form-field';
import { messages } from '../messages';
import { useDeadline } from '../use-deadline';
import { ErrorAlert } from './error-alert';
import { OneTimeCodeField } from './one-time-code-field';

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

  const switchTo = (next: 'totp' | 'recovery') => {
    setError(undefined);
    setMethod(next);
  };

  return (
    <section class="card">
      <h1>{m.title}</h1>
      <p>{method === 'totp' ? m.codeIntro : m.recoveryIntro}</p>
      <ErrorAlert message={error} />
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
      <p>
        <button
          type="button"
          class="link"
          onClick={() => switchTo(method === 'totp' ? 'recovery' : 'totp')}
        >
          {method === 'totp' ? m.useRecovery : m.useApp}
        </button>
      </p>
      <p>
        <button type="button" class="link" onClick={() => onRestart()}>
          {m.startOver}
        </button>
      </p>
    </section>
  );
}
