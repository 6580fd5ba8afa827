import { createTestApp, type TestApp } from '../support/test-app';

describe('health endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /health reports healthy with timestamp, version and checks', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toEqual({
      status: 'healthy',
      timestamp: expect.any(String),
      version: t.config.version,
      checks: { database: 'up', storage: 'up' },
    });
    expect(Number.isNaN(Date.parse(res.body.timestamp))).toBe(false);
  });

  it('GET /health/live answers without touching dependencies', async () => {
    const res = await t.http().get('/health/live').expect(200);
    expect(res.body.status).toBe('ok');
  });

  it('GET /health/ready checks the database and storage', async () => {
    const res = await t.http().get('/health/ready').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details.database.status).toBe('up');
    expect(res.body.details.storage).toEqual({ status: 'up', driver: 'local' });
  });

  it('never shows connection strings or paths', async () => {
    for (const path of ['/health', '/health/ready', '/health/live']) {
      const text = (await t.http().get(path)).text;
      expect(text).not.toMatch(/mongodb:\/\//);
      expect(text).not.toContain(t.config.dataDir);
    }
  });

  it('health routes are not under the API prefix', async () => {
    await t.http().get('/api/v1/health').expect(404);
  });
});

describe('readiness when storage is not writable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('turns 503 and names only the failing check', async () => {
    const { chmod } = await import('node:fs/promises');
    const root = t.config.storage.local.path;
    await chmod(root, 0o500);
    try {
      // root bypasses permission bits; the check is meaningful only for an unprivileged user.
      if (process.getuid?.() === 0) {
        const { rm } = await import('node:fs/promises');
        await rm(root, { recursive: true, force: true });
        const { writeFile } = await import('node:fs/promises');
        await writeFile(root, 'not a folder');
      }
      const res = await t.http().get('/health/ready').expect(503);
      expect(res.body.status).toBe('error');
      expect(res.body.details.database.status).toBe('up');
      expect(res.body.details.storage.status).toBe('down');
      expect(JSON.stringify(res.body)).not.toContain(root);
      const summary = await t.http().get('/health').expect(503);
      expect(summary.body).toMatchObject({
        status: 'unhealthy',
        checks: { database: 'up', storage: 'down' },
      });
    } finally {
      const { rm, mkdir } = await import('node:fs/promises');
      await rm(root, { recursive: true, force: true });
      await mkdir(root, { recursive: true });
    }
  });
});
