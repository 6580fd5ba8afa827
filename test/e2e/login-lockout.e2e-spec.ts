import {
  collection,
  login,
  OTHER_STRONG_PASSWORD,
  signUp,
  STRONG_PASSWORD,
  uniqueEmail,
} from '../support/accounts';
import { createTestApp, type TestApp } from '../support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('login lockout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: {
        LOGIN_LOCKOUT_THRESHOLD: '3',
        LOGIN_IP_LOCKOUT_THRESHOLD: '1000',
        LOGIN_LOCKOUT_DURATION: '2s',
      },
    });
  });
  afterAll(() => t.close());

  const attempt = (email: string, password: string, headers: Record<string, string> = {}) =>
    t.http().post('/api/v1/auth/login').set(headers).send({ email, password });

  it('locks an account for a bounded time after repeated failures, even for the right password', async () => {
    const account = await signUp(t, 'locked');
    for (let i = 0; i < 3; i++) await attempt(account.email, OTHER_STRONG_PASSWORD).expect(401);

    const locked = await attempt(account.email, STRONG_PASSWORD).expect(429);
    expect(locked.body.message).toMatch(/Too many failed sign-ins for this account/);
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect(
      await collection(t, 'audit_events').countDocuments({
        type: 'account_locked',
        'target.userId': account.id,
      }),
    ).toBe(1);

    await sleep(retryAfter * 1000 + 200);
    await login(t, account.email, STRONG_PASSWORD);
  });

  it('counts unknown emails the same way, so a lock reveals nothing', async () => {
    const email = uniqueEmail('ghost');
    for (let i = 0; i < 3; i++) await attempt(email, OTHER_STRONG_PASSWORD).expect(401);
    await attempt(email, OTHER_STRONG_PASSWORD).expect(429);
  });

  it('a success clears the account’s failures', async () => {
    const account = await signUp(t, 'reset');
    for (let i = 0; i < 2; i++) await attempt(account.email, OTHER_STRONG_PASSWORD).expect(401);
    await login(t, account.email, STRONG_PASSWORD);
    for (let i = 0; i < 2; i++) await attempt(account.email, OTHER_STRONG_PASSWORD).expect(401);
    await login(t, account.email, STRONG_PASSWORD);
  });
});

describe('lockout under a concurrent burst', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: {
        LOGIN_LOCKOUT_THRESHOLD: '5',
        LOGIN_IP_LOCKOUT_THRESHOLD: '10',
        LOGIN_LOCKOUT_DURATION: '1m',
        TRUST_PROXY: 'loopback',
      },
    });
  });
  afterAll(() => t.close());

  const from = (ip: string, email: string, password: string) =>
    t.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  /** Fires all attempts at once; answers how many got each status. */
  async function burst(attempts: Array<() => PromiseLike<{ status: number }>>) {
    const answers = await Promise.all(attempts.map((send) => send()));
    const tally: Record<number, number> = {};
    for (const { status } of answers) tally[status] = (tally[status] ?? 0) + 1;
    return tally;
  }

  it('verifies at most LOGIN_LOCKOUT_THRESHOLD passwords of 50 sent at once for one account', async () => {
    const account = await signUp(t, 'burst');
    const tally = await burst(
      Array.from(
        { length: 50 },
        () => () => from('203.0.113.20', account.email, OTHER_STRONG_PASSWORD),
      ),
    );
    expect(tally).toEqual({ 401: 5, 429: 45 });
    const events = (type: string) =>
      collection(t, 'audit_events').countDocuments({ type, 'target.userId': account.id });
    expect(await events('login_failed')).toBe(5);
    expect(await events('account_locked')).toBe(1);
    await from('203.0.113.21', account.email, STRONG_PASSWORD).expect(429);
  });

  it('verifies at most LOGIN_IP_LOCKOUT_THRESHOLD passwords of a spray sent at once from one address', async () => {
    const tally = await burst(
      Array.from(
        { length: 30 },
        () => () => from('203.0.113.30', uniqueEmail('spray'), OTHER_STRONG_PASSWORD),
      ),
    );
    expect(tally).toEqual({ 401: 10, 429: 20 });

    // A locked address costs the account it tried nothing: the account's slot is given back.
    const victim = await signUp(t, 'victim');
    const res = await from('203.0.113.30', victim.email, OTHER_STRONG_PASSWORD).expect(429);
    expect(res.body.message).toMatch(/your network address/);
    expect(
      await collection(t, 'login_attempt_slots').countDocuments({
        key: `account:${victim.email}`,
      }),
    ).toBe(0);
  });

  it('counts no successful sign-in against the address', async () => {
    const account = await signUp(t, 'office');
    for (let i = 0; i < 12; i++)
      await from('203.0.113.40', account.email, STRONG_PASSWORD).expect(200);
    await from('203.0.113.40', account.email, OTHER_STRONG_PASSWORD).expect(401);
  });
});

describe('per-IP lockout behind an untrusted client', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: {
        LOGIN_LOCKOUT_THRESHOLD: '100',
        LOGIN_IP_LOCKOUT_THRESHOLD: '4',
        LOGIN_LOCKOUT_DURATION: '1m',
        TRUST_PROXY: 'false',
      },
    });
  });
  afterAll(() => t.close());

  it('a forged X-Forwarded-For does not give a fresh address', async () => {
    for (let i = 0; i < 4; i++) {
      await t
        .http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', `203.0.113.${i}`)
        .send({ email: uniqueEmail('spray'), password: OTHER_STRONG_PASSWORD })
        .expect(401);
    }
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', '198.51.100.77')
      .send({ email: uniqueEmail('spray'), password: OTHER_STRONG_PASSWORD })
      .expect(429);
    expect(res.body.message).toMatch(/your network address/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('per-IP lockout behind a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: {
        LOGIN_LOCKOUT_THRESHOLD: '100',
        LOGIN_IP_LOCKOUT_THRESHOLD: '2',
        LOGIN_LOCKOUT_DURATION: '1m',
        TRUST_PROXY: 'loopback',
      },
    });
  });
  afterAll(() => t.close());

  it('counts the client address the proxy reports', async () => {
    const from = (ip: string) =>
      t
        .http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ email: uniqueEmail('proxied'), password: OTHER_STRONG_PASSWORD });
    await from('203.0.113.10').expect(401);
    await from('203.0.113.10').expect(401);
    await from('203.0.113.10').expect(429);
    await from('203.0.113.11').expect(401);
  });
});

describe('auth rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { AUTH_RATE_LIMIT_MAX: '3' } });
  });
  afterAll(() => t.close());

  it('limits each of register, login and refresh per IP with 429 and Retry-After, not other routes', async () => {
    for (let i = 0; i < 3; i++) {
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: uniqueEmail('rl'), password: STRONG_PASSWORD })
        .expect(201);
    }
    const limited = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: uniqueEmail('rl'), password: STRONG_PASSWORD })
      .expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++)
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: 'A'.repeat(43) })
        .expect(401);
    await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: 'A'.repeat(43) })
      .expect(429);
    await t.http().get('/api/v1').expect(200);
  });
});
