import { useState } from 'preact/hooks';
import { passkeysSupported, signInWithPasskey } from '../api/passkeys';
import { messages } from '../messages';
import { ErrorAlert } from './error-alert';
import { passkeyErrorMessage } from './passkey-errors';

const m = messages.passkeys;

/**
 * "Sign in with a passkey": the browser offers this site's passkeys, and the person ends signed
 * in without typing anything. Renders nothing in a browser without WebAuthn.
 */
export function PasskeySignInButton({ onSignedIn }: { onSignedIn?: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  if (!passkeysSupported()) return null;

  async function signIn() {
    setBusy(true);
    setError(undefined);
    try {
      await signInWithPasskey();
      onSignedIn?.();
    } catch (caught) {
      setError(passkeyErrorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="passkey-sign-in">
      <ErrorAlert message={error} />
      <button type="button" class="secondary" disabled={busy} onClick={() => void signIn()}>
        {busy ? m.signingIn : m.signIn}
      </button>
    </div>
  );
}
