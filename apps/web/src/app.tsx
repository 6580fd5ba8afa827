import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { session } from './api/session';
import { loadSetupState, type SetupState } from './api/setup-state';
import { ErrorAlert } from './components/error-alert';
import { Layout } from './components/layout';
import { messages } from './messages';
import { FilesPage } from './pages/files-page';
import { PasskeysSection } from './components/passkeys-section';
import { NotFoundPage } from './pages/not-found-page';
import { RegisterPage } from './pages/register-page';
import { SetupPage } from './pages/setup-page';
import { SharedPage } from './pages/shared-page';
import { SignInPage } from './pages/sign-in-page';
import { useSession } from './use-session';

/** Where an address leads depends on who is asking: signed out, every page is the sign-in. */
function Pages({
  setup,
  onCreated,
  created,
}: {
  setup: SetupState;
  onCreated: () => void;
  created: boolean;
}) {
  const state = useSession();
  const { path, route } = useLocation();

  useEffect(() => {
    if (
      state.status === 'signed-in' &&
      (path === '/' || path === '/sign-in' || path === '/register')
    )
      route('/files', true);
  }, [state.status, path]);

  useEffect(() => {
    document.title = `${titleFor(path)} · ${messages.appName}`;
  }, [path, state.status]);

  if (state.status === 'unknown') return <p role="status">{messages.loading}</p>;
  if (state.status === 'signed-out') {
    const open = setup.registration === 'open';
    if (open && path === '/register')
      return <RegisterPage rules={setup.passwordRules} onCreated={onCreated} />;
    const notice = created
      ? messages.register.created
      : state.ended
        ? messages.signIn.sessionEnded
        : undefined;
    return <SignInPage registrationOpen={open} notice={notice} />;
  }
  return (
    <Router>
      <Route path="/files" component={() => <FilesPage me={state.me} />} />
      <Route path="/shared" component={SharedPage} />
      {/* Until the security settings page embeds the section. */}
      <Route path="/settings/passkeys" component={PasskeysSection} />
      <Route path="/" component={() => <p role="status">{messages.loading}</p>} />
      <Route default component={NotFoundPage} />
    </Router>
  );

  function titleFor(current: string): string {
    if (state.status !== 'signed-in')
      return current === '/register' ? messages.register.title : messages.signIn.title;
    if (current === '/shared') return messages.shared.title;
    if (current === '/settings/passkeys') return messages.passkeys.title;
    return current === '/files' || current === '/' ? messages.files.title : messages.notFound.title;
  }
}

export function App() {
  const [setup, setSetup] = useState<SetupState>();
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState(false);

  useEffect(() => {
    loadSetupState().then(setSetup, () => setError(messages.errors.network));
    void session.restore();
  }, []);

  return (
    <LocationProvider>
      <Layout>
        <ErrorAlert message={error} />
        {setup && !setup.hasUsers ? (
          <SetupPage />
        ) : setup ? (
          <Pages setup={setup} created={created} onCreated={() => setCreated(true)} />
        ) : (
          !error && <p role="status">{messages.loading}</p>
        )}
      </Layout>
    </LocationProvider>
  );
}
