/**
 * Small-requests benchmark (not a test): `npm run bench:requests [-- --quick] [-- --profile]`.
 *
 * Many people at once doing small things: autocannon (32 connections) against three
 * authenticated routes of our server (the real application, compiled, request logging on at
 * `info` as in production) and of a bare Node server doing the same work in the same run
 * (bench/support/bare-api-server.ts: verify the same HS256 token, look the user up in the same
 * database, answer the same JSON or stream the same 64 KiB). Each round runs every route against
 * both, back to back, in an order that rotates, so background load skews both alike. Goal per
 * route: at least 0.7× the bare server's requests per second, with a p99 at most 2× its p99.
 * `--profile` then loads a second instance of ours under `--cpu-prof` and prints where its CPU
 * time went. See README.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import {
  compileForChildren,
  type CompiledTree,
  RedisServer,
  uniqueTestDatabaseUrl,
} from '@strongroom/testing';
import { spawnReadyChild } from './support/child-process';
import { Cleanups } from './support/cleanups';
import { startBenchWorkspace } from './support/bench-database';
import { readCpuSeconds } from './support/cpu-time';
import {
  formatProfileSummary,
  newestCpuProfile,
  profileClockUs,
  summarizeCpuProfile,
} from './support/cpu-profile';
import { type OurServer, startOurServer } from './support/our-server';
import { runBenchmark, UsageError } from './support/run-benchmark';
import { formatTable, median, ms, ratio } from './stats';

// eslint-disable-next-line no-restricted-properties -- a benchmark: its own command line and environment
const PARENT_ENV = process.env;

const CONNECTIONS = 32;
const CONTENT_BYTES = 64 * 1024;
const RPS_GOAL = 0.7;
const P99_GOAL = 2;
const READY_TIMEOUT_MS = 60_000;

const USAGE = `usage: npm run bench:requests [-- --quick] [-- --rounds N] [-- --seconds N] [-- --profile]
  --rounds N    timed rounds; each runs every route once per server (default 3; --quick: 1)
  --seconds N   length of one autocannon run in seconds (default 10; --quick: 4)
  --quick       one round of 4-second runs: a quick look, noisier
  --profile     afterwards, profile our server under the same load and print where the time went
                per route (BENCH_PROF=<dir> keeps the .cpuprofile there)
  MONGO_URL     use this MongoDB server (a fresh strongroom-test-* database on it, dropped after)
                instead of starting the embedded database`;

interface Options {
  rounds: number;
  seconds: number;
  profile: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const quick = argv.includes('--quick');
  const options: Options = { rounds: quick ? 1 : 3, seconds: quick ? 4 : 10, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (flag === '--quick') continue;
    if (flag === '--profile') {
      options.profile = true;
      continue;
    }
    if (flag !== '--rounds' && flag !== '--seconds') {
      throw new UsageError(`unknown argument '${argv[i]}'`);
    }
    const raw = inline ?? argv[++i];
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 100) {
      throw new UsageError(`${flag} needs a whole number from 1 to 100`);
    }
    options[flag === '--rounds' ? 'rounds' : 'seconds'] = value;
  }
  return options;
}

const dbCpu = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(2));

function progress(message: string): void {
  console.error(`[bench:requests] ${message}`);
}

interface Target {
  label: string;
  /** The server process, whose CPU time each run reads. */
  pid: number;
  /** The embedded database's process, shared by both servers; each run reads its CPU too. */
  databasePid?: () => number | undefined;
  baseUrl: string;
  authorization: string;
  paths: Record<RouteName, string>;
}

const ROUTES = ['GET /api/v1/users/me', 'GET /api/v1/files/:id', 'GET /api/v1/files/:id/content'];
type RouteName = (typeof ROUTES)[number];

interface Run {
  rps: number;
  p50: number;
  p99: number;
  /** The server process's user + system CPU per answered request. */
  cpuMsPerRequest: number;
  /** The database's, during the same run (NaN with MONGO_URL). */
  dbCpuMsPerRequest: number;
}

