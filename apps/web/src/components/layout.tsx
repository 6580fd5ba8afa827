import type { ComponentChildren } from 'preact';
import { session } from '../api/session';
import { messages } from '../messages';
import { useSession } from '../use-session';
import { useLocation } from 'preact-iso';
import { mayAdminister, mayAudit } from '../roles';

const m = messages;

export function Layout({ children }: { children: ComponentChildren }) {
  const state = useSession();
  const { path } = useLocation();
  const current = (href: string) => (path === href ? 'page' : undefined);
  return (
    <>
      <a class="skip" href="#main">
        {m.skipToContent}
      </a>
      <header class="top">
        <a class="brand" href="/">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          {m.appName}
        </a>
        {state.status === 'signed-in' && (
          <nav aria-label={m.nav.label}>
            <a href="/files" aria-current={current('/files')}>
              {m.nav.files}
            </a>
            <a href="/shared" aria-current={current('/shared')}>
              {m.nav.shared}
            </a>
            <a href="/bundles" aria-current={current('/bundles')}>
              {m.bundles.nav}
            </a>
            <a href="/requests" aria-current={current('/requests')}>
              {m.uploadRequests.nav}
            </a>
            <a href="/settings/security" aria-current={current('/settings/security')}>
              {m.security.nav}
            </a>
            {mayAdminister(state.me.role) && (
              <>
                <a href="/admin" aria-current={current('/admin')}>
                  {m.admin.nav.overview}
                </a>
                <a href="/admin/users" aria-current={current('/admin/users')}>
                  {m.admin.nav.users}
                </a>
                <a href="/admin/groups" aria-current={current('/admin/groups')}>
                  {m.admin.nav.groups}
                </a>
                <a href="/admin/link-policies" aria-current={current('/admin/link-policies')}>
                  {m.admin.nav.linkPolicies}
                </a>
              </>
            )}
            {mayAudit(state.me.role) && (
              <a href="/audit" aria-current={current('/audit')}>
                {m.admin.nav.audit}
              </a>
            )}
            <span class="who">{m.nav.signedInAs(state.me.email)}</span>
            <button type="button" class="link" onClick={() => void session.signOut()}>
              {m.nav.signOut}
            </button>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
