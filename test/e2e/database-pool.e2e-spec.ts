import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { signUp } from '../support/accounts';
import { createTestApp, type TestApp } from '../support/test-app';

const POOL_CAP = 3;
const BURST = 32;

/**
 * The application's pooled connections, from the driver's own events: how many were checked out at
 * once at most (each one open), and how many the pool closed for having been idle.
 */
function watchPool(t: TestApp): { peakInUse: () => number; closedIdle: () => number } {
  const client = t.app.get<Connection>(getConnectionToken()).getClient();
  let inUse = 0;
  let peakInUse = 0;
  let closedIdle = 0;
  client.on('connectionCheckedOut', () => {
    inUse++;
    peakInUse = Math.max(peakInUse, inUse);
  });
  client.on('connectionCheckedIn', () => inUse--);
  client.on('connectionClosed', (event: { reason: string }) => {
    if (event.reason === 'idle') closedIdle++;
  });
  return { peakInUse: () => peakInUse, closedIdle: () => closedIdle };
}

describe('the database connection pool', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { MONGO_MAX_POOL_SIZE: String(POOL_CAP), MONGO_MAX_IDLE_TIME: '1s' },
    });
  });
  afterAll(() => t.close());

  it('opens at most MONGO_MAX_POOL_SIZE connections under a burst, answers every request, and closes the idle ones', async () => {
    const account = await signUp(t, 'pool');
    const pool = watchPool(t);

    const statuses = await Promise.all(
      Array.from({ length: BURST }, () =>
        t
          .http()
          .get('/api/v1/files')
          .set('authorization', account.bearer)
          .then((res) => res.status),
      ),
    );

    expect(statuses).toEqual(Array(BURST).fill(200));
    expect(pool.peakInUse()).toBeGreaterThan(0);
    expect(pool.peakInUse()).toBeLessThanOrEqual(POOL_CAP);
    const deadline = Date.now() + 10_000;
    while (pool.closedIdle() === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(pool.closedIdle()).toBeGreaterThan(0);
  });
});
