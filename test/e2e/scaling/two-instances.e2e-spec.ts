import { randomBytes } from 'node:crypto';
import {
  ADMIN_ENV,
  OTHER_STRONG_PASSWORD,
  STRONG_PASSWORD,
  uniqueEmail,
} from '../../support/accounts';
import { SoftwareAuthenticator } from '@strongroom/testing';
import { sha256 } from '../../support/files';
import {
  type Instance,
  type ScaledDeployment,
  startScaledDeployment,
} from '../../support/scaled-deployment';

const RATE_LIMIT = 20;
const LOCKOUT_THRESHOLD = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
  raw: Buffer;
  headers: Headers;
  /** The instance that answered, from nginx. */
  upstream: string;
}

interface CallOptions {
  /** The client address; nginx forwards it and the instances trust loopback proxies. */
  ip: string;
  bearer?: string;
  json?: unknown;
  form?: FormData;
  /** Straight to this instance instead of through nginx. */
  via?: Instance;
}

let deployment: ScaledDeployment;
let nextClient = 1;
/** A fresh client address per scenario, so each has its own rate-limit and lockout budget. */
const newClientIp = () => `203.0.113.${nextClient++}`;

async function call(method: string, path: string, options: CallOptions): Promise<Answer> {
  const headers: Record<string, string> = { 'x-forwarded-for': options.ip };
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const base = options.via ? `http://${options.via.address}` : deployment.baseUrl;
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.json !== undefined ? JSON.stringify(options.json) : options.form,
  });
  const raw = Buffer.from(await response.arrayBuffer());
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    body = undefined;
  }
  return {
    status: response.status,
    body,
    raw,
    headers: response.headers,
    upstream: response.headers.get('x-upstream') ?? '',
  };
}

async function registerAndLogin(ip: string, label: string) {
  const email = uniqueEmail(label);
  const registered = await call('POST', '/api/v1/auth/register', {
    ip,
    json: { email, password: STRONG_PASSWORD },
  });
  expect(registered.status).toBe(201);
  const login = await call('POST', '/api/v1/auth/login', {
    ip,
    json: { email, password: STRONG_PASSWORD },
  });
  expect(login.status).toBe(200);
  return { email, login, accessToken: login.body.accessToken as string };
}

const upstreamsOf = (answers: Answer[]) => new Set(answers.map((answer) => answer.upstream));

