import Redis from 'ioredis';
import { REDIS_CLIENT, REDIS_KEY_PREFIX } from '@strongroom/redis';
import { createTempDir, freeLoopbackPort, RedisServer, type TempDir } from '@strongroom/testing';
import { createTestApp, type TestApp } from '../support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LIMIT = 5;

/** Polls `check` until it passes or `timeoutMs` is over (the client reconnects with backoff). */
async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}

describe('rate limits in a shared Redis (REDIS_URL)', () => {
  let workDir: TempDir;
  let redis: RedisServer;
  let inspector: Redis;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    workDir = await createTempDir('redis');
    redis = await RedisServer.start({ workDir: workDir.path });
    inspector = new Redis(redis.url, { lazyConnect: true });
    await inspector.connect();
    const env = { REDIS_URL: redis.url, RATE_LIMIT_MAX: String(LIMIT), RATE_LIMIT_WINDOW: '1m' };
    apps.push(await createTestApp({ env }), await createTestApp({ env }));
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    inspector?.disconnect();
    await redis?.stop();
    await workDir?.remove();
  });

  it('counts the requests to two instances together and keeps the counters in Redis', async () => {
    const [first, second] = apps;
    for (let i = 0; i < LIMIT; i++) {
      await (i % 2 === 0 ? first : second).http().get('/api/v1').expect(200);
    }
    for (const app of apps) {
      const limited = await app.http().get('/api/v1').expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    }

    const keys = await inspector.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => key.startsWith(REDIS_KEY_PREFIX))).toBe(true);
    const hits = keys.filter((key) => key.endsWith(':default}:hits'));
    expect(hits).toHaveLength(1);
    expect(Number(await inspector.get(hits[0]))).toBeGreaterThan(LIMIT);
  });

  it('runs the counting script by its hash, sending its text once, not with every request', async () => {
    await inspector.flushall();
    await inspector.config('RESETSTAT');
    for (let i = 0; i < LIMIT; i++) await apps[i % 2].http().get('/api/v1').expect(200);
    const stats = await inspector.info('commandstats');
    const calls = (command: string) =>
      Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
    expect(calls('evalsha')).toBeGreaterThanOrEqual(LIMIT);
    // ioredis sends the text when Redis answers NOSCRIPT: at most once per instance.
    expect(calls('eval')).toBeLessThanOrEqual(apps.length);
  });

  it('sends the commands of requests that arrive together in one write, and reads their answers', async () => {
    const client = apps[0].app.get<Redis>(REDIS_CLIENT);
    const write = jest.spyOn(client.stream, 'write');
    try {
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => client.echo(`together-${i}`)),
      );
      expect(answers).toEqual(Array.from({ length: 8 }, (_, i) => `together-${i}`));
      expect(write).toHaveBeenCalledTimes(1);
    } finally {
      write.mockRestore();
    }
  });

  it('reports Redis in readiness', async () => {
    const ready = await apps[0].http().get('/health/ready').expect(200);
    expect(ready.body.details.redis).toEqual({ status: 'up' });
  });

  it('answers 503 while Redis is away, and recovers by itself when it returns', async () => {
    await inspector.flushall();
    const [app] = apps;
    const port = redis.port;
    await redis.stop();

    await eventually(async () => {
      const down = await app.http().get('/api/v1');
      expect(down.status).toBe(503);
      expect(down.body.message).toBe('The rate-limit store is unavailable; try again shortly');
    });
    const notReady = await app.http().get('/health/ready').expect(503);
    expect(notReady.body.details.redis.status).toBe('down');
    await app.http().get('/health/live').expect(200);

    redis = await RedisServer.start({ workDir: workDir.path, port });
    await eventually(async () => {
      await app.http().get('/api/v1').expect(200);
    });
    await app.http().get('/health/ready').expect(200);
  });
});

describe('start-up with REDIS_URL', () => {
  it('waits for a Redis that comes up after the application', async () => {
    const workDir = await createTempDir('redis-late');
    const port = await freeLoopbackPort();
    let redis: RedisServer | undefined;
    let app: TestApp | undefined;
    try {
      const starting = createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
      let settled = false;
      void starting.then(
        () => (settled = true),
        () => (settled = true),
      );
      await sleep(1_500);
      expect(settled).toBe(false);

      redis = await RedisServer.start({ workDir: workDir.path, port });
      app = await starting;
      await app.http().get('/api/v1').expect(200);
      await app.http().get('/health/ready').expect(200);
    } finally {
      await app?.close();
      await redis?.stop();
      await workDir.remove();
    }
  });
});
