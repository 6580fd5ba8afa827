/**
 * Login latency benchmark (not a test): `npm run bench [-- --iterations N] [-- --warmup N]`.
 *
 * Boots the real application on a throw-away test database, listens on 127.0.0.1, and times,
 * one operation at a time, after a warm-up: a raw argon2id verification (the floor every login
 * pays), a login with the right password, one with a wrong password and one with an unknown
 * email. The four are interleaved round by round, so background load skews them alike. It
 * prints percentiles, each login's p50 against the argon2 floor, and whether an unknown email
 * costs the same as a wrong password (so timing does not reveal which accounts exist). It always
 * exits 0 once it has measured: the target line is information, not a verdict. See README.md.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { hash, verify } from '@node-rs/argon2';
import { createTempDir, uniqueTestDatabaseUrl } from '@strongroom/testing';
import { ARGON2_OPTIONS } from '@strongroom/users';
import { createTestApp } from '../test/support/test-app';
import { formatTable, ms, ratio, summarize, type Summary } from './stats';
import { Cleanups } from './support/cleanups';
import { startBenchDatabase } from './support/bench-database';
import { runBenchmark, UsageError } from './support/run-benchmark';

const TARGET_P50_MS = 150;
const DEFAULT_ITERATIONS = 200;
const DEFAULT_WARMUP = 10;
/**
 * Both failing scenarios count against our one IP: 2 × (20 000 + 20 000) < 100 000, the bench's
 * LOGIN_IP_LOCKOUT_THRESHOLD (the highest the config allows).
 */
const MAX_ITERATIONS = 20_000;
/** A failing scenario moves to a fresh email this often, well below LOGIN_LOCKOUT_THRESHOLD. */
const FAILURES_PER_EMAIL = 500;
const PASSWORD = 'copper kettle orbit lantern 42';
const WRONG_PASSWORD = 'copper kettle orbit lantern 24';
const LOGIN_PATH = '/api/v1/auth/login';
const REGISTER_PATH = '/api/v1/auth/register';

interface Options {
  iterations: number;
  warmup: number;
}

interface Result {
  scenario: string;
  summary: Summary;
  /** Logins only: compared with the raw argon2 baseline. */
  http: boolean;
}

const USAGE = `usage: npm run bench [-- --iterations N] [-- --warmup N]
  --iterations N  timed runs per scenario (default ${DEFAULT_ITERATIONS}, at most ${MAX_ITERATIONS})
  --warmup N      untimed rounds before the timed ones (default ${DEFAULT_WARMUP})
  MONGO_URL       use this MongoDB server (a fresh strongroom-test-* database on it, dropped after)
                  instead of starting the embedded database`;

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { iterations: DEFAULT_ITERATIONS, warmup: DEFAULT_WARMUP };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (flag !== '--iterations' && flag !== '--warmup') {
      throw new UsageError(`unknown argument '${argv[i]}'`);
    }
    const raw = inline ?? argv[++i];
    const value = Number(raw);
    const min = flag === '--iterations' ? 1 : 0;
    if (raw === undefined || !Number.isInteger(value) || value < min || value > MAX_ITERATIONS) {
      throw new UsageError(`${flag} needs a whole number from ${min} to ${MAX_ITERATIONS}`);
    }
    options[flag === '--iterations' ? 'iterations' : 'warmup'] = value;
  }
  return options;
}

/**
 * Runs the scenarios in rounds, one operation at a time: each round runs every scenario once, in
 * an order that rotates from round to round. Whatever else the machine is doing then slows all
 * of them alike, so their ratios stay meaningful on a busy host. Returns milliseconds per scenario.
 */
async function measureInterleaved(
  options: Options,
  scenarios: readonly ((attempt: number) => Promise<void>)[],
): Promise<number[][]> {
  const samples = scenarios.map((): number[] => []);
  for (let round = 0; round < options.warmup + options.iterations; round++) {
    for (let k = 0; k < scenarios.length; k++) {
      const index = (round + k) % scenarios.length;
      const start = performance.now();
      await scenarios[index](round);
      const elapsed = performance.now() - start;
      if (round >= options.warmup) samples[index].push(elapsed);
    }
  }
  return samples;
}

function uniqueEmail(label: string): string {
  return `bench-${label}-${randomBytes(4).toString('hex')}@example.com`;
}

async function post(baseUrl: string, route: string, body: string): Promise<number> {
  const response = await fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await response.arrayBuffer(); // the whole answer, as a client would wait for it
  return response.status;
}

async function register(baseUrl: string, email: string): Promise<void> {
  const status = await post(baseUrl, REGISTER_PATH, JSON.stringify({ email, password: PASSWORD }));
  if (status !== 201) throw new Error(`registering ${email} answered ${status}, expected 201`);
}

