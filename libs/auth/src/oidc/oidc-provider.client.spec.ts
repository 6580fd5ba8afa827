import { Logger } from '@nestjs/common';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { AppConfig, OidcConfig } from '@strongroom/config';
import { OidcProviderClient } from './oidc-provider.client';
import type { SsoFailure } from './sso-failure';

/**
 * The ID token checks the real provider cannot be made to fail (another audience, expiry, a bad
 * signature), against a provider faked at the HTTP level: discovery, keys and a token endpoint
 * that hands out whatever ID token the test signed.
 */
const ISSUER = 'https://login.example.com';
const settings: OidcConfig = {
  issuer: ISSUER,
  clientId: 'strongroom',
  clientSecret: 'client-secret',
  redirectUrl: 'https://files.example.com/api/v1/auth/oidc/callback',
  scopes: 'openid email profile',
  roleMap: [],
  accessValues: [],
  jitProvisioning: true,
  only: false,
  breakGlassEmails: [],
  displayName: 'SSO',
  clockToleranceMs: 0,
};

type Keys = Awaited<ReturnType<typeof generateKeyPair>>;

describe('OidcProviderClient ID token checks', () => {
  let keys: Keys;
  let otherKeys: Keys;
  let idToken: string;
  let discoveryDown = false;
  let fetchSpy: jest.SpyInstance;

  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });

  beforeAll(async () => {
    // Each refusal is logged as a warning; here they are the expected outcome.
    Logger.overrideLogger(false);
    keys = await generateKeyPair('RS256');
    otherKeys = await generateKeyPair('RS256');
  });

  beforeEach(() => {
    discoveryDown = false;
    fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === '/.well-known/openid-configuration') {
        if (discoveryDown) throw new TypeError('fetch failed');
        return json({
          issuer: ISSUER,
          authorization_endpoint: `${ISSUER}/authorize`,
          token_endpoint: `${ISSUER}/token`,
          jwks_uri: `${ISSUER}/jwks`,
          id_token_signing_alg_values_supported: ['RS256'],
        });
      }
      if (url.pathname === '/jwks') {
        return json({ keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256' }] });
      }
      if (url.pathname === '/token') {
        return json({
          access_token: 'at',
          token_type: 'Bearer',
          expires_in: 60,
          id_token: idToken,
        });
      }
      return new Response('not found', { status: 404 });
    });
  });
  afterEach(() => fetchSpy.mockRestore());

  const client = () => new OidcProviderClient({ oidc: settings } as AppConfig);
  const sign = (
    claims: Record<string, unknown>,
    options: { expiresAt?: number; key?: Keys } = {},
  ) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ sub: 'subject-1', nonce: 'the-nonce', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience((claims.aud as string | undefined) ?? settings.clientId)
      .setIssuedAt(now - 60)
      .setExpirationTime(options.expiresAt ?? now + 300)
      .sign((options.key ?? keys).privateKey);
  };
  const finish = (provider: OidcProviderClient) =>
    provider.verifyCallback('code=the-code&state=the-state', {
      state: 'the-state',
      nonce: 'the-nonce',
      codeVerifier: 'v'.repeat(43),
    });
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: SsoFailure) => error.code,
    );

  it('accepts a token for us, signed by the provider, in time, with our nonce', async () => {
    idToken = await sign({ email: 'ada@example.com' });
    await expect(finish(client())).resolves.toMatchObject({
      issuer: ISSUER,
      subject: 'subject-1',
      claims: { email: 'ada@example.com' },
    });
  });

  it('refuses an ID token issued for another client', async () => {
    idToken = await sign({ aud: 'another-client' });
    expect(await failureOf(finish(client()))).toBe('invalid_token');
  });

  it('refuses an expired ID token', async () => {
    idToken = await sign({}, { expiresAt: Math.floor(Date.now() / 1000) - 5 });
    expect(await failureOf(finish(client()))).toBe('token_expired');
  });

  it('refuses a token signed by a key that is not the provider’s', async () => {
    idToken = await sign({}, { key: otherKeys });
    expect(await failureOf(finish(client()))).toBe('invalid_token');
  });

  it('refuses another nonce', async () => {
    idToken = await sign({ nonce: 'from-another-sign-in' });
    expect(await failureOf(finish(client()))).toBe('invalid_token');
  });

  it('caches discovery, and discovers again after the provider was unreachable', async () => {
    const provider = client();
    const discoveries = () =>
      fetchSpy.mock.calls.filter(([input]) => String(input).includes('/.well-known/')).length;
    await provider.authorizationRequest();
    await provider.authorizationRequest();
    expect(discoveries()).toBe(1);

    await provider.probe().catch(() => undefined);
    discoveryDown = true;
    expect(await failureOf(provider.probe())).toBe('provider_unavailable');
    expect(await failureOf(provider.authorizationRequest())).toBe('provider_unavailable');
    discoveryDown = false;
    await expect(provider.authorizationRequest()).resolves.toMatchObject({
      url: expect.stringContaining(`${ISSUER}/authorize?`),
    });
  });
});
