import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import { session } from '../api/session';
import { ErrorAlert } from '../components/error-alert';
import { SsoSignIn } from '../components/sso-sign-in';
import { field } from '../form-field';
import { messages } from '../messages';

const m = messages.signIn;

export function SignInPage({
  registrationOpen,
  notice,
}: {
  registrationOpen: boolean;
  notice?: string;
}) {
  const { route } = useLocation();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      await session.signIn(field(form, 'email'), field(form, 'password'));
      route('/files', true);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : messages.errors.unexpected);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card">
      <h1>{m.title}</h1>
      {notice && (
        <p class="alert info" role="status">
          {notice}
        </p>
      )}
      <ErrorAlert message={error} />
      <SsoSignIn />
      <form onSubmit={(event) => void submit(event)}>
        <label for="email">{m.email}</label>
        <input id="email" name="email" type="email" autoComplete="username" required />
        <label for="password">{m.password}</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <button type="submit" disabled={busy}>
          {busy ? m.submitting : m.submit}
        </button>
      </form>
      {registrationOpen && (
        <p>
          {m.noAccount} <a href="/register">{m.register}</a>
        </p>
      )}
    </section>
  );
}
