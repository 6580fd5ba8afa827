/**
 * Memory under concurrency (not a test): `npm run bench:concurrency [-- --quick] [-- --rounds N]`.
 *
 * Issue #18, goal 2: many transfers at once, on the local driver and on S3 (MinIO), with the
 * server's RSS growth bounded. Each round, with curl as the client (one process per transfer,
 * all started at once):
 *
 *   (1) --count uploads of --size-mib MiB to ours (local, encrypted at rest) vs. the bare busboy
 *       server (both fsync file and folder);
 *   (2) --count downloads of those files at once: ours (decrypting) vs. bare Node;
 *   (3) --count uploads to ours with the s3 driver vs. as many lib-storage Uploads (defaults)
 *       straight to the same MinIO from this process;
 *   (4) --count downloads at once from ours with the s3 driver (no baseline).
 *
 * Throughput is all the bytes over the time until the last transfer is answered. RSS growth is
 * the server child's peak VmRSS during the transfers over its level before. The S3 rows also say
 * where the whole machine's CPU went (our server, MinIO, the clients) and how busy it was; with
 * BENCH_PROF=<dir> the S3 server runs under --cpu-prof and its profile of the last round's S3
 * rows is printed. See README.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { compileForChildren, createTempDir, uniqueTestDatabaseUrl } from '@strongroom/testing';
import { startBenchDatabase } from './support/bench-database';
import { Cleanups } from './support/cleanups';
import { assertCurlAvailable } from './support/curl-transfer';
import { type OurServer, type Served, startOurServer } from './support/our-server';
import { PatternStream } from './support/pattern-stream';
import { runBenchmark, UsageError } from './support/run-benchmark';
import { describeNodeFlags, parseNodeFlags, splitArgument } from './support/node-flags-option';
import { type S3Target, startS3Target } from './support/s3-target';
import {
  bareContentUrl,
  deleteFromBare,
  deleteFromOurs,
  ourContentUrl,
  type PatternFile,
  patternFile,
  startBareServer,
  type StoredOnOurs,
  timedDownload,
  uploadToBare,
  uploadToOurs,
  verifyDownload,
} from './support/transfer-contenders';
import {
  fail,
  freeDiskAtLeast,
  GIB,
  isAvailable,
  measure,
  MIB,
  noteMeasured,
  pairedCpuRatio,
  pairedRatio,
  progress,
  reasonOf,
  rotate,
  rssCell,
  Samples,
  spread,
  type Unavailable,
  verdict,
  verdictLine,
  type Verdicts,
  type Watch,
  watchServer,
} from './support/transfer-measure';
import { settledRss } from './support/rss-sampler';
import { accountCpu, type CpuAccount } from './support/machine-cpu';
import { profileClockUs, profileOverWindows, type ProfileWindow } from './support/cpu-profile';
import { formatTable, median, ratio } from './stats';

const DEFAULTS = { rounds: 3, count: 16, sizeMib: 64 };
const QUICK_ROUNDS = 1;
const LIMITS = { rounds: 20, count: 64, sizeMib: 1024 };
const RSS_TARGET_MIB = 64;
const DISK_SLACK_BYTES = 1024 * MIB;

// eslint-disable-next-line no-restricted-properties -- benchmark script
const PARENT_ENV: NodeJS.ProcessEnv = process.env;

interface Options {
  rounds: number;
  count: number;
  sizeMib: number;
  /** Skip the S3 rows (and MinIO). */
  localOnly: boolean;
  /** Skip the local rows. */
  s3Only: boolean;
  /** Extra Node/V8 flags for our server children only (experiments: a GC trace, a GC setting). */
  serverFlags: string[];
}

