import { spawnSync } from 'node:child_process';
import { access, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import request from 'supertest';
import {
  embeddedDbRegistryPath,
  ensureEmbeddedDbBinary,
  readEmbeddedDbRegistration,
} from '@strongroom/embedded-db';
import {
  assertTestDatabase,
  createTempDir,
  type TempDir,
  testServerUrl,
  uniqueTestDatabaseUrl,
} from '@strongroom/testing';
import { UsersService } from '@strongroom/users';
import { eventually, finished, runCli, startEntry } from '../support/cli';
import { createTestApp, type TestApp } from '../support/test-app';

const CHILD_TIMEOUT_MS = 90_000;

// Every case starts the CLI through ts-node, a few seconds each, more on a busy machine.
jest.setTimeout(3 * CHILD_TIMEOUT_MS);

const PASSWORD = 'copper kettle orbit lantern';
const NEW_PASSWORD = 'violet harbour gravel anthem';

describe('admin CLI with MONGO_URL', () => {
  let mongoUrl: string;
  let dataDir: TempDir;
  let testApp: TestApp;

  const cli = (args: string[], stdin?: string) =>
    runCli(args, { MONGO_URL: mongoUrl, DATA_DIR: dataDir.path }, stdin);
  const login = (email: string, password: string) =>
    testApp.http().post('/api/v1/auth/login').send({ email, password });
  const me = (accessToken: string) =>
    testApp.http().get('/api/v1/users/me').set('Authorization', `Bearer ${accessToken}`);

  beforeAll(async () => {
    mongoUrl = uniqueTestDatabaseUrl(testServerUrl());
    assertTestDatabase(mongoUrl);
    dataDir = await createTempDir('admin-cli');
    testApp = await createTestApp({ env: { MONGO_URL: mongoUrl } });
  });

  afterAll(async () => {
    await testApp?.close();
    await dataDir?.remove();
  });

  it('create-admin creates an admin who can sign in, and prints only the result', async () => {
    const result = await cli(
      ['create-admin', '--email', 'Root@Example.com', '--display-name', 'Root'],
      `${PASSWORD}\n`,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^created admin root@example\.com \([0-9a-f]{24}\)\n$/);

    const signedIn = await login('root@example.com', PASSWORD).expect(200);
    expect(signedIn.body.accessToken).toEqual(expect.any(String));
    const profile = await me(signedIn.body.accessToken as string).expect(200);
    expect(profile.body).toMatchObject({
      email: 'root@example.com',
      displayName: 'Root',
      role: 'admin',
    });
  });

  it('create-admin refuses a weak password and creates nothing', async () => {
    const result = await cli(['create-admin', '--email', 'weak@example.com'], 'password\n');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('error: password must be 12 to 128 characters long\n');
    await expect(testApp.app.get(UsersService).findByEmail('weak@example.com')).resolves.toBeNull();
  });

  it('create-admin refuses an email that already has an account', async () => {
    await testApp.app
      .get(UsersService)
      .create({ email: 'taken@example.com', password: PASSWORD, role: 'user' });
    const result = await cli(['create-admin', '--email', 'taken@example.com'], `${NEW_PASSWORD}\n`);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('error: An account with this email already exists\n');
    await login('taken@example.com', NEW_PASSWORD).expect(401);
  });

  it('create-admin refuses a malformed email and an empty password', async () => {
    const [badEmail, noPassword] = await Promise.all([
      cli(['create-admin', '--email', 'not-an-email'], `${PASSWORD}\n`),
      cli(['create-admin', '--email', 'empty@example.com'], ''),
    ]);
    expect(badEmail.status).toBe(1);
    expect(badEmail.stderr).toBe('error: email must be an email address\n');
    expect(noPassword.status).toBe(1);
    expect(noPassword.stderr).toMatch(/^error: no password on standard input/);
  });

  it('reset-password sets the new password and ends every session', async () => {
    await testApp.app
      .get(UsersService)
      .create({ email: 'forgetful@example.com', password: PASSWORD, role: 'user' });
    const before = await login('forgetful@example.com', PASSWORD).expect(200);

    const result = await cli(
      ['reset-password', '--email', 'Forgetful@example.com'],
      `${NEW_PASSWORD}\n`,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      'password reset for forgetful@example.com; their sessions have ended\n',
    );

    await login('forgetful@example.com', PASSWORD).expect(401);
    const after = await login('forgetful@example.com', NEW_PASSWORD).expect(200);
    await me(before.body.accessToken as string).expect(401);
    await testApp
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: before.body.refreshToken })
      .expect(401);
    await me(after.body.accessToken as string).expect(200);
  });

  it('reset-password keeps the old password when the new one is weak', async () => {
    await testApp.app
      .get(UsersService)
      .create({ email: 'steady@example.com', password: PASSWORD, role: 'user' });
    const result = await cli(['reset-password', '--email', 'steady@example.com'], 'steady\n');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('error: password must be 12 to 128 characters long\n');
    await login('steady@example.com', PASSWORD).expect(200);
  });

  it('reset-password refuses an unknown email', async () => {
    const result = await cli(['reset-password', '--email', 'nobody@example.com'], `${PASSWORD}\n`);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('error: there is no account with the email nobody@example.com\n');
  });

  it('usage errors and --help exit with their own codes', async () => {
    const [missing, help] = await Promise.all([
      cli(['create-admin'], `${PASSWORD}\n`),
      cli(['--help']),
    ]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("required option '-e, --email <email>' not specified");

    expect(help.status).toBe(0);
    expect(help.stdout).toContain('create-admin');
    expect(help.stdout).toContain('reset-password');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe('admin CLI without MONGO_URL (development)', () => {
  let dataDir: TempDir;

  beforeAll(async () => {
    await ensureEmbeddedDbBinary();
  }, 300_000);

  beforeEach(async () => {
    dataDir = await createTempDir('admin-cli-dev');
  });

  afterEach(() => dataDir.remove());

  it('uses the embedded database of the server running on the same DATA_DIR', async () => {
    const port = await freePort();
    const server = startEntry('apps/api/src/main.ts', [], {
      DATA_DIR: dataDir.path,
      PORT: String(port),
      LOG_LEVEL: 'error',
    });
    const serverExit = finished(server);
    try {
      const registration = await eventually(
        () => readEmbeddedDbRegistration(dataDir.path),
        'the server to register its embedded database',
      );
      expect(registration.pid).toBe(server.pid);
      const api = () => request(`http://127.0.0.1:${port}`);
      await eventually(
        async () => ((await api().get('/health/live')).ok ? true : undefined),
        'the server to listen',
      );

      const created = await runCli(
        ['create-admin', '--email', 'dev@example.com'],
        { DATA_DIR: dataDir.path },
        `${PASSWORD}\n`,
      );
      expect(created.stderr).toBe('');
      expect(created.status).toBe(0);
      await api()
        .post('/api/v1/auth/login')
        .send({ email: 'dev@example.com', password: PASSWORD })
        .expect(200);
    } finally {
      server.kill('SIGTERM');
    }
    expect((await serverExit).status).toBe(0);
    expect(await exists(embeddedDbRegistryPath(dataDir.path))).toBe(false);
  });

  it('starts an embedded database of its own on DATA_DIR/db when no server runs', async () => {
    // What a killed server leaves behind: a registration nothing answers at.
    await writeFile(
      embeddedDbRegistryPath(dataDir.path),
      JSON.stringify({ url: `mongodb://127.0.0.1:${await freePort()}/`, pid: 999_999 }),
    );
    const env = { DATA_DIR: dataDir.path };

    const created = await runCli(
      ['create-admin', '--email', 'solo@example.com'],
      env,
      `${PASSWORD}\n`,
    );
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(await exists(path.join(dataDir.path, 'db'))).toBe(true);

    // A second run opens the same files again, which finds the account created by the first.
    const reset = await runCli(
      ['reset-password', '--email', 'solo@example.com'],
      env,
      `${NEW_PASSWORD}\n`,
    );
    expect(reset.stderr).toBe('');
    expect(reset.status).toBe(0);

    const processes = spawnSync('ps', ['-ewwo', 'args'], { encoding: 'utf8' }).stdout;
    expect(processes).not.toContain(path.join(dataDir.path, 'db'));
  });
});