/** One login request per attempt; any other status than `expected` stops the benchmark. */
function loginScenario(
  baseUrl: string,
  emails: readonly string[],
  password: string,
  expected: number,
): (attempt: number) => Promise<void> {
  const bodies = emails.map((email) => JSON.stringify({ email, password }));
  return async (attempt) => {
    const body = bodies[Math.floor(attempt / FAILURES_PER_EMAIL) % bodies.length];
    const status = await post(baseUrl, LOGIN_PATH, body);
    if (status !== expected) {
      throw new Error(`login answered ${status}, expected ${expected} (attempt ${attempt})`);
    }
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const cleanups = new Cleanups();

  try {
    const temp = await createTempDir('bench');
    cleanups.push(() => temp.remove());
    const { url: server, label: databaseLabel } = await startBenchDatabase(
      temp.path,
      cleanups,
      // eslint-disable-next-line no-restricted-properties -- benchmark script
      process.env.MONGO_URL,
      (msg) => console.error(msg),
    );

    const testApp = await createTestApp({
      env: {
        MONGO_URL: uniqueTestDatabaseUrl(server),
        LOGIN_LOCKOUT_THRESHOLD: '1000',
        LOGIN_IP_LOCKOUT_THRESHOLD: '100000',
        AUTH_RATE_LIMIT_MAX: '1000000',
        RATE_LIMIT_MAX: '1000000',
      },
    });
    cleanups.push(() => testApp.close());
    await testApp.app.listen(0, '127.0.0.1');
    const { port } = testApp.app.getHttpServer().address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;

    const baselineHash = await hash(PASSWORD, ARGON2_OPTIONS);
    const phcParams = baselineHash.split('$').slice(1, 4).join('$');
    const cpus = os.cpus();
    const failingEmails = Math.ceil((options.warmup + options.iterations) / FAILURES_PER_EMAIL);

    console.log('Strongroom login latency benchmark');
    console.log(`  node      ${process.version} (${process.platform} ${process.arch})`);
    console.log(`  cpu       ${cpus[0]?.model ?? 'unknown'} (${cpus.length} logical cores)`);
    console.log(
      `  argon2    ${phcParams} (memoryCost ${ARGON2_OPTIONS.memoryCost} KiB, ` +
        `timeCost ${ARGON2_OPTIONS.timeCost}, parallelism ${ARGON2_OPTIONS.parallelism})`,
    );
    console.log(`  load      ${os.loadavg()[0].toFixed(2)} (1-minute load average at the start)`);
    console.log(`  database  ${databaseLabel}`);
    console.log(
      `  runs      ${options.iterations} timed per scenario after ${options.warmup} warm-up, ` +
        `interleaved, one at a time, over a real socket to ${baseUrl}`,
    );
    console.log(`  target    correct-password login p50 under ${TARGET_P50_MS} ms on this machine`);
    console.log('');

    // Fresh accounts per scenario, registered before timing starts (registration hashes).
    const correctEmail = uniqueEmail('correct');
    await register(baseUrl, correctEmail);
    const wrongEmails = Array.from({ length: failingEmails }, () => uniqueEmail('wrong'));
    for (const email of wrongEmails) await register(baseUrl, email);
    const unknownEmails = Array.from({ length: failingEmails }, () => uniqueEmail('unknown'));

    const rawVerify = async () => {
      const matches = await verify(baselineHash, PASSWORD);
      if (!matches) throw new Error('argon2 verify returned false');
    };
    process.stderr.write('  measuring the four scenarios, interleaved ...');
    const [baseline, correct, wrong, unknown] = (
      await measureInterleaved(options, [
        rawVerify,
        loginScenario(baseUrl, [correctEmail], PASSWORD, 200),
        loginScenario(baseUrl, wrongEmails, WRONG_PASSWORD, 401),
        loginScenario(baseUrl, unknownEmails, PASSWORD, 401),
      ])
    ).map(summarize);
    process.stderr.write(' done\n');

    const results: Result[] = [
      { scenario: 'argon2id verify (raw, no HTTP)', summary: baseline, http: false },
      { scenario: 'login, correct password', summary: correct, http: true },
      { scenario: 'login, wrong password', summary: wrong, http: true },
      { scenario: 'login, unknown email', summary: unknown, http: true },
    ];
    console.error('');

    console.log(
      formatTable(
        ['scenario', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'mean ms', 'p50 / argon2'],
        results.map(({ scenario, summary, http }) => [
          scenario,
          String(summary.n),
          ms(summary.p50),
          ms(summary.p90),
          ms(summary.p99),
          ms(summary.mean),
          http ? ratio(summary.p50 / baseline.p50) : '1.00x (baseline)',
        ]),
      ),
    );
    console.log('');
    console.log(
      `unknown email p50 / wrong password p50 = ${ratio(unknown.p50 / wrong.p50)} ` +
        `(${ms(unknown.p50 - wrong.p50)} ms apart; about 1.00x means login timing does not ` +
        'reveal whether an account exists)',
    );
    const met = correct.p50 < TARGET_P50_MS;
    console.log(
      `${met ? 'TARGET MET' : 'TARGET MISSED'}: correct-password login p50 ${ms(correct.p50)} ms ` +
        `${met ? '<' : '>='} ${TARGET_P50_MS} ms`,
    );
  } finally {
    await cleanups.run();
  }
}

runBenchmark(main, USAGE);
