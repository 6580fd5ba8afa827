import { spawnSync } from 'node:child_process';
import path from 'node:path';

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