const USAGE = `usage: npm run bench:concurrency [-- --quick] [-- --rounds N] [-- --count N] [-- --size-mib N]
  --quick       ${QUICK_ROUNDS} round (a quick look; later flags still apply)
  --rounds N    timed rounds (default ${DEFAULTS.rounds})
  --count N     transfers at once (default ${DEFAULTS.count})
  --size-mib N  size of each transfer in MiB (default ${DEFAULTS.sizeMib})
  --local-only  only the local driver's rows: no MinIO, no S3 server
  --s3-only     only the S3 rows
  --server-flags '…'  Node/V8 flags for our server processes only, space-separated, for
                experiments (e.g. '--trace-gc'); the baselines run without them
  BENCH_PROF    a folder: the S3 server runs under --cpu-prof there, and its profile is printed
  MONGO_URL     use this MongoDB server instead of starting the embedded database`;

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { ...DEFAULTS, localOnly: false, s3Only: false, serverFlags: [] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = splitArgument(argv[i]);
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (flag === '--quick') {
      options.rounds = QUICK_ROUNDS;
      continue;
    }
    if (flag === '--local-only' || flag === '--s3-only') {
      options[flag === '--local-only' ? 'localOnly' : 's3Only'] = true;
      continue;
    }
    if (flag === '--server-flags') {
      options.serverFlags = parseNodeFlags(flag, inline ?? argv[++i]);
      continue;
    }
    const name = ({ '--rounds': 'rounds', '--count': 'count', '--size-mib': 'sizeMib' } as const)[
      flag as '--rounds'
    ] as keyof typeof LIMITS | undefined;
    if (!name) throw new UsageError(`unknown argument '${argv[i]}'`);
    const raw = inline ?? argv[++i];
    const value = Number(raw);
    if (raw === undefined || !Number.isInteger(value) || value < 1 || value > LIMITS[name]) {
      throw new UsageError(`${flag} needs a whole number from 1 to ${LIMITS[name]}`);
    }
    options[name] = value;
  }
  if (options.localOnly && options.s3Only)
    throw new UsageError('--local-only or --s3-only, not both');
  return options;
}

interface Setup {
  options: Options;
  ours: OurServer;
  bare: Served;
  s3: { server: OurServer; target: S3Target } | Unavailable;
  files: PatternFile[];
  /** Each server's settled RSS after the warm-up round: what the target's growth is measured from. */
  idle: Map<number, number>;
  /** Each server's settled RSS before it moved a byte: growth over it includes one-time growth. */
  fresh: Map<number, number>;
}

interface Results {
  localUpload: { ours: Samples; bare: Samples };
  localDownload: { ours: Samples; bare: Samples };
  s3Upload: { ours: Samples; bare: Samples };
  s3Download: { ours: Samples };
  /** Where the machine's CPU went in each S3 row, by round. */
  s3Cpu: Record<'uploadOurs' | 'uploadBare' | 'downloadOurs', CpuAccount[]>;
  /** The last round's S3 rows on the clock of the S3 server's CPU profile. */
  windows: Map<string, ProfileWindow>;
}

/** Runs `transfer`, then files where the machine's CPU went meanwhile under `into`. */
async function withCpuAccount<T>(
  processes: ReadonlyMap<string, number>,
  into: CpuAccount[] | undefined,
  transfer: () => Promise<T>,
): Promise<T> {
  const done = accountCpu(processes);
  const outcome = await transfer();
  into?.push(done());
  return outcome;
}

/** Runs one transfer per file at once; the seconds until the last one is done. */
async function allAtOnce<T>(
  files: readonly PatternFile[],
  transfer: (file: PatternFile, i: number) => Promise<T>,
): Promise<{ seconds: number; outcomes: T[] }> {
  const start = performance.now();
  const outcomes = await Promise.all(files.map(transfer));
  return { seconds: (performance.now() - start) / 1000, outcomes };
}

