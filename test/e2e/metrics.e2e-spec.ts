import { metricValue } from '../support/metrics';
import { createTestApp, type TestApp } from '../support/test-app';

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('exposes default process metrics', async () => {
    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toContain('process_cpu_seconds_total');
  });

  it('exposes event-loop lag and active handles, which the StrongroomEventLoopLag alert reads', async () => {
    const res = await t.http().get('/metrics').expect(200);
    for (const series of [
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_active_handles_total',
      'nodejs_active_resources_total',
    ]) {
      expect(res.text).toMatch(new RegExp(`^${series} \\d`, 'm'));
    }
  });

  it("counts the database driver's pool connections, which the soak benchmark watches for growth", async () => {
    await t.http().get('/health/ready').expect(200);
    const open = await metricValue(t, 'mongodb_pool_connections{state="open"}');
    const inUse = await metricValue(t, 'mongodb_pool_connections{state="in_use"}');
    expect(open).toBeGreaterThanOrEqual(1);
    expect(inUse).toBeGreaterThanOrEqual(0);
    expect(inUse).toBeLessThanOrEqual(open);
  });

  it('times requests by method, route template and status, never by raw URL', async () => {
    await t.http().get('/health').expect(200);
    await t.http().get('/api/v1/no-such-thing/6650f1c2a1b2c3d4e5f60718').expect(404);
    const res = await t.http().get('/metrics').expect(200);
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} [1-9]/,
    );
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} [1-9]/,
    );
    expect(res.text).not.toContain('6650f1c2a1b2c3d4e5f60718');
  });
});

describe('labels of requests refused before routing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("labels a body refused on a known route with that route's template, and a 405 too", async () => {
    const series = (method: string, status: number) =>
      `http_request_duration_seconds_count{method="${method}",route="/api/v1/auth/login",status="${status}"}`;
    const [badJson, wrongMethod] = [
      await metricValue(t, series('POST', 400)),
      await metricValue(t, series('PUT', 405)),
    ];
    await t
      .http()
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": ')
      .expect(400);
    await t.http().put('/api/v1/auth/login').expect(405);
    expect(await metricValue(t, series('POST', 400))).toBe(badJson + 1);
    expect(await metricValue(t, series('PUT', 405))).toBe(wrongMethod + 1);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  const token = 'metrics-token-'.padEnd(40, 'x');
  beforeAll(async () => {
    t = await createTestApp({ env: { METRICS_TOKEN: token } });
  });
  afterAll(() => t.close());

  it('answers only a scraper that sends the token', async () => {
    const missing = await t.http().get('/metrics').expect(401);
    expect(missing.body.message).toMatch(/METRICS_TOKEN/);
    await t.http().get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
    const ok = await t.http().get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
    expect(ok.text).toContain('http_request_duration_seconds');
  });
});