describe('two instances behind nginx, sharing MongoDB, storage and Redis', () => {
  beforeAll(async () => {
    deployment = await startScaledDeployment({
      instances: 2,
      env: {
        ...ADMIN_ENV,
        TRUST_PROXY: 'loopback',
        RATE_LIMIT_MAX: String(RATE_LIMIT),
        RATE_LIMIT_WINDOW: '1m',
        AUTH_RATE_LIMIT_MAX: String(RATE_LIMIT),
        LOGIN_LOCKOUT_THRESHOLD: String(LOCKOUT_THRESHOLD),
        LOGIN_IP_LOCKOUT_THRESHOLD: '1000',
        LOGIN_LOCKOUT_DURATION: '1m',
      },
    });
  }, 120_000);
  afterAll(() => deployment?.stop());

  it('runs two instances, and nginx alternates between them', async () => {
    const ip = newClientIp();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await call('GET', '/api/v1', { ip }));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(upstreamsOf(answers)).toEqual(
      new Set(deployment.instances.map((instance) => instance.address)),
    );
    expect(answers[0].upstream).not.toBe(answers[1].upstream);
  });

  it('a token issued by one instance works on the other, and so does its refresh token', async () => {
    const ip = newClientIp();
    const { email, login, accessToken } = await registerAndLogin(ip, 'roaming');
    const me = [
      await call('GET', '/api/v1/users/me', { ip, bearer: accessToken }),
      await call('GET', '/api/v1/users/me', { ip, bearer: accessToken }),
    ];
    expect(me.map((answer) => [answer.status, answer.body.email])).toEqual([
      [200, email],
      [200, email],
    ]);
    expect(upstreamsOf([login, ...me]).size).toBe(2);

    const refreshed = await call('POST', '/api/v1/auth/refresh', {
      ip,
      json: { refreshToken: login.body.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    const reused = await call('POST', '/api/v1/auth/refresh', {
      ip,
      json: { refreshToken: login.body.refreshToken },
    });
    expect(reused.status).toBe(401);
    expect(reused.upstream).not.toBe(refreshed.upstream);
  });

  it('refuses a token at once on both instances when its session ends or its user is disabled, though both had it cached', async () => {
    const ip = newClientIp();
    const me = (bearer: string) => call('GET', '/api/v1/users/me', { ip, bearer });
    const onBoth = async (bearer: string) => {
      const answers = [await me(bearer), await me(bearer)];
      expect(upstreamsOf(answers).size).toBe(2);
      return answers.map((answer) => answer.status);
    };
    const ended = await registerAndLogin(ip, 'revoked-everywhere');
    expect(await onBoth(ended.accessToken)).toEqual([200, 200]);
    const sessions = await call('GET', '/api/v1/users/me/sessions', {
      ip,
      bearer: ended.accessToken,
    });
    const current = (sessions.body as Array<{ id: string; current: boolean }>).find(
      (session) => session.current,
    );
    const revoked = await call('DELETE', `/api/v1/users/me/sessions/${current?.id}`, {
      ip,
      bearer: ended.accessToken,
    });
    expect(revoked.status).toBe(204);
    expect(await onBoth(ended.accessToken)).toEqual([401, 401]);

    const disabled = await registerAndLogin(ip, 'disabled-everywhere');
    expect(await onBoth(disabled.accessToken)).toEqual([200, 200]);
    const admin = await call('POST', '/api/v1/auth/login', {
      ip: newClientIp(),
      json: { email: ADMIN_ENV.ADMIN_EMAIL, password: ADMIN_ENV.ADMIN_PASSWORD },
    });
    const { id } = (await me(disabled.accessToken)).body as { id: string };
    const patched = await call('PATCH', `/api/v1/users/${id}`, {
      ip,
      bearer: admin.body.accessToken as string,
      json: { disabled: true },
    });
    expect(patched.status).toBe(200);
    expect(await onBoth(disabled.accessToken)).toEqual([401, 401]);
  });

  it('answers GET /users/me with a change to the account at once on both instances, though both had it cached', async () => {
    const ip = newClientIp();
    const { accessToken } = await registerAndLogin(ip, 'quota-everywhere');
    const onBoth = async () => {
      const answers = [
        await call('GET', '/api/v1/users/me', { ip, bearer: accessToken }),
        await call('GET', '/api/v1/users/me', { ip, bearer: accessToken }),
      ];
      expect(upstreamsOf(answers).size).toBe(2);
      return answers.map((answer) => [answer.status, answer.body.quota]);
    };
    expect(await onBoth()).toEqual([
      [200, null],
      [200, null],
    ]);
    const admin = await call('POST', '/api/v1/auth/login', {
      ip: newClientIp(),
      json: { email: ADMIN_ENV.ADMIN_EMAIL, password: ADMIN_ENV.ADMIN_PASSWORD },
    });
    const { id } = (await call('GET', '/api/v1/users/me', { ip, bearer: accessToken })).body as {
      id: string;
    };
    const patched = await call('PATCH', `/api/v1/users/${id}`, {
      ip,
      via: deployment.instances[0],
      bearer: admin.body.accessToken as string,
      json: { quota: 5_000_000 },
    });
    expect(patched.status).toBe(200);
    expect(await onBoth()).toEqual([
      [200, 5_000_000],
      [200, 5_000_000],
    ]);
  });

  it("stops every instance sealing with a person's audit key once their erasure is answered, though another had it cached", async () => {
    const [first, second] = deployment.instances;
    const ip = newClientIp();
    const adminIp = newClientIp();
    const person = await registerAndLogin(ip, 'erased-everywhere');
    const signIn = async () => {
      const answer = await call('POST', '/api/v1/auth/login', {
        ip,
        via: second,
        json: { email: person.email, password: STRONG_PASSWORD },
      });
      expect(answer.status).toBe(200);
      return answer.headers.get('x-request-id')!;
    };
    // Each sign-in seals the person's address under their key: the second instance caches it.
    const signedInBefore = [await signIn(), await signIn()];
    const { id } = (await call('GET', '/api/v1/users/me', { ip, bearer: person.accessToken }))
      .body as { id: string };

    // A held file keeps the account (disabled) when the person is erased, so they can sign in
    // again and have events recorded about them after their key is gone.
    const form = new FormData();
    form.append('file', new Blob([randomBytes(1024)]), 'evidence.bin');
    const uploaded = await call('POST', '/api/v1/files', { ip, bearer: person.accessToken, form });
    expect(uploaded.status).toBe(201);
    const admin = (
      await call('POST', '/api/v1/auth/login', {
        ip: adminIp,
        json: { email: ADMIN_ENV.ADMIN_EMAIL, password: ADMIN_ENV.ADMIN_PASSWORD },
      })
    ).body.accessToken as string;
    const asAdmin = (method: string, path: string, json?: unknown) =>
      call(method, path, { ip: adminIp, via: first, bearer: admin, json });
    expect(
      (await asAdmin('PUT', `/api/v1/files/${uploaded.body.id}/hold`, { reason: 'case 7' })).status,
    ).toBe(200);
    expect((await asAdmin('DELETE', `/api/v1/users/${id}`)).status).toBe(409);
    expect((await asAdmin('PATCH', `/api/v1/users/${id}`, { disabled: false })).status).toBe(200);

    const signedInAfter = await signIn();
    let events: Array<{ requestId: string; actor: { ip?: string } }> = [];
    for (let i = 0; i < 12 && !events.some((event) => event.requestId === signedInAfter); i++) {
      if (i > 0) await sleep(250);
      const answer = await asAdmin('GET', `/api/v1/audit-events?type=login_succeeded&actor=${id}`);
      expect(answer.status).toBe(200);
      events = answer.body.items;
    }
    const actorOf = (requestId: string) =>
      events.find((event) => event.requestId === requestId)?.actor;
    // Sealed before the erasure: unreadable now. Recorded after it: no address stored at all,
    // where a key still cached on the second instance would have sealed one.
    expect(signedInBefore.map((requestId) => actorOf(requestId)?.ip)).toEqual([
      'erased subject',
      'erased subject',
    ]);
    expect(actorOf(signedInAfter)).toMatchObject({ userId: id });
    expect(actorOf(signedInAfter)).not.toHaveProperty('ip');
  });

  it('counts the rate limit across both instances', async () => {
    const ip = newClientIp();
    const allowed = [];
    for (let i = 0; i < RATE_LIMIT; i++) allowed.push(await call('GET', '/api/v1', { ip }));
    expect(allowed.every((answer) => answer.status === 200)).toBe(true);
    // Each instance has seen only half of the limit: alone, neither would refuse anything yet.
    for (const upstream of upstreamsOf(allowed)) {
      expect(allowed.filter((answer) => answer.upstream === upstream)).toHaveLength(RATE_LIMIT / 2);
    }

    const refused = [await call('GET', '/api/v1', { ip }), await call('GET', '/api/v1', { ip })];
    expect(upstreamsOf(refused).size).toBe(2);
    for (const answer of refused) {
      expect(answer.status).toBe(429);
      const retryAfter = Number(answer.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    // Another client is not affected.
    expect((await call('GET', '/api/v1', { ip: newClientIp() })).status).toBe(200);
  });

  it('counts failed logins across both instances and locks the account on both', async () => {
    const ip = newClientIp();
    const { email } = await registerAndLogin(ip, 'victim');
    const failures = [];
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) {
      failures.push(
        await call('POST', '/api/v1/auth/login', {
          ip,
          json: { email, password: OTHER_STRONG_PASSWORD },
        }),
      );
    }
    expect(failures.map((answer) => answer.status)).toEqual(Array(LOCKOUT_THRESHOLD).fill(401));
    expect(upstreamsOf(failures).size).toBe(2);

    const locked = [];
    for (let i = 0; i < 2; i++) {
      locked.push(
        await call('POST', '/api/v1/auth/login', {
          ip,
          json: { email, password: STRONG_PASSWORD },
        }),
      );
    }
    expect(upstreamsOf(locked).size).toBe(2);
    for (const answer of locked) {
      expect(answer.status).toBe(429);
      expect(answer.body.message).toMatch(/Too many failed sign-ins for this account/);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('verifies at most the lockout threshold of a concurrent burst spread over both instances and many addresses', async () => {
    const { email } = await registerAndLogin(newClientIp(), 'burst');
    const answers = await Promise.all(
      Array.from({ length: 16 }, () =>
        call('POST', '/api/v1/auth/login', {
          ip: newClientIp(),
          json: { email, password: OTHER_STRONG_PASSWORD },
        }),
      ),
    );
    expect(upstreamsOf(answers).size).toBe(2);
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([
      ...Array(LOCKOUT_THRESHOLD).fill(401),
      ...Array(16 - LOCKOUT_THRESHOLD).fill(429),
    ]);
  });

  it('serves a maxDownloads: 1 link exactly once across both instances', async () => {
    const ip = newClientIp();
    const { accessToken } = await registerAndLogin(ip, 'sharer');
    const data = randomBytes(64 * 1024);
    const form = new FormData();
    form.append('file', new Blob([data], { type: 'application/octet-stream' }), 'report.bin');
    const uploaded = await call('POST', '/api/v1/files', { ip, bearer: accessToken, form });
    expect(uploaded.status).toBe(201);
    const link = await call('POST', `/api/v1/files/${uploaded.body.id}/links`, {
      ip,
      bearer: accessToken,
      json: { maxDownloads: 1 },
    });
    expect(link.status).toBe(201);

    const downloader = newClientIp();
    const downloads = await Promise.all(
      Array.from({ length: 10 }, () =>
        call('GET', `/api/v1/public/links/${link.body.token}/content`, { ip: downloader }),
      ),
    );
    expect(upstreamsOf(downloads).size).toBe(2);
    const served = downloads.filter((answer) => answer.status === 200);
    expect(served).toHaveLength(1);
    expect(sha256(served[0].raw)).toBe(sha256(data));
    expect(downloads.filter((answer) => answer.status === 404)).toHaveLength(9);

    const links = await call('GET', `/api/v1/files/${uploaded.body.id}/links`, {
      ip,
      bearer: accessToken,
    });
    expect(links.body).toEqual([expect.objectContaining({ id: link.body.id, downloads: 1 })]);
  });

  it('keeps one valid audit chain while both instances append to it', async () => {
    const ip = newClientIp();
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () =>
        call('POST', '/api/v1/auth/login', {
          ip,
          json: { email: uniqueEmail('nobody'), password: OTHER_STRONG_PASSWORD },
        }),
      ),
    );
    expect(attempts.every((answer) => answer.status === 401)).toBe(true);
    expect(upstreamsOf(attempts).size).toBe(2);
    const requestIds = attempts.map((answer) => answer.headers.get('x-request-id'));

    const admin = await call('POST', '/api/v1/auth/login', {
      ip: newClientIp(),
      json: { email: ADMIN_ENV.ADMIN_EMAIL, password: ADMIN_ENV.ADMIN_PASSWORD },
    });
    expect(admin.status).toBe(200);
    const bearer = admin.body.accessToken as string;
    // Events are appended after the response has gone out: wait until all eight are there.
    let recorded: string[] = [];
    for (let i = 0; i < 50 && !requestIds.every((id) => recorded.includes(id!)); i++) {
      if (i > 0) await sleep(200);
      const events = await call('GET', '/api/v1/audit-events?type=login_failed&limit=100', {
        ip: admin.headers.get('x-forwarded-for') ?? newClientIp(),
        bearer,
      });
      recorded = (events.body.items as Array<{ requestId: string }>).map((e) => e.requestId);
    }
    expect(recorded).toEqual(expect.arrayContaining(requestIds));

    const verified = await call('GET', '/api/v1/audit-events/verify', {
      ip: newClientIp(),
      bearer,
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ valid: true });
    expect(verified.body.count).toBeGreaterThanOrEqual(requestIds.length);
  });

  it('a passkey ceremony begun on one instance finishes on the other, and only once', async () => {
    const ip = newClientIp();
    const { accessToken } = await registerAndLogin(ip, 'passkey-roaming');
    // PUBLIC_URL's origin and host: the relying party every instance shares.
    const party = { origin: 'https://files.example.com', rpId: 'files.example.com' };
    const authenticator = new SoftwareAuthenticator();

    const registration = await call('POST', '/api/v1/users/me/passkeys/registration-options', {
      ip,
      bearer: accessToken,
    });
    const registered = await call('POST', '/api/v1/users/me/passkeys', {
      ip,
      bearer: accessToken,
      json: {
        challengeId: registration.body.challengeId,
        name: 'Roaming key',
        credential: authenticator.register({
          ...party,
          challenge: registration.body.options.challenge,
        }),
      },
    });
    expect([registration.status, registered.status]).toEqual([200, 201]);
    expect(registration.upstream).not.toBe(registered.upstream);

    const options = await call('POST', '/api/v1/auth/passkey/options', { ip });
    const answer = {
      challengeId: options.body.challengeId,
      credential: authenticator.assert({
        ...party,
        challenge: options.body.options.challenge,
        counter: 1,
      }),
    };
    const signedIn = await call('POST', '/api/v1/auth/passkey/verify', { ip, json: answer });
    expect(signedIn.status).toBe(200);
    expect(signedIn.upstream).not.toBe(options.upstream);
    const replayed = await call('POST', '/api/v1/auth/passkey/verify', { ip, json: answer });
    expect(replayed.status).toBe(401);
    expect(replayed.upstream).not.toBe(signedIn.upstream);
  });
});
