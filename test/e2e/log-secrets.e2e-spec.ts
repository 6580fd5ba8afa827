import { createApiKey } from '../support/api-keys';
import { STRONG_PASSWORD, signUp } from '../support/accounts';
import { captureRequestLogs } from '../support/logs';
import { refreshCookie } from '../support/refresh-cookie';
import { createTestApp, type TestApp } from '../support/test-app';

const HOST = 'files.example.com';

describe('credentials never reach the log', () => {
  let t: TestApp;
  let logs: ReturnType<typeof captureRequestLogs>;

  beforeAll(async () => {
    // Production's level: every request's line is written.
    t = await createTestApp({ env: { LOG_LEVEL: 'info' } });
    logs = captureRequestLogs(t);
  });
  afterAll(async () => {
    logs?.restore();
    await t?.close();
  });

  it('passwords, bearer tokens, API keys, Cookie and Set-Cookie stay out of every line', async () => {
    const account = await signUp(t, 'log-secrets');
    const cookieLogin = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: account.email, password: STRONG_PASSWORD, refreshTokenDelivery: 'cookie' })
      .expect(200);
    const sent = refreshCookie(cookieLogin.headers).pair;
    const refreshed = await t
      .http()
      .post('/api/v1/auth/refresh')
      .set('Host', HOST)
      .set('Origin', `https://${HOST}`)
      .set('Cookie', sent)
      .send({})
      .expect(200);
    const rotated = refreshCookie(refreshed.headers).pair;
    await t.http().get('/api/v1/users/me').set('Authorization', account.bearer).expect(200);
    const apiKey = await createApiKey(t, account, ['files:read']);
    await t.http().get('/api/v1/files').set('Authorization', apiKey.bearer).expect(200);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: account.email, password: `${STRONG_PASSWORD} wrong` })
      .expect(401);

    const written = logs.lines().map((line) => JSON.stringify(line));
    expect(written.filter((line) => line.includes('"route":"/api/v1/users/me"'))).toHaveLength(1);
    const secrets = [
      STRONG_PASSWORD,
      account.tokens.accessToken,
      account.tokens.refreshToken,
      (cookieLogin.body as { accessToken: string }).accessToken,
      sent.split('=')[1],
      rotated.split('=')[1],
      apiKey.key,
    ];
    for (const secret of secrets) {
      expect(written.filter((line) => line.includes(secret))).toEqual([]);
    }
  });
});