async function load(target: Target, route: RouteName, seconds: number): Promise<Run> {
  const cpuBefore = readCpuSeconds(target.pid) ?? 0;
  const databasePid = target.databasePid?.();
  const dbCpuBefore = databasePid ? readCpuSeconds(databasePid) : undefined;
  const result = await autocannon({
    url: target.baseUrl + target.paths[route],
    connections: CONNECTIONS,
    duration: seconds,
    headers: { authorization: target.authorization },
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) {
    throw new Error(
      `${target.label} ${route}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  const cpuSeconds = (readCpuSeconds(target.pid) ?? 0) - cpuBefore;
  const dbCpuAfter = databasePid ? readCpuSeconds(databasePid) : undefined;
  const requests = Math.max(result.requests.total, 1);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuMsPerRequest: (cpuSeconds * 1000) / requests,
    dbCpuMsPerRequest:
      dbCpuBefore !== undefined && dbCpuAfter !== undefined
        ? ((dbCpuAfter - dbCpuBefore) * 1000) / requests
        : Number.NaN,
  };
}

async function uploadContent(server: OurServer, bytes: Buffer): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), 'small.bin');
  const response = await fetch(`${server.baseUrl}/api/v1/files`, {
    method: 'POST',
    headers: { authorization: server.authorization },
    body: form,
  });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 201 || !body.id) {
    throw new Error(`upload answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.id;
}

function oursTarget(server: OurServer, fileId: string, authorization: string): Target {
  return {
    label: 'ours',
    pid: server.pid,
    baseUrl: server.baseUrl,
    authorization,
    paths: {
      'GET /api/v1/users/me': '/api/v1/users/me',
      'GET /api/v1/files/:id': `/api/v1/files/${fileId}`,
      'GET /api/v1/files/:id/content': `/api/v1/files/${fileId}/content`,
    },
  };
}

/** The keys both servers share: the token secret, and the key-encryption keys of stored files. */
interface Secrets {
  SECRET_KEY: string;
  ENCRYPTION_KEYS: string;
}

async function startServer(
  workDir: string,
  mongoUrl: string,
  secrets: Secrets,
  compiled: CompiledTree,
  nodeFlags: readonly string[] = [],
  redisUrl: string,
  dataDir = workDir,
): Promise<OurServer> {
  // Production's request logging: one JSON line per request, at info; Redis as a deployment of
  // more than one instance has it (rate limits, and the principal cache needs it).
  return startOurServer(
    'requests',
    workDir,
    mongoUrl,
    { LOG_LEVEL: 'info', ...secrets, DATA_DIR: dataDir, REDIS_URL: redisUrl },
    compiled,
    nodeFlags,
  );
}

async function profileOurs(
  workDir: string,
  mongoUrl: string,
  secrets: Secrets,
  compiled: CompiledTree,
  redisUrl: string,
  dataDir: string,
  fileId: string,
  authorization: string,
  seconds: number,
): Promise<string> {
  // BENCH_PROF keeps the profile for a closer look (Chrome DevTools, speedscope).
  const profileDir = PARENT_ENV.BENCH_PROF ?? path.join(workDir, 'cpu-profile');
  // The same database and files as the measured instance: the file it serves is there.
  const server = await startServer(
    workDir,
    mongoUrl,
    secrets,
    compiled,
    ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
    redisUrl,
    dataDir,
  );
  const windows = new Map<RouteName, { fromUs: number; toUs: number; requests: number }>();
  try {
    const target = oursTarget(server, fileId, authorization);
    for (const route of ROUTES) {
      // Untimed first: the window below then holds the route's steady state, not its compilation.
      await load(target, route, 2);
      const fromUs = profileClockUs();
      const run = await load(target, route, seconds);
      windows.set(route, { fromUs, toUs: profileClockUs(), requests: run.rps * seconds });
    }
  } finally {
    await server.child.stop();
  }
  const file = await newestCpuProfile(profileDir);
  if (!file) return 'no CPU profile was written';
  const sections: string[] = [];
  for (const [route, window] of windows) {
    const summary = await summarizeCpuProfile(file, { window, top: 12 });
    const perRequest = summary.busyMs / Math.max(window.requests, 1);
    sections.push(
      `${route}: ${summary.busyMs.toFixed(0)} ms of CPU sampled over ${window.requests.toFixed(0)} requests (${perRequest.toFixed(2)} ms each)\n\n` +
        formatProfileSummary(summary),
    );
  }
  return sections.join('\n\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const repoRoot = path.resolve(__dirname, '..');
  const cleanups = new Cleanups();
  try {
    const loadAtStart = os.loadavg();
    const {
      temp,
      url: mongoServer,
      label: databaseLabel,
      pid: databasePid,
    } = await startBenchWorkspace('bench-requests', cleanups, progress);
    const mongoUrl = uniqueTestDatabaseUrl(mongoServer);
    const secrets: Secrets = {
      SECRET_KEY: randomBytes(32).toString('hex'),
      ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    };

    progress('compiling the servers to JavaScript (they run as compiled code, not under ts-node)');
    const compiled = await compileForChildren(repoRoot, path.join(temp.path, 'build'));

    progress('starting our server and the bare Node server');
    progress('starting Redis');
    await mkdir(path.join(temp.path, 'redis'));
    const redis = await RedisServer.start({ workDir: path.join(temp.path, 'redis') });
    cleanups.push(() => redis.stop());
    const ours = await startServer(
      path.join(temp.path, 'ours'),
      mongoUrl,
      secrets,
      compiled,
      [],
      redis.url,
    );
    cleanups.push(() => ours.child.stop());
    const content = randomBytes(CONTENT_BYTES);
    const fileId = await uploadContent(ours, content);
    const bareCommand = compiled.command('bench/support/bare-api-server.ts');
    const bare = await spawnReadyChild(
      {
        name: 'bare API server',
        binary: bareCommand.command,
        args: bareCommand.args,
        cwd: bareCommand.cwd,
        logFile: path.join(temp.path, 'bare-server.log'),
        env: {
          BENCH_MONGO_URL: mongoUrl,
          BENCH_SECRET_KEY: secrets.SECRET_KEY,
          BENCH_ENCRYPTION_KEYS: secrets.ENCRYPTION_KEYS,
          // Where ours keeps the file (DATA_DIR/uploads): the bare server decrypts the same blob.
          BENCH_STORAGE_ROOT: path.join(temp.path, 'ours', 'uploads'),
        },
      },
      READY_TIMEOUT_MS,
    );
    cleanups.push(() => bare.child.stop());
    const targets: Target[] = [
      { ...oursTarget(ours, fileId, ours.authorization), databasePid },
      {
        label: 'bare',
        pid: bare.ready.pid,
        databasePid,
        baseUrl: `http://127.0.0.1:${bare.ready.port}`,
        authorization: ours.authorization,
        paths: {
          'GET /api/v1/users/me': '/me',
          'GET /api/v1/files/:id': `/files/${fileId}`,
          'GET /api/v1/files/:id/content': `/files/${fileId}/content`,
        },
      },
    ];

    progress('warming up (2 s per route and server, not recorded)');
    for (const route of ROUTES) for (const target of targets) await load(target, route, 2);

    const runs = new Map<string, Run[]>();
    for (let round = 0; round < options.rounds; round++) {
      for (const route of ROUTES) {
        const order = round % 2 === 0 ? targets : [...targets].reverse();
        for (const target of order) {
          const run = await load(target, route, options.seconds);
          progress(
            `round ${round + 1}/${options.rounds} ${route} ${target.label}: ${run.rps.toFixed(0)} req/s, p99 ${run.p99} ms`,
          );
          const key = `${route} ${target.label}`;
          runs.set(key, [...(runs.get(key) ?? []), run]);
        }
      }
    }

    const rows: string[][] = [];
    const missed: string[] = [];
    for (const route of ROUTES) {
      const of = (label: string, field: keyof Run) =>
        median((runs.get(`${route} ${label}`) ?? []).map((run) => run[field]));
      const rpsRatio = of('ours', 'rps') / of('bare', 'rps');
      const p99Ratio = of('ours', 'p99') / Math.max(of('bare', 'p99'), 1);
      const met = rpsRatio >= RPS_GOAL && p99Ratio <= P99_GOAL;
      if (!met) missed.push(route);
      rows.push([
        route,
        of('ours', 'rps').toFixed(0),
        of('bare', 'rps').toFixed(0),
        ratio(rpsRatio),
        ms(of('ours', 'p50')),
        ms(of('ours', 'p99')),
        ms(of('bare', 'p99')),
        ratio(p99Ratio),
        of('ours', 'cpuMsPerRequest').toFixed(2),
        of('bare', 'cpuMsPerRequest').toFixed(2),
        dbCpu(of('ours', 'dbCpuMsPerRequest')),
        dbCpu(of('bare', 'dbCpuMsPerRequest')),
        `≥ ${RPS_GOAL}x req/s, ≤ ${P99_GOAL}x p99`,
        met ? 'MET' : 'MISSED',
      ]);
    }

    console.log(
      `node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}`,
    );
    console.log(`load average at start: ${loadAtStart.map((v) => v.toFixed(2)).join(' ')}`);
    console.log(`database: ${databaseLabel}`);
    console.log(
      `${CONNECTIONS} connections, ${options.rounds} round(s) of ${options.seconds} s per route and server; medians over rounds`,
    );
    console.log(
      'ours: the real application, compiled, LOG_LEVEL=info (request logging on), REDIS_URL set (rate limits and principal cache in Redis), file encrypted at rest;\nbare: node:http, no logging, the same stored ciphertext decrypted\n',
    );
    console.log(
      formatTable(
        [
          'route',
          'ours req/s',
          'bare req/s',
          'ratio',
          'ours p50 ms',
          'ours p99 ms',
          'bare p99 ms',
          'p99 ratio',
          'ours CPU ms/req',
          'bare CPU ms/req',
          'db CPU ms/req ours',
          'bare',
          'goal',
          '',
        ],
        rows,
      ),
    );
    console.log(missed.length ? `\nTARGETS MISSED: ${missed.join(', ')}` : '\nTARGETS MET');

    if (options.profile) {
      progress('profiling our server under the same load (--cpu-prof)');
      const profile = await profileOurs(
        path.join(temp.path, 'ours-profiled'),
        mongoUrl,
        secrets,
        compiled,
        redis.url,
        path.join(temp.path, 'ours'),
        fileId,
        ours.authorization,
        options.seconds,
      );
      console.log(
        `\nour server's CPU profile under load (self time, idle left out):\n\n${profile}`,
      );
    }
  } finally {
    await cleanups.run();
  }
}

runBenchmark(main, USAGE);
