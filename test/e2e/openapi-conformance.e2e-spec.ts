import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Account, ADMIN_ENV, firstAdmin, signUp } from '../support/accounts';
import { requirePythonTool } from '../support/python-tools';
import { runSchemathesis } from '../support/schemathesis';
import { createTestApp, type TestApp } from '../support/test-app';

const CONFIG = path.join(__dirname, 'openapi-conformance.schemathesis.toml');
const HOOKS = path.join(__dirname, 'openapi-conformance.hooks.py');

/**
 * Bounded (about 130 s for both passes on 2 cores) and deterministic: the same document and code
 * give the same requests, so a failure here reproduces on any machine. In deterministic mode
 * Schemathesis does not use the seed; it is there so that a run switched back to random
 * generation stays reproducible.
 */
const RUN_BOUNDS = ['--max-examples', '100', '--generation-deterministic', '--seed', '20261206'];

/**
 * Schemathesis against the real app: every operation of /docs-json, with every check, in every
 * phase (examples, coverage, fuzzing and the stateful phase that chains operations through the
 * links it infers). The document must describe what the server really does.
 */
describe('OpenAPI conformance (Schemathesis)', () => {
  let t: TestApp;
  let baseUrl: string;
  let workDir: string;

  beforeAll(async () => {
    // Every refused sign-in (password, code or passkey) holds a slot of the client's address, and
    // all of the run's come from one: the address lockout has its own tests.
    t = await createTestApp({ env: { ...ADMIN_ENV, LOGIN_IP_LOCKOUT_THRESHOLD: '100000' } });
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    workDir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-schemathesis-'));
  });

  afterAll(async () => {
    await t?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** Runs Schemathesis as `account` over the operations `filters` select, and expects no failure. */
  async function expectConformance(account: Account, filters: string[] = []): Promise<void> {
    const python = requirePythonTool('schemathesis');
    const run = await runSchemathesis(
      python,
      [
        '--config-file',
        CONFIG,
        'run',
        `${baseUrl}/docs-json`,
        '--checks',
        'all',
        // One worker: requests in a fixed order, so a run is the same run everywhere (concurrent
        // workers once raced a rename against a delete; races have their own tests).
        '--workers',
        '1',
        ...RUN_BOUNDS,
        ...filters,
      ],
      {
        cwd: workDir,
        env: { STRONGROOM_ST_TOKEN: account.tokens.accessToken, SCHEMATHESIS_HOOKS: HOOKS },
      },
    );
    if (run.status !== 0) process.stderr.write(run.output);
    expect({ status: run.status, summary: summaryOf(run.output) }).toEqual({
      status: 0,
      summary: expect.not.stringMatching(/failure|error/i),
    });
  }

  it('as a user: every operation answers as documented', async () => {
    await expectConformance(await signUp(t, 'schemathesis'), ENDS_OWN_SESSION);
  }, 900_000);

  it('as an admin: the user administration, audit and instance statistics routes answer as documented', async () => {
    await expectConformance(await firstAdmin(t), [
      '--include-path-regex',
      '^/api/v1/(users|audit-events|admin)',
      // Generated changes to the caller's own account (disable it, demote it, delete it, change
      // its password) would end the session the rest of the run needs; the user pass covers the
      // password change, and user-admin.e2e-spec.ts these two.
      '--exclude-path',
      '/api/v1/users/me/password',
      '--exclude-path',
      '/api/v1/users/{id}',
      ...ENDS_OWN_SESSION,
      // The documented links all lead to operations outside this selection, which Schemathesis
      // refuses as a stateful run; the user pass runs the stateful phase.
      '--phases',
      'examples,coverage,fuzzing',
    ]);
  }, 900_000);
});

/**
 * Ending the caller's sessions (all of them, or the one the stateful phase finds in the list)
 * ends the token the rest of the run uses; sessions.e2e-spec.ts covers these two.
 */
const ENDS_OWN_SESSION = [
  '--exclude-name',
  'DELETE /api/v1/users/me/sessions',
  '--exclude-name',
  'DELETE /api/v1/users/me/sessions/{id}',
];

/** The last line Schemathesis prints, e.g. "===== 2 failures, 3 warnings in 36.5s =====". */
function summaryOf(output: string): string {
  return output.trim().split('\n').pop() ?? '';
}
