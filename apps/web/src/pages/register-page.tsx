import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { ApiError, errorText } from '../api/api-error';
import type { SetupState } from '../api/setup-state';
import { ErrorAlert } from '../components/error-alert';
import { PasswordRules } from '../components/password-rules';
import { field } from '../form-field';
import { messages } from '../messages';

const m = messages.register;

/** The rules are shown before the first try, so nobody has to fail them to learn them. */
export function RegisterPage({
  rules,
  onCreated,
}: {
  rules: SetupState['passwordRules'];
  onCreated: () => void;
}) {
  const { route } = useLocation();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const displayName = field(form, 'displayName').trim();
    setBusy(true);
    setError(undefined);
    try {
      const response = await fetch('/api/v1/auth/register', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          email: field(form, 'email'),
          password: field(form, 'password'),
          ...(displayName ? { displayName } : {}),
        }),
      }).catch(() => {
        throw ApiError.network();
      });
      if (!response.ok) {
        throw ApiError.fromBody(
          response.status,
          await response.json().catch(() => null),
          response.headers.get('Retry-After'),
        );
      }
      onCreated();
      route('/sign-in', true);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card">
      <h1>{m.title}</h1>
      <ErrorAlert message={error} />
      <form onSubmit={(event) => void submit(event)}>
        <label for="email">{m.email}</label>
        <input id="email" name="email" type="email" autoComplete="email" required />
        <label for="displayName">{m.displayName}</label>
        <input
          id="displayName"
          name="displayName"
          type="text"
          autoComplete="name"
          maxLength={100}
        />
        <label for="password">{m.password}</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={rules.minLength}
          maxLength={rules.maxLength}
          aria-describedby="password-rules"
          required
        />
        <PasswordRules id="password-rules" rules={rules} />
        <button type="submit" disabled={busy}>
          {busy ? m.submitting : m.submit}
        </button>
      </form>
      <p>
        {m.haveAccount} <a href="/sign-in">{m.signIn}</a>
      </p>
    </section>
  );
}
