import { generateKeyPairSync, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '@strongroom/auth';
import { type Account, collection, signUp } from '../support/accounts';
import { createTestApp, type TestApp } from '../support/test-app';

const base64url = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('access token verification', () => {
  let t: TestApp;
  let account: Account;
  let claims: Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestApp();
    account = await signUp(t, 'jwt');
    claims = jwt.decode(account.tokens.accessToken) as Record<string, unknown>;
  });
  afterAll(() => t.close());

  const me = (token: string) =>
    t.http().get('/api/v1/users/me').set('Authorization', `Bearer ${token}`);
  const sign = (
    payload: Record<string, unknown>,
    options: jwt.SignOptions = {},
    key: string = t.config.auth.secretKey,
  ) => jwt.sign(payload, key, { algorithm: 'HS256', ...options });
  const fresh = () => {
    const { exp: _exp, iat: _iat, ...rest } = claims;
    return { ...rest, jti: randomUUID() };
  };

  it('carries sub, role, ver, jti, sid, iat, exp, iss, aud and typ', () => {
    expect(claims).toEqual({
      sub: account.id,
      role: 'user',
      ver: 0,
      typ: 'access',
      jti: expect.any(String),
      sid: expect.any(String),
      iat: expect.any(Number),
      exp: expect.any(Number),
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);
  });

  it('accepts a token we sign ourselves the same way (the forgeries below differ in one thing each)', async () => {
    await me(sign(fresh(), { expiresIn: 60 })).expect(200);
  });

  it('rejects alg: none', async () => {
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...fresh(), exp: Math.floor(Date.now() / 1000) + 60 })}.`;
    const res = await me(token).expect(401);
    expect(res.body.message).toBe('Invalid access token');
  });

  it('rejects a token signed with another key', async () => {
    await me(sign(fresh(), { expiresIn: 60 }, 'another-secret-that-is-long-enough-1234')).expect(
      401,
    );
  });

  it('rejects another HMAC algorithm with the right key', async () => {
    await me(
      jwt.sign(fresh(), t.config.auth.secretKey, { algorithm: 'HS512', expiresIn: 60 }),
    ).expect(401);
  });

  it('rejects RS256 with an embedded jwk, jku, x5u or kid', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = jwt.sign(fresh(), privateKey, {
      algorithm: 'RS256',
      expiresIn: 60,
      header: {
        alg: 'RS256',
        jwk: publicKey.export({ format: 'jwk' }),
        jku: 'http://127.0.0.1:1/jwks.json',
        x5u: 'http://127.0.0.1:1/cert.pem',
        kid: '../../../dev/null',
      } as jwt.JwtHeader,
    });
    await me(token).expect(401);
  });

  it('rejects an expired token with a message that says so', async () => {
    const res = await me(sign({ ...fresh(), exp: Math.floor(Date.now() / 1000) - 10 })).expect(401);
    expect(res.body.message).toMatch(/expired/);
  });

  it.each([
    ['no exp', {}],
    ['a 10-year exp', { expiresIn: '3650d' }],
    ['an exp one second beyond ACCESS_TOKEN_TTL', { expiresIn: 901 }],
    ['no iat', { expiresIn: 60, noTimestamp: true }],
  ] as Array<[string, jwt.SignOptions]>)(
    'rejects a correctly signed token with %s',
    async (_case, options) => {
      const res = await me(sign(fresh(), options)).expect(401);
      expect(res.body.message).toMatch(/no expiry or outlives the access-token lifetime/);
    },
  );

  it('rejects a short-lived token dated in the future (which would live past its exp - iat)', async () => {
    const iat = Math.floor(Date.now() / 1000) + 3600;
    await me(sign({ ...fresh(), iat }, { expiresIn: 60 })).expect(401);
  });

  it('rejects a token that is not yet valid', async () => {
    await me(sign(fresh(), { expiresIn: 600, notBefore: 300 })).expect(401);
  });

  it.each([
    ['the wrong audience', { aud: 'another-api' }],
    ['the wrong issuer', { iss: 'someone-else' }],
    ['no typ', { typ: undefined }],
    ['typ refresh', { typ: 'refresh' }],
    ['a sub that is no user', { sub: '6650f1c2a1b2c3d4e5f60718' }],
    ['a sub that is an operator object', { sub: { $ne: null } }],
    ['a stale version', { ver: 7 }],
  ])('rejects %s', async (_case, override) => {
    await me(sign({ ...fresh(), ...override }, { expiresIn: 60 })).expect(401);
  });

  it.each([
    ['two segments', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0'],
    ['four segments', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln.ZXh0cmE'],
    ['bad base64', '%%%.@@@.!!!'],
    ['garbage JSON', `${base64url('{not json')}.${base64url('{')}.sig`],
    ['an empty bearer', ''],
    ['12 KB of noise', 'x'.repeat(12_000)],
  ])('rejects a malformed token: %s (401, never 500)', async (_case, token) => {
    const res = await me(token);
    expect(res.status).toBe(401);
  });

  it('a disabled or deleted user’s token stops working at once (see admin tests); a missing user already fails', async () => {
    const other = await signUp(t, 'gone');
    await collection(t, 'users').deleteOne({ email: other.email });
    await me(other.tokens.accessToken).expect(401);
  });
});
