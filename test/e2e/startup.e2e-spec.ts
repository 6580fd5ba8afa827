import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { ensureEmbeddedDbBinary } from '@strongroom/embedded-db';
import { createTempDir, freeLoopbackPort, type TempDir } from '@strongroom/testing';
import { eventually, finished, startEntry } from '../support/cli';

const repoRoot = path.resolve(__dirname, '../..');

/** Runs the real entry point (through ts-node) with exactly the given environment. */
function startServer(env: Record<string, string>) {
  return spawnSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'apps/api/src/main.ts',
    ],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
}

describe('start-up refuses weak production settings', () => {
  it('names every missing production setting in one message and exits non-zero', () => {
    const result = startServer({ ENVIRONMENT: 'production' });
    expect(result.status).toBe(1);
    for (const variable of [
      'MONGO_URL',
      'SECRET_KEY',
      'ALLOWED_ORIGINS',
      'PUBLIC_URL',
      'ENCRYPTION_KEYS',
      'METRICS_TOKEN',
    ]) {
      expect(result.stderr).toContain(variable);
    }
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects a short secret, a wildcard origin and a nonsense size together', () => {
    const result = startServer({
      ENVIRONMENT: 'production',
      MONGO_URL: 'mongodb://127.0.0.1:1/strongroom',
      SECRET_KEY: 'too-short',
      ALLOWED_ORIGINS: '*',
      PUBLIC_URL: 'https://files.example.com',
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      METRICS_TOKEN: 'm'.repeat(40),
      MAX_FILE_SIZE: 'lots',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SECRET_KEY: must be at least 32 characters');
    expect(result.stderr).toContain('ALLOWED_ORIGINS: * is not allowed in production');
    expect(result.stderr).toContain("MAX_FILE_SIZE: 'lots' is not a size");
    expect(result.stderr).not.toContain('too-short');
  });
});

describe('the embedded database lives and dies with its API', () => {
  let dataDir: TempDir;

  beforeAll(async () => {
    await ensureEmbeddedDbBinary();
    dataDir = await createTempDir('startup-embedded-db');
  }, 300_000);

  afterAll(() => dataDir.remove());

  const isRunning = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  const startApi = async () => {
    const port = await freeLoopbackPort();
    const server = startEntry('apps/api/src/main.ts', [], {
      DATA_DIR: dataDir.path,
      PORT: String(port),
      LOG_LEVEL: 'error',
    });
    return { server, exit: finished(server), api: () => request(`http://127.0.0.1:${port}`) };
  };

  it('a second API on the same DATA_DIR is refused, naming the holder; a killed API takes its database along', async () => {
    const first = await startApi();
    try {
      await eventually(
        async () => ((await first.api().get('/health/live')).ok ? true : undefined),
        'the first API to listen',
      );
      const lock = await readFile(path.join(dataDir.path, 'db', 'embedded-db.lock'), 'utf8');
      const dbPid = Number(/pid=(\d+)/.exec(lock)?.[1]);
      expect(lock).toContain(`ppid=${first.server.pid}`);
      expect(isRunning(dbPid)).toBe(true);

      const second = await (await startApi()).exit;
      expect(second.status).toBe(1);
      expect(second.stderr).toContain('Strongroom failed to start');
      expect(second.stderr).toMatch(
        new RegExp(
          `in use by embedded-db process ${dbPid} \\(started by process ${first.server.pid}\\)`,
        ),
      );
      await first.api().get('/health/live').expect(200);

      first.server.kill('SIGKILL');
      await first.exit;
      const started = Date.now();
      await eventually(
        () => Promise.resolve(isRunning(dbPid) ? undefined : true),
        'the embedded database to exit after its API was killed',
        10_000,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      first.server.kill('SIGKILL');
    }

    // The lock went with its holder: the next start opens the same data.
    const next = await startApi();
    try {
      await eventually(
        async () => ((await next.api().get('/health/live')).ok ? true : undefined),
        'the next API to listen',
      );
    } finally {
      next.server.kill('SIGTERM');
    }
    expect((await next.exit).status).toBe(0);
  }, 300_000);
});
