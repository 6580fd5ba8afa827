import { EmbeddedDbProcess } from '@strongroom/embedded-db';
import { createTempDir, type TempDir, TEST_DATABASE_PREFIX } from '@strongroom/testing';
import { createTestApp, type TestApp } from '../support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls until the route answers the status, returning when the first probe that got it was sent:
 * a probe of a database that is down takes its ping timeout (2 s) to answer, by design, and a
 * Kubernetes probe counts from its sending too.
 */
async function waitForStatus(
  t: TestApp,
  path: string,
  status: number,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const sent = Date.now();
    const res = await t.http().get(path);
    if (res.status === status) return sent - started;
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `${path} still answered ${res.status} after ${timeoutMs} ms (wanted ${status})`,
      );
    }
    await sleep(250);
  }
}

describe('the database goes away and comes back', () => {
  let dir: TempDir;
  let db: EmbeddedDbProcess;
  let t: TestApp;

  beforeAll(async () => {
    dir = await createTempDir('outage');
    db = await EmbeddedDbProcess.start({ dataDir: dir.path });
    t = await createTestApp({ env: { MONGO_URL: `${db.url}${TEST_DATABASE_PREFIX}outage` } });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await db?.stop();
    await dir?.remove();
  });

  it('readiness turns 503 within 10 s and recovers without a restart', async () => {
    await t.http().get('/health/ready').expect(200);

    await db.kill();
    const downAfter = await waitForStatus(t, '/health/ready', 503, 10_000);
    expect(downAfter).toBeLessThan(10_000);
    const ready = await t.http().get('/health/ready').expect(503);
    expect(ready.body.details.database.status).toBe('down');
    expect(ready.body.details.storage.status).toBe('up');
    await t.http().get('/health').expect(503);
    await t.http().get('/health/live').expect(200);

    await db.restart();
    await waitForStatus(t, '/health/ready', 200, 30_000);
    await t.http().get('/health').expect(200);
  }, 60_000);
});