async function runRound(setup: Setup, results: Results | undefined, round: number) {
  const { s3, files } = setup;
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const tag = results ? `round ${round + 1}/${setup.options.rounds}` : 'warm-up';
  const what = (verb: string) => `${files.length} × ${verb}`;
  const watch = (server: Served): Watch => ({
    ...watchServer(server),
    rssReference: setup.idle.get(server.pid),
  });

  if (!setup.options.s3Only) await runLocalRows(setup, results, round, tag);
  if (!isAvailable(s3)) return;
  const processes = new Map([
    ['server', s3.server.pid],
    ['MinIO', s3.target.pid],
  ]);
  // (3) S3 uploads: ours vs. lib-storage from this process, into the same MinIO.
  let s3Stored: StoredOnOurs[] = [];
  for (const contender of rotate(['ours', 'bare'] as const, round)) {
    if (contender === 'ours') {
      const fromUs = profileClockUs();
      const result = await measure(results?.s3Upload.ours, watch(s3.server), total, async () => {
        const run = await withCpuAccount(processes, results?.s3Cpu.uploadOurs, () =>
          allAtOnce(files, (file) => uploadToOurs(s3.server, file)),
        );
        s3Stored = run.outcomes.map((out) => out.stored);
        return run.seconds;
      });
      results?.windows.set('S3 uploads', { fromUs, toUs: profileClockUs() });
      noteMeasured(tag, what('S3 uploads'), s3.server.label, result);
    } else {
      const keys = files.map(() => `bare/${randomBytes(8).toString('hex')}`);
      const result = await measure(
        results?.s3Upload.bare,
        undefined,
        total,
        async () =>
          (
            await withCpuAccount(processes, results?.s3Cpu.uploadBare, () =>
              allAtOnce(files, (file, i) =>
                s3.target.uploadBare(keys[i], new PatternStream(file.size, file.streamId)),
              ),
            )
          ).seconds,
      );
      noteMeasured(tag, what('S3 uploads'), 'lib-storage Upload (bare)', result);
      for (const [i, key] of keys.entries()) {
        const stored = await s3.target.sizeOf(key);
        if (stored !== files[i].size)
          fail(`lib-storage stored ${stored} bytes, expected ${files[i].size}`);
        await s3.target.remove(key);
      }
    }
  }

  // (4) S3 downloads of what ours stored.
  const url = (i: number) => ourContentUrl(s3.server, s3Stored[i]);
  const fromUs = profileClockUs();
  const result = await measure(
    results?.s3Download.ours,
    watch(s3.server),
    total,
    async () =>
      (
        await withCpuAccount(processes, results?.s3Cpu.downloadOurs, () =>
          allAtOnce(files, (file, i) =>
            timedDownload(s3.server.label, url(i), file.size, s3.server.authorization),
          ),
        )
      ).seconds,
  );
  results?.windows.set('S3 downloads', { fromUs, toUs: profileClockUs() });
  noteMeasured(tag, what('S3 downloads'), s3.server.label, result);
  for (const [i, file] of files.entries()) {
    await verifyDownload(s3.server.label, url(i), file, s3.server.authorization);
  }
  for (const stored of s3Stored) await deleteFromOurs(s3.server, stored);
}

/** (1) and (2): the local driver's uploads, then downloads of what they stored. */
async function runLocalRows(
  setup: Setup,
  results: Results | undefined,
  round: number,
  tag: string,
): Promise<void> {
  const { ours, bare, files } = setup;
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const what = (verb: string) => `${files.length} × ${verb}`;
  const watch = (server: Served): Watch => ({
    ...watchServer(server),
    rssReference: setup.idle.get(server.pid),
  });
  // (1) local uploads, keeping what was stored for (2).
  let oursStored: StoredOnOurs[] = [];
  let bareStored: string[] = [];
  for (const contender of rotate(['ours', 'bare'] as const, round)) {
    if (contender === 'ours') {
      const result = await measure(results?.localUpload.ours, watch(ours), total, async () => {
        const run = await allAtOnce(files, (file) => uploadToOurs(ours, file));
        oursStored = run.outcomes.map((out) => out.stored);
        return run.seconds;
      });
      noteMeasured(tag, what('uploads'), ours.label, result);
    } else {
      const result = await measure(results?.localUpload.bare, watch(bare), total, async () => {
        const run = await allAtOnce(files, (file) => uploadToBare(bare, file));
        bareStored = run.outcomes.map((out) => out.name);
        return run.seconds;
      });
      noteMeasured(tag, what('uploads'), bare.label, result);
    }
  }

  // (2) local downloads of those files, then each checked untimed.
  for (const contender of rotate(['ours', 'bare'] as const, round)) {
    const server = contender === 'ours' ? ours : bare;
    const url = (i: number) =>
      contender === 'ours'
        ? ourContentUrl(ours, oursStored[i])
        : bareContentUrl(bare, bareStored[i]);
    const authorization = contender === 'ours' ? ours.authorization : undefined;
    const result = await measure(
      results?.localDownload[contender],
      watch(server),
      total,
      async () =>
        (
          await allAtOnce(files, (file, i) =>
            timedDownload(server.label, url(i), file.size, authorization),
          )
        ).seconds,
    );
    noteMeasured(tag, what('downloads'), server.label, result);
    for (const [i, file] of files.entries()) {
      await verifyDownload(server.label, url(i), file, authorization);
    }
  }
  for (const stored of oursStored) await deleteFromOurs(ours, stored);
  for (const name of bareStored) await deleteFromBare(bare, name);
}

