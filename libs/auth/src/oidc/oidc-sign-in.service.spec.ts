import type { SecurityEventsService } from '@strongroom/audit';
import type { AppConfig, OidcConfig } from '@strongroom/config';
import type { PasswordHasher, UsersService } from '@strongroom/users';
import type { LoginLockoutService } from '../lockout/login-lockout.service';
import type { SessionIssuer } from '../tokens/session-issuer.service';
import type { OidcAttemptStore } from './oidc-attempt.store';
import type { OidcGroupSync } from './oidc-group-sync';
import type { OidcIdentityService } from './oidc-identity.service';
import type { OidcProviderClient } from './oidc-provider.client';
import { OidcSignInService } from './oidc-sign-in.service';
import type { SsoFailure } from './sso-failure';

const settings: OidcConfig = {
  issuer: 'https://login.example.com',
  clientId: 'strongroom',
  redirectUrl: 'https://files.example.com/api/v1/auth/oidc/callback',
  scopes: 'openid email profile',
  roleMap: [],
  accessValues: [],
  jitProvisioning: true,
  only: false,
  breakGlassEmails: [],
  displayName: 'SSO',
  clockToleranceMs: 30_000,
};
const ATTEMPT = { state: 's', nonce: 'n', codeVerifier: 'v', mode: 'login' as const };

/** First sign-ins of identities nobody linked yet, with the provider's claims as given. */
function firstSignIn(claims: Record<string, unknown>, overrides: Partial<OidcConfig> = {}) {
  const users = { createFederated: jest.fn(), findById: jest.fn() };
  const events = { record: jest.fn().mockResolvedValue(undefined) };
  const service = new OidcSignInService(
    { oidc: { ...settings, ...overrides } } as AppConfig,
    {
      verifyCallback: jest.fn().mockResolvedValue({
        issuer: settings.issuer,
        subject: 'sub-1',
        claims: { iss: settings.issuer, sub: 'sub-1', ...claims },
      }),
    } as unknown as OidcProviderClient,
    { take: jest.fn().mockResolvedValue(ATTEMPT) } as unknown as OidcAttemptStore,
    { find: jest.fn().mockResolvedValue(null) } as unknown as OidcIdentityService,
    users as unknown as UsersService,
    {} as SessionIssuer,
    events as unknown as SecurityEventsService,
    {} as PasswordHasher,
    {} as LoginLockoutService,
    { apply: jest.fn() } as unknown as OidcGroupSync,
  );
  const outcome = service
    .finish('handle', { raw: 'code=c&state=s', state: 's' }, { ip: '127.0.0.1', requestId: 'r' })
    .then(
      () => 'signed in',
      (error: SsoFailure) => error.code,
    );
  return { outcome, users, events };
}

describe('OidcSignInService: the first sign-in of an identity', () => {
  it('creates no account when JIT provisioning is off', async () => {
    const run = firstSignIn({ email: 'ada@example.com' }, { jitProvisioning: false });
    expect(await run.outcome).toBe('not_provisioned');
    expect(run.users.createFederated).not.toHaveBeenCalled();
    expect(run.events.record).toHaveBeenCalledWith(
      expect.objectContaining({
        type: 'sso_login_failed',
        details: { mode: 'login', reason: 'not_provisioned' },
      }),
    );
  });

  it.each([
    ['no email claim', {}],
    [
      'an email the provider says is unverified',
      { email: 'ada@example.com', email_verified: false },
    ],
    ['an email that is not an address', { email: 'ada' }],
  ])('creates no account from %s', async (_, claims) => {
    const run = firstSignIn(claims);
    expect(await run.outcome).toBe('email_missing');
    expect(run.users.createFederated).not.toHaveBeenCalled();
  });
});
