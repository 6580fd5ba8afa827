import { lazy, LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { type Me, session } from './api/session';
import { loadSetupState, type SetupState } from './api/setup-state';
import { ErrorAlert } from './components/error-alert';
import { Layout } from './components/layout';
import { messages } from './messages';
import { FilesPage } from './pages/files-page';
import { NotFoundPage } from './pages/not-found-page';
import { RegisterPage } from './pages/register-page';
import { SecurityPage } from './pages/security-page';
import { SetupPage } from './pages/setup-page';
import { SharedPage } from './pages/shared-page';
import { UploadRequestsPage } from './pages/upload-requests-page';
import { mayAdminister, mayAudit } from './roles';
import { SignInPage } from './pages/sign-in-page';
import { useSession } from './use-session';

// Pages not everyone opens in a visit: their code loads when first opened.
const BundlesPage = lazy(() => import('./pages/bundles-page').then((page) => page.BundlesPage));
const AdminOverviewPage = lazy(() =>
  import('./pages/admin-overview-page').then((page) => page.AdminOverviewPage),
);
const AdminUsersPage = lazy(() =>
  import('./pages/admin-users-page').then((page) => page.AdminUsersPage),
);
const AdminGroupsPage = lazy(() =>
  import('./pages/admin-groups-page').then((page) => page.AdminGroupsPage),
);
const AdminLinkPoliciesPage = lazy(() =>
  import('./pages/admin-link-policies-page').then((page) => page.AdminLinkPoliciesPage),
);
const AuditPage = lazy(() => import('./pages/audit-page').then((page) => page.AuditPage));

/** The pages only some roles may see: who, and their title. */
const restrictedPages: Record<string, { may: (role: Me['role']) => boolean; title: string }> = {
  '/admin': { may: mayAdminister, title: messages.admin.overview.title },
  '/admin/users': { may: mayAdminister, title: messages.admin.users.title },
  '/admin/groups': { may: mayAdminister, title: messages.admin.groups.title },
  '/admin/link-policies': { may: mayAdminister, title: messages.admin.linkPolicies.title },
  '/audit': { may: mayAudit, title: messages.audit.title },
};

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
      : (state.notice ?? (state.ended ? messages.signIn.sessionEnded : undefined));
    return <SignInPage registrationOpen={open} notice={notice} />;
  }
  // A page a role may not see is not found, as the API answers for what a caller may not see.
  const { me } = state;
  const allowed = (path: string) => restrictedPages[path].may(me.role);
  return (
    <Router>
      <Route path="/files" component={() => <FilesPage me={state.me} />} />
      <Route path="/shared" component={SharedPage} />
      <Route path="/bundles" component={BundlesPage} />
      <Route path="/requests" component={UploadRequestsPage} />
      <Route path="/settings/security" component={() => <SecurityPage me={state.me} />} />
      <Route
        path="/admin"
        component={() => (allowed('/admin') ? <AdminOverviewPage /> : <NotFoundPage />)}
      />
      <Route
        path="/admin/users"
        component={() => (allowed('/admin/users') ? <AdminUsersPage me={me} /> : <NotFoundPage />)}
      />
      <Route
        path="/admin/groups"
        component={() => (allowed('/admin/groups') ? <AdminGroupsPage /> : <NotFoundPage />)}
      />
      <Route
        path="/admin/link-policies"
        component={() =>
          allowed('/admin/link-policies') ? <AdminLinkPoliciesPage /> : <NotFoundPage />
        }
      />
      <Route
        path="/audit"
        component={() => (allowed('/audit') ? <AuditPage /> : <NotFoundPage />)}
      />
      <Route path="/" component={() => <p role="status">{messages.loading}</p>} />
      <Route default component={NotFoundPage} />
    </Router>
  );

  function titleFor(current: string): string {
    if (state.status !== 'signed-in')
      return current === '/register' ? messages.register.title : messages.signIn.title;
    if (current === '/shared') return messages.shared.title;
    if (current === '/bundles') return messages.bundles.title;
    if (current === '/requests') return messages.uploadRequests.title;
    if (current === '/settings/security') return messages.security.title;
    const restricted = restrictedPages[current];
    if (restricted)
      return restricted.may(state.me.role) ? restricted.title : messages.notFound.title;
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