/** Where the whole machine's CPU went in the S3 rows: CPU seconds per GiB by process, medians. */
function s3CpuTable(results: Results, bytes: number): string {
  const names = ['server', 'MinIO', 'clients', 'bench'];
  const perGiB = (account: CpuAccount, name: string) =>
    ((account.seconds.get(name) ?? 0) * GIB) / bytes;
  const total = (account: CpuAccount) =>
    names.reduce((sum, name) => sum + perGiB(account, name), 0);
  const cell = (accounts: CpuAccount[], value: (account: CpuAccount) => number, digits = 2) =>
    accounts.length ? median(accounts.map(value)).toFixed(digits) : '-';
  const rows = (
    [
      ['S3 uploads', 'ours (curl → server → MinIO)', results.s3Cpu.uploadOurs],
      ['S3 uploads', 'lib-storage (bench → MinIO)', results.s3Cpu.uploadBare],
      ['S3 downloads', 'ours (MinIO → server → curl)', results.s3Cpu.downloadOurs],
    ] as const
  ).map(([row, who, accounts]) => [
    row,
    who,
    ...names.map((name) => cell(accounts, (account) => perGiB(account, name))),
    cell(accounts, total),
    cell(accounts, (account) => account.machineBusy * 100, 0),
  ]);
  return formatTable(
    [
      'row',
      'contender',
      'server s/GiB',
      'MinIO s/GiB',
      'clients s/GiB',
      'bench s/GiB',
      'all s/GiB',
      'machine busy %',
    ],
    rows,
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

function resultTable(setup: Setup, results: Results, verdicts: Verdicts): string {
  const { count, sizeMib } = setup.options;
  const limit = RSS_TARGET_MIB * MIB;
  const rows: string[][] = [];
  const row = (
    transfer: string,
    server: Served,
    ours: Samples,
    baselineLabel: string,
    base: Samples | undefined,
  ) => {
    const fresh = setup.fresh.get(server.pid) ?? 0;
    const overFresh = ours.rssPeak.map((peak) => Math.max(0, peak - fresh));
    const r = base ? pairedRatio(ours, base) : undefined;
    const cpu = pairedCpuRatio(ours, base);
    const worst = ours.rssGrowth.length ? Math.max(...ours.rssGrowth) : undefined;
    rows.push([
      transfer,
      spread(ours.mbPerSecond),
      baselineLabel,
      base ? spread(base.mbPerSecond) : '-',
      r === undefined ? '-' : ratio(r),
      ours.cpuPerGiB.length ? median(ours.cpuPerGiB).toFixed(2) : 'n/a',
      cpu === undefined ? '-' : ratio(cpu),
      rssCell(ours.rssGrowth),
      rssCell(overFresh),
      base && base.rssGrowth.length ? rssCell(base.rssGrowth) : '-',
      `≤ ${RSS_TARGET_MIB} MiB`,
      verdict(
        verdicts,
        `RSS growth, ${transfer}`,
        worst === undefined ? undefined : worst <= limit,
      ),
    ]);
  };
  const n = `${count} × ${sizeMib} MiB`;
  if (!setup.options.s3Only) {
    row(
      `${n} uploads, local`,
      setup.ours,
      results.localUpload.ours,
      'busboy + SHA-256, fsync file + folder',
      results.localUpload.bare,
    );
    row(
      `${n} downloads, local`,
      setup.ours,
      results.localDownload.ours,
      'fs.createReadStream → res',
      results.localDownload.bare,
    );
  }
  if (isAvailable(setup.s3)) {
    row(
      `${n} uploads, S3`,
      setup.s3.server,
      results.s3Upload.ours,
      'lib-storage Upload, defaults (in the client)',
      results.s3Upload.bare,
    );
    row(`${n} downloads, S3`, setup.s3.server, results.s3Download.ours, '-', undefined);
  } else {
    rows.push([
      `${n} uploads and downloads, S3`,
      'n/a',
      `n/a (${setup.s3.reason})`,
      ...Array<string>(9).fill('n/a'),
    ]);
  }
  return formatTable(
    [
      'transfers at once',
      'ours MB/s',
      'baseline',
      'baseline MB/s',
      'ours/baseline',
      'ours CPU s/GiB',
      'CPU ours/baseline',
      'ours RSS growth MiB (median / max)',
      'ours over fresh MiB',
      'baseline RSS MiB',
      'target (max)',
      'result',
    ],
    rows,
    [
      'left',
      'right',
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'left',
      'left',
    ],
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const repoRoot = path.resolve(__dirname, '..');
  const size = options.sizeMib * MIB;
  const cleanups = new Cleanups();
  try {
    const loadAtStart = os.loadavg();
    const temp = await createTempDir('bench-concurrency');
    cleanups.push(() => temp.remove());
    await freeDiskAtLeast(temp.path, 4 * options.count * size + DISK_SLACK_BYTES);
    const curlVersion = await assertCurlAvailable();
    const database = await startBenchDatabase(temp.path, cleanups, PARENT_ENV.MONGO_URL, progress);

    progress('compiling the servers to JavaScript (they run as compiled code, not under ts-node)');
    const compiled = await compileForChildren(repoRoot, path.join(temp.path, 'build'));
    progress('starting our server and the bare Node server');
    const serveDir = path.join(temp.path, 'bare-files');
    await mkdir(serveDir, { recursive: true });
    const [ours, bare] = await Promise.all([
      startOurServer(
        'local',
        path.join(temp.path, 'ours-local'),
        uniqueTestDatabaseUrl(database.url),
        {},
        compiled,
        options.serverFlags,
      ).then((s) => {
        cleanups.push(() => s.child.stop());
        return s;
      }),
      startBareServer(temp.path, serveDir, compiled, []).then((s) => {
        cleanups.push(() => s.child.stop());
        return s;
      }),
    ]);
    let s3: Setup['s3'];
    if (options.localOnly) s3 = { reason: '--local-only' };
    else
      try {
        progress('starting MinIO and our server with the s3 driver');
        const target = await startS3Target(path.join(temp.path, 'minio'), progress);
        cleanups.push(() => target.stop());
        const server = await startOurServer(
          's3',
          path.join(temp.path, 'ours-s3'),
          uniqueTestDatabaseUrl(database.url),
          target.serverEnv,
          compiled,
          [
            ...options.serverFlags,
            ...(PARENT_ENV.BENCH_PROF
              ? ['--cpu-prof', `--cpu-prof-dir=${PARENT_ENV.BENCH_PROF}`]
              : []),
          ],
        );
        cleanups.push(() => server.child.stop());
        s3 = { server, target };
      } catch (error) {
        s3 = { reason: `S3 adapter or MinIO not available: ${reasonOf(error)}` };
        progress(`  S3: n/a (${s3.reason})`);
      }

    progress('writing the upload files for the client');
    const clientDir = path.join(temp.path, 'client');
    await mkdir(clientDir);
    const files: PatternFile[] = [];
    for (let i = 1; i <= options.count; i++) files.push(await patternFile(clientDir, size, i));
    const warmupFiles: PatternFile[] = [];
    for (let i = 1; i <= options.count; i++)
      warmupFiles.push(await patternFile(clientDir, 4 * MIB, i));

    const cpus = os.cpus();
    console.log(
      'Strongroom concurrency benchmark: memory and throughput with many transfers at once',
    );
    console.log(`  node      ${process.version} (${process.platform} ${process.arch})`);
    console.log(
      `  cpu       ${cpus[0]?.model ?? 'unknown'} (${cpus.length} logical cores), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM`,
    );
    console.log(
      `  load      ${loadAtStart.map((l) => l.toFixed(2)).join(' / ')} (1/5/15-minute load average at the start)`,
    );
    console.log(`  database  ${database.label}`);
    console.log(
      `  transfers ${options.count} at once, ${options.sizeMib} MiB each; ours encrypts at rest; uploads fsync file + folder on both local servers`,
    );
    console.log(
      `  client    ${curlVersion}, one process per transfer; every download then fetched again untimed and its SHA-256 checked`,
    );
    console.log(`  flags     extra Node flags for ours: ${describeNodeFlags(options.serverFlags)}`);
    console.log(`  s3        ${isAvailable(s3) ? s3.target.description : `n/a (${s3.reason})`}`);
    console.log(
      `  rounds    ${options.rounds}, after one warm-up round of ${options.count} × 4 MiB; contenders interleaved, order rotating`,
    );
    console.log('');

    const servers = [ours, bare, ...(isAvailable(s3) ? [s3.server] : [])];
    const fresh = new Map<number, number>();
    for (const server of servers) fresh.set(server.pid, await settledRss(server.pid));
    await runRound(
      { options, ours, bare, s3, files: warmupFiles, idle: fresh, fresh },
      undefined,
      0,
    );
    progress('waiting for each server to settle: its RSS then is what growth is measured from');
    const idle = new Map<number, number>();
    for (const server of servers) idle.set(server.pid, await settledRss(server.pid));
    const results: Results = {
      localUpload: { ours: new Samples(), bare: new Samples() },
      localDownload: { ours: new Samples(), bare: new Samples() },
      s3Upload: { ours: new Samples(), bare: new Samples() },
      s3Download: { ours: new Samples() },
      s3Cpu: { uploadOurs: [], uploadBare: [], downloadOurs: [] },
      windows: new Map(),
    };
    const setup: Setup = { options, ours, bare, s3, files, idle, fresh };
    for (let round = 0; round < options.rounds; round++) await runRound(setup, results, round);
    progress('');

    const verdicts: Verdicts = { met: 0, missed: [] };
    console.log(
      `MB/s = 10^6 bytes per second, all transfers over the time until the last is answered, median of ${options.rounds} round(s) (min–max); ratios are medians of per-round ratios; RSS growth = the server's peak VmRSS (every 50 ms) during the transfers minus its settled level after the warm-up round; "over fresh" is the peak minus its level before it moved any byte (first-use growth included: code, connections, arenas, the S3 part pool)`,
    );
    console.log(resultTable(setup, results, verdicts));
    console.log('');
    console.log(
      `  load      ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' / ')} (at the end)`,
    );
    console.log(verdictLine(verdicts));
    if (isAvailable(s3)) {
      console.log('');
      console.log(
        `Where the machine's CPU went in the S3 rows (median of ${options.rounds} round(s)): CPU seconds per GiB moved by our server, MinIO, the clients this process spawned (curl) and this process itself (lib-storage's Uploads run here); machine busy = every core's busy share meanwhile, whoever used it`,
      );
      console.log(
        s3CpuTable(
          results,
          files.reduce((sum, file) => sum + file.size, 0),
        ),
      );
      if (PARENT_ENV.BENCH_PROF) {
        await s3.server.child.stop();
        console.log(
          `\nour S3 server's CPU in the last round, ${await profileOverWindows(PARENT_ENV.BENCH_PROF, results.windows)}`,
        );
      }
    }
  } finally {
    await cleanups.run();
  }
}

runBenchmark(main, USAGE);
