import { useEffect, useState } from 'preact/hooks';
import { session } from '../api/session';
import { loadSetupState, type SetupState } from '../api/setup-state';
import { messages } from '../messages';
import { ErrorAlert } from './error-alert';

const m = messages.sso;

/**
 * "Sign in with <provider>" when the server has single sign-on, and why the last attempt failed
 * when the server's callback sent the browser back with `?sso_error=<code>`. A plain link: the
 * flow is top-level navigations through the provider and back.
 */
export function SsoSignIn() {
  const [sso, setSso] = useState<SetupState['sso']>();
  const code = new URLSearchParams(location.search).get('sso_error');

  useEffect(() => {
    loadSetupState()
      .then((state) => setSso(state.sso))
      .catch(() => setSso(undefined));
  }, []);

  return (
    <>
      <ErrorAlert message={code ? (m.errors[code] ?? m.errors.unknown) : undefined} />
      {sso?.enabled && (
        <p>
          {/* _top: the router leaves the click to the browser, which must leave the app. */}
          <a
            class="button"
            href="/api/v1/auth/oidc/login"
            target="_top"
            onClick={() => session.expectCookieSignIn()}
          >
            {m.button(sso.displayName ?? 'SSO')}
          </a>
        </p>
      )}
    </>
  );
}
