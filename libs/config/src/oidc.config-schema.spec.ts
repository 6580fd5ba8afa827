import {
  parseTestEnvironment as parse,
  configProblems as problemsOf,
} from './config-environment.fixture';

const PRODUCTION = {
  ENVIRONMENT: 'production',
  MONGO_URL: 'mongodb://db/strongroom',
  SECRET_KEY: 's'.repeat(40),
  ALLOWED_ORIGINS: 'https://files.example.com',
  PUBLIC_URL: 'https://files.example.com',
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 2).toString('base64')}`,
  METRICS_TOKEN: 'm'.repeat(40),
  AUDIT_SIGNING_KEY: Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64'),
};

describe('single sign-on configuration', () => {
  it('is off without OIDC_ISSUER', () => {
    expect(parse({}).oidc).toBeUndefined();
  });

  it('defaults the redirect to PUBLIC_URL, the scopes, JIT on, password sign-in on', () => {
    expect(
      parse({
        PUBLIC_URL: 'https://files.example.com/',
        OIDC_ISSUER: 'https://login.example.com/realms/acme',
        OIDC_CLIENT_ID: 'strongroom',
      }).oidc,
    ).toEqual({
      issuer: 'https://login.example.com/realms/acme',
      clientId: 'strongroom',
      clientSecret: undefined,
      redirectUrl: 'https://files.example.com/api/v1/auth/oidc/callback',
      scopes: 'openid email profile',
      roleClaim: undefined,
      roleMap: [],
      accessClaim: undefined,
      accessValues: [],
      jitProvisioning: true,
      only: false,
      breakGlassEmails: [],
      displayName: 'SSO',
      clockToleranceMs: 30_000,
    });
  });

  it('reads the role map (values may hold colons), access values and break-glass addresses', () => {
    const oidc = parse({
      OIDC_ISSUER: 'https://login.example.com',
      OIDC_CLIENT_ID: 'strongroom',
      OIDC_ROLE_CLAIM: 'groups',
      OIDC_ROLE_MAP: 'strongroom-admins:admin, urn:acme:auditors:Auditor',
      OIDC_ACCESS_CLAIM: 'groups',
      OIDC_ACCESS_VALUES: 'staff, contractors',
      OIDC_ONLY: 'true',
      OIDC_BREAK_GLASS_EMAILS: 'root@example.com',
      OIDC_DISPLAY_NAME: 'Acme Login',
    }).oidc!;
    expect(oidc.roleMap).toEqual([
      { value: 'strongroom-admins', role: 'admin' },
      { value: 'urn:acme:auditors', role: 'auditor' },
    ]);
    expect(oidc.accessValues).toEqual(['staff', 'contractors']);
    expect(oidc).toMatchObject({ only: true, breakGlassEmails: ['root@example.com'] });
    expect(oidc.displayName).toBe('Acme Login');
  });

  it('names each bad value and missing companion', () => {
    expect(
      problemsOf({
        OIDC_ISSUER: 'ftp://login.example.com',
        OIDC_SCOPES: 'email profile',
        OIDC_ROLE_MAP: 'admins:root',
      }),
    ).toEqual([
      expect.stringMatching(/^OIDC_ISSUER: must be an http\(s\) URL/),
      expect.stringMatching(/^OIDC_SCOPES: must include openid/),
      expect.stringMatching(/^OIDC_ROLE_MAP: 'admins:root' is not value:role/),
    ]);
    expect(
      problemsOf({
        OIDC_ISSUER: 'https://login.example.com',
        OIDC_ROLE_MAP: 'admins:admin',
        OIDC_ACCESS_VALUES: 'staff',
      }),
    ).toEqual([
      'OIDC_CLIENT_ID: required when OIDC_ISSUER is set',
      expect.stringMatching(/^OIDC_ROLE_MAP: needs OIDC_ROLE_CLAIM/),
      expect.stringMatching(/^OIDC_ACCESS_CLAIM and OIDC_ACCESS_VALUES: set both/),
    ]);
    expect(problemsOf({ OIDC_ONLY: 'true' })).toEqual([
      expect.stringMatching(/^OIDC_ONLY: needs OIDC_ISSUER/),
    ]);
  });

  it('refuses weak settings in production, with the reason', () => {
    expect(
      problemsOf({
        ...PRODUCTION,
        OIDC_ISSUER: 'http://login.example.com',
        OIDC_CLIENT_ID: 'strongroom',
        OIDC_REDIRECT_URL: 'http://files.example.com/api/v1/auth/oidc/callback',
        OIDC_ONLY: 'true',
      }),
    ).toEqual([
      expect.stringMatching(/^OIDC_ISSUER: must be https in production/),
      expect.stringMatching(/^OIDC_CLIENT_SECRET: required in production/),
      expect.stringMatching(/^OIDC_REDIRECT_URL: must be https in production/),
      expect.stringMatching(/^OIDC_BREAK_GLASS_EMAILS: required in production with OIDC_ONLY/),
    ]);
    expect(
      parse({
        ...PRODUCTION,
        OIDC_ISSUER: 'https://login.example.com',
        OIDC_CLIENT_ID: 'strongroom',
        OIDC_CLIENT_SECRET: 'c'.repeat(32),
      }).oidc?.redirectUrl,
    ).toBe('https://files.example.com/api/v1/auth/oidc/callback');
  });
});
