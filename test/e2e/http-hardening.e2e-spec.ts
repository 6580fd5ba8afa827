import type { Test } from 'supertest';
import { gzipSync } from 'node:zlib';
import { signUp, STRONG_PASSWORD, uniqueEmail } from '../support/accounts';
import { captureRequestLogs } from '../support/logs';
import { trickle } from '../support/raw-http';
import { createTestApp, type TestApp } from '../support/test-app';

const errorShape = (statusCode: number, error: string) => ({
  statusCode,
  error,
  message: expect.anything(),
  requestId: expect.any(String),
});

describe('HTTP hardening', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { JSON_BODY_LIMIT: '1KB', ALLOWED_ORIGINS: 'https://files.example.com' },
    });
  });
  afterAll(() => t.close());

  describe('request ids', () => {
    it('echoes a well-formed X-Request-Id', async () => {
      const res = await t.http().get('/health/live').set('X-Request-Id', 'edge-42.abc').expect(200);
      expect(res.headers['x-request-id']).toBe('edge-42.abc');
    });

    it('replaces a malformed one with a generated id', async () => {
      const res = await t
        .http()
        .get('/health/live')
        .set('X-Request-Id', 'bad id\twith spaces')
        .expect(200);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('puts the request id in error bodies', async () => {
      const res = await t
        .http()
        .get('/api/v1/nothing-here')
        .set('X-Request-Id', 'trace-7')
        .expect(404);
      expect(res.body).toEqual({ ...errorShape(404, 'Not Found'), requestId: 'trace-7' });
    });
  });

  describe('bodies a client can get wrong', () => {
    it('malformed JSON is a 400 with a plain message', async () => {
      const res = await t
        .http()
        .post('/api/v1/anything')
        .set('Content-Type', 'application/json')
        .send('{"email": "a@b.c",')
        .expect(400);
      expect(res.body).toEqual(errorShape(400, 'Bad Request'));
      expect(res.body.message).toMatch(/JSON/);
    });

    it('a JSON body over JSON_BODY_LIMIT is a 413', async () => {
      const res = await t
        .http()
        .post('/api/v1/anything')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ blob: 'x'.repeat(4096) }))
        .expect(413);
      expect(res.body).toEqual(errorShape(413, 'Payload Too Large'));
    });

    it('an unknown route is a 404 in the contract shape, without internals', async () => {
      const res = await t.http().delete('/api/v1/files/../../etc/passwd').expect(404);
      expect(res.body).toEqual(errorShape(404, 'Not Found'));
      expect(JSON.stringify(res.body)).not.toMatch(/stack|node_modules|\/work\//);
    });
  });

  describe('Content-Encoding', () => {
    const garbage = Buffer.from('this is not compressed data at all');
    /** Sends the bytes as they are (superagent would serialize a Buffer as JSON). */
    const encoded = (path: string, type: string, encoding: string, body: Buffer) =>
      t
        .http()
        .post(path)
        .set('Content-Type', type)
        .set('Content-Encoding', encoding)
        .serialize((bytes: Buffer) => bytes as unknown as string)
        .send(body);

    it('decodes a gzip JSON body', async () => {
      const body = gzipSync(JSON.stringify({ email: 'nobody@example.com', password: 'wrong' }));
      await encoded('/api/v1/auth/login', 'application/json', 'gzip', body).expect(401);
    });

    it.each(['gzip', 'deflate', 'br'])(
      'a body that is not valid %s is a 400 that says so, on JSON and form routes',
      async (encoding) => {
        for (const [path, type] of [
          ['/api/v1/auth/login', 'application/json'],
          ['/s/some-link-token', 'application/x-www-form-urlencoded'],
        ]) {
          const res = await encoded(path, type, encoding, garbage).expect(400);
          expect(res.body).toEqual(errorShape(400, 'Bad Request'));
          expect(res.body.message).toMatch(/could not be decompressed.*Content-Encoding/);
        }
      },
    );

    it('a gzip body cut short is a 400 too', async () => {
      const whole = gzipSync(JSON.stringify({ email: 'nobody@example.com', password: 'wrong' }));
      const res = await encoded(
        '/api/v1/auth/login',
        'application/json',
        'gzip',
        whole.subarray(0, 12),
      ).expect(400);
      expect(res.body.message).toMatch(/could not be decompressed/);
    });

    it('an unknown Content-Encoding is a 415 naming it', async () => {
      const res = await encoded('/api/v1/auth/login', 'application/json', 'snappy', garbage).expect(
        415,
      );
      expect(res.body).toEqual(errorShape(415, 'Unsupported Media Type'));
      expect(res.body.message).toMatch(/Content-Encoding "snappy" is not supported/);
    });
  });

  describe('methods a path does not serve', () => {
    it('answers 405 with Allow listing the methods Nest registered for the path', async () => {
      const login = await t.http().put('/api/v1/auth/login').send({}).expect(405);
      expect(login.headers.allow).toBe('OPTIONS, POST');
      expect(login.body).toEqual(errorShape(405, 'Method Not Allowed'));
      const file = await t.http().put('/api/v1/files/6650f1c2a1b2c3d4e5f60718').expect(405);
      expect(file.headers.allow).toBe('DELETE, GET, HEAD, OPTIONS, PATCH');
      const health = await t.http().post('/health').expect(405);
      expect(health.headers.allow).toBe('GET, HEAD, OPTIONS');
    });

    it('still answers 404 for unknown paths and serves HEAD where GET is served', async () => {
      await t.http().put('/api/v1/nothing-here').expect(404);
      await t.http().head('/health').expect(200);
    });
  });

  describe('security headers', () => {
    it('sets helmet headers and hides the framework', async () => {
      const res = await t.http().get('/api/v1').expect(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
  });

  describe('CORS from ALLOWED_ORIGINS', () => {
    it('allows a listed origin', async () => {
      const res = await t
        .http()
        .options('/api/v1')
        .set('Origin', 'https://files.example.com')
        .set('Access-Control-Request-Method', 'POST')
        .expect(204);
      expect(res.headers['access-control-allow-origin']).toBe('https://files.example.com');
      expect(res.headers['access-control-expose-headers']).toContain('X-Request-Id');
    });

    it('gives no CORS grant to another origin', async () => {
      const res = await t.http().get('/api/v1').set('Origin', 'https://evil.example').expect(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('server timeouts', () => {
    it('never cuts a long upload by total time, but bounds headers and idle sockets', () => {
      const server = t.app.getHttpServer();
      expect(server.requestTimeout).toBe(0);
      expect(server.headersTimeout).toBe(30_000);
      expect(server.timeout).toBe(120_000);
    });
  });
});

describe('JSON bodies that could hurt the server', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it('refuses nesting deeper than 32 levels with a 400 that says so, not a stack overflow', async () => {
    const body = `{"email":"a@b.c","password":${nestedArrays(1800)}}`;
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(400);
    expect(body.length).toBeLessThan(4096);
    expect(res.body).toEqual(errorShape(400, 'Bad Request'));
    expect(res.body.message).toEqual([expect.stringMatching(/deeper than 32 levels/)]);
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses a %s key, naming it like an unknown field',
    async (key) => {
      const email = uniqueEmail('proto');
      const res = await t
        .http()
        .post('/api/v1/auth/register')
        .set('Content-Type', 'application/json')
        .send(`{"email":"${email}","password":"${STRONG_PASSWORD}","${key}":{"role":"admin"}}`)
        .expect(400);
      expect(res.body.message).toEqual([`property ${key} should not exist`]);
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email, password: STRONG_PASSWORD })
        .expect(401);
    },
  );
});

describe('requests refused before routing', () => {
  let t: TestApp;
  let logs: ReturnType<typeof captureRequestLogs>;
  beforeAll(async () => {
    t = await createTestApp({ env: { LOG_LEVEL: 'info', JSON_BODY_LIMIT: '1KB' } });
    logs = captureRequestLogs(t);
  });
  afterAll(async () => {
    logs.restore();
    await t.close();
  });

  const json = (path: string) => t.http().post(path).set('Content-Type', 'application/json');
  const refusals: Array<[string, () => Test, number, string]> = [
    [
      'malformed JSON',
      () => json('/api/v1/auth/login').send('{"email": '),
      400,
      '/api/v1/auth/login',
    ],
    [
      'a body too large',
      () => json('/api/v1/auth/login').send(`"${'x'.repeat(4096)}"`),
      413,
      '/api/v1/auth/login',
    ],
    [
      'an unsupported encoding',
      () => json('/api/v1/auth/login').set('Content-Encoding', 'snappy').send('{}'),
      415,
      '/api/v1/auth/login',
    ],
    ['an unknown route', () => json('/api/v1/no-such-route').send('{}'), 404, 'unmatched'],
  ];

  it.each(refusals)(
    "%s keeps the client's request id and gets a log line",
    async (_what, send, status, route) => {
      const res = await send().set('X-Request-Id', `edge-${status}`).expect(status);
      expect(res.headers['x-request-id']).toBe(`edge-${status}`);
      expect(res.body.requestId).toBe(`edge-${status}`);
      const line = logs
        .lines()
        .find((entry) => (entry.req as { id?: unknown })?.id === `edge-${status}`);
      expect(line).toMatchObject({
        route,
        res: { statusCode: status },
        msg: `POST ${route} ${status}`,
      });
    },
  );

  it.each(refusals)(
    '%s without an id gets a new one, the same in header and body',
    async (_what, send, status) => {
      const res = await send().expect(status);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
    },
  );
});

describe('request body deadline (BODY_TIMEOUT)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { BODY_TIMEOUT: '1s' } });
  });
  afterAll(() => t.close());

  const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;

  it('cuts a JSON body trickled a byte at a time with 408 and closes the socket', async () => {
    const body = Buffer.from(
      JSON.stringify({ email: 'slow@example.com', password: 'x'.repeat(40) }),
    );
    const started = Date.now();
    const result = await trickle(
      t,
      head([
        'POST /api/v1/auth/login HTTP/1.1',
        'Host: localhost',
        'Content-Type: application/json',
        `Content-Length: ${body.length}`,
      ]),
      [...body].map((byte) => Buffer.from([byte])),
      { intervalMs: 100, giveUpMs: 5_000 },
    );
    expect(result.response).toMatch(/^HTTP\/1\.1 408 /);
    expect(result.response).toContain('BODY_TIMEOUT');
    expect(result.closedByServer).toBe(true);
    expect(result.sent).toBeLessThan(body.length);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('never cuts a multipart upload that keeps sending', async () => {
    const owner = await signUp(t, 'slow-upload');
    const boundary = 'XYZ';
    const parts = [
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.txt"\r\nContent-Type: text/plain\r\n\r\n`,
      ...Array.from({ length: 25 }, () => 'slow but steady\n'),
      `\r\n--${boundary}--\r\n`,
    ].map((part) => Buffer.from(part));
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    const result = await trickle(
      t,
      head([
        'POST /api/v1/files HTTP/1.1',
        'Host: localhost',
        `Authorization: ${owner.bearer}`,
        `Content-Type: multipart/form-data; boundary=${boundary}`,
        `Content-Length: ${length}`,
        'Connection: close',
      ]),
      parts,
      { intervalMs: 100, giveUpMs: 10_000 },
    );
    expect(result.sent).toBe(parts.length);
    expect(result.response).toMatch(/^HTTP\/1\.1 201 /);
  });
});

describe('development CORS default', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('accepts any localhost origin and nothing else', async () => {
    const local = await t.http().get('/api/v1').set('Origin', 'http://localhost:5173').expect(200);
    expect(local.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const remote = await t
      .http()
      .get('/api/v1')
      .set('Origin', 'http://localhost.evil.example')
      .expect(200);
    expect(remote.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '1m' } });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After past the limit, and never throttles probes', async () => {
    for (let i = 0; i < 3; i++) await t.http().get('/api/v1').expect(200);
    const limited = await t.http().get('/api/v1').expect(429);
    expect(limited.body).toEqual(errorShape(429, 'Too Many Requests'));
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    for (let i = 0; i < 5; i++) await t.http().get('/health/ready').expect(200);
    await t.http().get('/metrics').expect(200);
  });
});
