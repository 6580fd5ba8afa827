import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../api/api-error';
import { changePassword } from '../../api/security';
import { session } from '../../api/session';
import { loadSetupState, type SetupState } from '../../api/setup-state';
import { field } from '../../form-field';
import { messages } from '../../messages';
import { ErrorAlert } from '../error-alert';
import { PasswordRules } from '../password-rules';

const m = messages.security.password;

/** Changing the password ends every session, so the person signs in again with the new one. */
export function PasswordSection() {
  const [rules, setRules] = useState<SetupState['passwordRules']>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    loadSetupState().then(
      (setup) => setRules(setup.passwordRules),
      () => undefined,
    );
  }, []);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      await changePassword(field(data, 'currentPassword'), field(data, 'newPassword'));
      await session.signOut(m.changed);
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  }

  return (
    <section class="panel" aria-labelledby="password-title">
      <h2 id="password-title">{m.title}</h2>
      <p>{m.intro}</p>
      <ErrorAlert message={error} />
      <form onSubmit={(event) => void submit(event)}>
        <label for="current-password">{m.current}</label>
        <input
          id="current-password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
        />
        <label for="new-password">{m.next}</label>
        <input
          id="new-password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          minLength={rules?.minLength}
          maxLength={rules?.maxLength}
          aria-describedby={rules ? 'new-password-rules' : undefined}
          required
        />
        {rules && (
          <PasswordRules id="new-password-rules" rules={rules} title={m.rulesTitle} Heading="h3" />
        )}
        <button type="submit" disabled={busy}>
          {busy ? m.submitting : m.submit}
        </button>
      </form>
    </section>
  );
}
