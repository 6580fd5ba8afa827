import { useState } from 'preact/hooks';
import { errorText } from '../api/api-error';
import type { TotpEnrolment } from '../api/session';
import { field } from '../form-field';
import { messages } from '../messages';
import { ErrorAlert } from './error-alert';
import { OneTimeCodeField } from './one-time-code-field';
import { QrCode } from './qr-code';

const m = messages.totpSetup;

/** The secret in groups of four, as authenticator apps accept it typed. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/**
 * Adding the authenticator app: the secret as a QR code and as text to type, then a first code
 * that proves the app has it. `confirm` answers the recovery codes.
 */
export function TotpSetup({
  enrolment,
  confirm,
  onConfirmed,
}: {
  enrolment: TotpEnrolment;
  confirm: (code: string) => Promise<string[]>;
  onConfirmed: (recoveryCodes: string[]) => void;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const code = field(new FormData(event.currentTarget as HTMLFormElement), 'code').trim();
    setBusy(true);
    setError(undefined);
    try {
      onConfirmed(await confirm(code));
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  }

  return (
    <div class="totp-setup">
      <ol class="steps">
        <li>
          <p>{m.scan}</p>
          <QrCode text={enrolment.otpauthUrl} label={m.qrLabel} />
          <p id="totp-secret-label">{m.manual}</p>
          <p>
            <code class="secret" aria-labelledby="totp-secret-label" data-testid="totp-secret">
              {grouped(enrolment.secret)}
            </code>
          </p>
        </li>
        <li>
          <p>{m.confirm}</p>
          <ErrorAlert message={error} />
          <form onSubmit={(event) => void submit(event)}>
            <OneTimeCodeField
              id="totp-confirm-code"
              kind="totp"
              label={messages.secondFactor.code}
              hint={messages.secondFactor.codeHint}
            />
            <button type="submit" disabled={busy}>
              {busy ? m.submitting : m.submit}
            </button>
          </form>
        </li>
      </ol>
    </div>
  );
}
