/**
 * A real OpenID provider on loopback for single sign-on tests: oidc-provider-mock (PyPI, installed
 * by `npm run python-tools:build`). Any client id and secret are accepted; a test sets a subject's
 * claims with PUT /users/<sub> and signs in as it by posting the authorize form with that sub.
 */
import path from 'node:path';
import { createTempDir, freeLoopbackPort, ServerProcess } from '@strongroom/testing';

const LOOPBACK = '127.0.0.1';
import type { TestApp } from './test-app';
import { requirePythonTool } from './python-tools';

export interface MockOidcProvider {
  /** http://127.0.0.1:<port>, the issuer its tokens carry. */
  issuer: string;
  setClaims(sub: string, claims: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export async function startOidcProvider(
  options: { tokenMaxAgeSeconds?: number } = {},
): Promise<MockOidcProvider> {
  const python = requirePythonTool('oidc-provider-mock');
  const port = await freeLoopbackPort();
  const logs = await createTempDir('oidc-provider');
  const args = ['-m', 'oidc_provider_mock', '--host', LOOPBACK, '--port', String(port)];
  if (options.tokenMaxAgeSeconds !== undefined) {
    args.push('--token-max-age', String(options.tokenMaxAgeSeconds));
  }
  const server = ServerProcess.spawn({
    name: 'oidc-provider-mock',
    binary: python,
    args,
    logFile: path.join(logs.path, 'oidc-provider.log'),
  });
  const issuer = `http://${LOOPBACK}:${port}`;
  await server.waitUntilReady(async () => {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`).catch(() => null);
    return response?.ok === true;
  }, 20_000);
  return {
    issuer,
    async setClaims(sub, claims) {
      const response = await fetch(`${issuer}/users/${encodeURIComponent(sub)}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(claims),
      });
      if (response.status !== 204) throw new Error(`setting claims answered ${response.status}`);
    },
    async stop() {
      await server.stop();
      await logs.remove();
    },
  };
}

/** The OIDC_* variables that point an app at the provider. */
export function oidcEnv(provider: MockOidcProvider, extra: Record<string, string> = {}) {
  return {
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: 'strongroom',
    OIDC_CLIENT_SECRET: 'mock-provider-accepts-any-secret',
    OIDC_DISPLAY_NAME: 'Acme Login',
    ...extra,
  };
}

const cookieNamed = (setCookie: string[] | undefined, name: string): string | undefined =>
  setCookie?.find((line) => line.startsWith(`${name}=`))?.split(';')[0];

export interface SsoRun {
  /** Where our callback sent the browser. */
  location: string;
  /** The refresh cookie (name=value) when the sign-in succeeded. */
  refreshCookie?: string;
  /** The callback request, to replay it. */
  callbackPath: string;
  attemptCookie: string;
}

export interface SsoSteps {
  /** Alters the provider's authorization URL before the "browser" follows it. */
  tamper?: (authorizationUrl: URL) => void;
  /** Start with this instead of GET /auth/oidc/login (the link route's answer). */
  started?: { authorizationUrl: string; attemptCookie: string };
  /** Send this cookie to the callback instead of the one login set. */
  attemptCookie?: string;
}

/** Starts the flow at the login route, and follows it as a browser would, as subject `sub`. */
export async function startSso(
  t: TestApp,
): Promise<{ authorizationUrl: string; attemptCookie: string }> {
  const start = await t.http().get('/api/v1/auth/oidc/login').expect(302);
  const attemptCookie = cookieNamed(start.get('Set-Cookie'), 'strongroom_oidc');
  if (!attemptCookie)
    throw new Error(`login set no attempt cookie; went to ${start.headers.location}`);
  return { authorizationUrl: start.headers.location, attemptCookie };
}

/** The provider's redirect back to us after `sub` signs in on its authorize form. */
export async function authorizeAt(authorizationUrl: string, sub: string): Promise<URL> {
  const answer = await fetch(authorizationUrl, {
    method: 'POST',
    body: new URLSearchParams({ sub }),
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) {
    throw new Error(`the provider answered ${answer.status}: ${await answer.text()}`);
  }
  return new URL(location);
}

export async function ssoSignIn(t: TestApp, sub: string, steps: SsoSteps = {}): Promise<SsoRun> {
  const started = steps.started ?? (await startSso(t));
  const authorizationUrl = new URL(started.authorizationUrl);
  steps.tamper?.(authorizationUrl);
  const callback = await authorizeAt(authorizationUrl.href, sub);
  return finishSso(
    t,
    `${callback.pathname}${callback.search}`,
    steps.attemptCookie ?? started.attemptCookie,
  );
}

export async function finishSso(
  t: TestApp,
  callbackPath: string,
  attemptCookie: string,
): Promise<SsoRun> {
  const done = await t.http().get(callbackPath).set('Cookie', attemptCookie).expect(302);
  return {
    location: done.headers.location,
    refreshCookie: cookieNamed(done.get('Set-Cookie'), 'strongroom_refresh'),
    callbackPath,
    attemptCookie,
  };
}

/** Trades the refresh cookie for tokens, as the web app does on load. */
export async function refreshWithCookie(t: TestApp, refreshCookie: string) {
  const response = await t
    .http()
    .post('/api/v1/auth/refresh')
    .set('Cookie', refreshCookie)
    .set('Origin', new URL(t.config.http.publicUrl).origin)
    .send({})
    .expect(200);
  return response.body as { accessToken: string };
}
