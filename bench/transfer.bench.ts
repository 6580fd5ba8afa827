/**
 * Transfer benchmark (not a test): `npm run bench:transfer [-- --rounds N] [-- --size-mib N]`.
 *
 * Our server runs in a child process (the real application, `bench/support/serve-app.ts`), the
 * bare baselines in others, and curl is the client (one process per transfer, over loopback;
 * bench/support/curl-transfer.ts), so the client is never what caps a row. Each round runs every
 * transfer against ours and against its baseline, back to back, in an order that rotates from
 * round to round, so background load skews both alike:
 *
 *   (a) one upload of --size-mib MiB: ours (local driver, encrypted at rest, as in production)
 *       vs. a bare Node server with busboy and SHA-256; both fsync the file and its folder
 *       before they answer;
 *   (b) one download of that file: ours (decrypting) vs. fs.createReadStream → res, and nginx
 *       (sendfile) for information;
 *   (c) our server's peak RSS growth during (a), (b) and (e), sampled from /proc every 50 ms;
 *   (e) one upload through the S3 driver into MinIO vs. lib-storage's Upload straight to MinIO;
 *   (f) the upload and download of (a) and (b), encrypted at rest as always, vs. the same
 *       application storing plaintext (bench/support/plaintext-at-rest.ts): what encryption costs.
 *
 * Many transfers at once are `npm run bench:concurrency` (bench/concurrency.bench.ts).
 *
 * The servers run as compiled JavaScript (transpiled into the temp folder first), not under
 * ts-node. Besides MB/s and RSS it records each server's CPU seconds per GiB, which a busy host
 * disturbs far less. It prints medians over the rounds and each target as MET or MISSED, and
 * exits 0 once it has measured: the targets are information, not a verdict. See README.md.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { compileForChildren, createTempDir, uniqueTestDatabaseUrl } from '@strongroom/testing';
import { type OurServer, type Served, startOurServer } from './support/our-server';
import { startBenchDatabase } from './support/bench-database';
import { Cleanups } from './support/cleanups';
import { profileOverWindows, type ProfileWindow } from './support/cpu-profile';
import { runBenchmark, UsageError } from './support/run-benchmark';
import { describeNodeFlags, parseNodeFlags, splitArgument } from './support/node-flags-option';
import { assertCurlAvailable } from './support/curl-transfer';
import { findNginx, type Nginx, startNginx } from './support/nginx';
import { PatternStream } from './support/pattern-stream';
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
  fmtMiB,
  freeDiskAtLeast,
  isAvailable,
  type Measured,
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
import { formatTable, median, ratio } from './stats';

const DEFAULT_ROUNDS = 3;
const DEFAULT_SIZE_MIB = 1024;
const QUICK_ROUNDS = 1;
const QUICK_SIZE_MIB = 256;
const MAX_ROUNDS = 50;
const MAX_SIZE_MIB = 8192;
const WARMUP_SIZE_MIB = 16;
/** Room for the client's file, our copy, the baseline's copy, and MinIO's, plus slack. */
const DISK_SLACK_BYTES = 2 * 1024 * MIB;

/** The environment this benchmark runs in: children get it plus their own settings. */
// eslint-disable-next-line no-restricted-properties -- benchmark script
const PARENT_ENV: NodeJS.ProcessEnv = process.env;

/** Issue #18, goal 5: with encryption at rest on, as in production. */
const TARGET = {
  upload: 0.9,
  downloadBare: 0.9,
  s3Upload: 0.9,
  encryptedUpload: 0.7,
  encryptedDownload: 0.7,
  rssGrowthMiB: 64,
} as const;

/** How both sides of (a) make an upload durable before they answer. */
const DURABILITY = 'fsync file + folder';

interface Options {
  rounds: number;
  sizeMib: number;
  /** Extra Node/V8 flags for our server children only (experiments: GC settings and the like). */
  serverFlags: string[];
  /** Extra Node/V8 flags for the bare Node baseline, e.g. to give it our GC settings too. */
  baselineFlags: string[];
}

const FLAG_OPTIONS = {
  '--server-flags': 'serverFlags',
  '--baseline-flags': 'baselineFlags',
} as const;

const USAGE = `usage: npm run bench:transfer [-- --quick] [-- --rounds N] [-- --size-mib N]
                              [-- --server-flags '…'] [-- --baseline-flags '…']
  --quick       ${QUICK_ROUNDS} round of ${QUICK_SIZE_MIB} MiB (a quick look; later flags still apply)
  --rounds N    timed rounds; each runs every transfer once per server (default ${DEFAULT_ROUNDS})
  --size-mib N  size of the transfers in MiB (default ${DEFAULT_SIZE_MIB})
  --server-flags '…'  Node/V8 flags for our server processes only, space-separated, for
                experiments (e.g. '--heap-growing-percent=100'); the baselines run without them
  --baseline-flags '…'  Node/V8 flags for the bare Node baseline server, the same way (e.g. the
                GC flags of apps/api/src/runtime/streaming-gc.ts, to see what they give it)
  MONGO_URL     use this MongoDB server (fresh strongroom-test-* databases on it, dropped after)
                instead of starting the embedded database
  BENCH_PROF    a folder: our servers run under --cpu-prof there, and where each spent its CPU
                in the last round's transfers is printed at the end`;

function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    rounds: DEFAULT_ROUNDS,
    sizeMib: DEFAULT_SIZE_MIB,
    serverFlags: [],
    baselineFlags: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = splitArgument(argv[i]);
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (flag === '--quick') {
      options.rounds = QUICK_ROUNDS;
      options.sizeMib = QUICK_SIZE_MIB;
      continue;
    }
    const flagsOption = Object.hasOwn(FLAG_OPTIONS, flag)
      ? FLAG_OPTIONS[flag as keyof typeof FLAG_OPTIONS]
      : undefined;
    if (flag !== '--rounds' && flag !== '--size-mib' && !flagsOption) {
      throw new UsageError(`unknown argument '${argv[i]}'`);
    }
    const raw = inline ?? argv[++i];
    if (flagsOption) {
      options[flagsOption] = parseNodeFlags(flag, raw);
      continue;
    }
    const value = Number(raw);
    const max = flag === '--rounds' ? MAX_ROUNDS : MAX_SIZE_MIB;
    if (raw === undefined || !Number.isInteger(value) || value < 1 || value > max) {
      throw new UsageError(`${flag} needs a whole number from 1 to ${max}`);
    }
    options[flag === '--rounds' ? 'rounds' : 'sizeMib'] = value;
  }
  return options;
}

// ------------------------------------------------------------------------------------------------

interface Setup {
  options: Options;
  ours: OurServer;
  /** The same application storing new files in plaintext: the baseline of the encryption rows. */
  plain: OurServer;
  bare: Served;
  nginx: Nginx | Unavailable;
  s3: { server: OurServer; target: S3Target } | Unavailable;
}

interface Results {
  /** Each timed transfer's last run, by `<transfer>, <contender>`: where BENCH_PROF looks. */
  windows: Map<string, ProfileWindow>;
  upload: { ours: Samples; bare: Samples; plain: Samples };
  download: { ours: Samples; bare: Samples; nginx: Samples; plain: Samples };
  s3: { ours: Samples; bare: Samples };
}

/**
 * One round: every transfer once per contender. Without `results` it is the warm-up (untimed
 * results, same code paths). Every download is timed into /dev/null, then hashed untimed.
 */
async function runRound(
  setup: Setup,
  results: Results | undefined,
  round: number,
  file: PatternFile,
): Promise<void> {
  const { ours, plain, bare, nginx, s3 } = setup;
  const { size } = file;
  const tag = results ? `round ${round + 1}/${setup.options.rounds}` : 'warm-up';
  const note = (what: string, who: string, result: Measured) => {
    noteMeasured(tag, what, who, result);
    results?.windows.set(`${what}, ${who}`, result.window);
  };

  // (a) uploads, keeping what each stored for the downloads.
  let oursFile: StoredOnOurs | undefined;
  let plainFile: StoredOnOurs | undefined;
  let bareName: string | undefined;
  for (const contender of rotate(['ours', 'bare', 'plain'] as const, round)) {
    if (contender === 'bare') {
      const result = await measure(results?.upload.bare, watchServer(bare), size, async () => {
        const out = await uploadToBare(bare, file);
        bareName = out.name;
        return out.seconds;
      });
      note('upload', bare.label, result);
      continue;
    }
    const server = contender === 'ours' ? ours : plain;
    const samples = contender === 'ours' ? results?.upload.ours : results?.upload.plain;
    const result = await measure(samples, watchServer(server), size, async () => {
      const out = await uploadToOurs(server, file);
      if (contender === 'ours') oursFile = out.stored;
      else plainFile = out.stored;
      return out.seconds;
    });
    note('upload', server.label, result);
  }
  if (!oursFile || !plainFile || !bareName) fail('an upload did not report what it stored');
  const [oursStored, plainStored, bareStored] = [oursFile, plainFile, bareName];

  // (b) downloads of those files: ours, the bare server, nginx (serving the bare server's folder).
  const downloads = [
    'ours',
    'bare',
    'plain',
    ...(isAvailable(nginx) ? ['nginx' as const] : []),
  ] as const;
  for (const contender of rotate(downloads, round)) {
    let label: string;
    let url: string;
    let authorization: string | undefined;
    let watch: Watch;
    let samples: Samples | undefined;
    if (contender === 'ours' || contender === 'plain') {
      const server = contender === 'ours' ? ours : plain;
      label = server.label;
      url = ourContentUrl(server, contender === 'ours' ? oursStored : plainStored);
      authorization = server.authorization;
      watch = watchServer(server);
      samples = contender === 'ours' ? results?.download.ours : results?.download.plain;
    } else if (contender === 'bare') {
      label = bare.label;
      url = bareContentUrl(bare, bareStored);
      watch = watchServer(bare);
      samples = results?.download.bare;
    } else if (isAvailable(nginx)) {
      label = nginx.version;
      url = `${nginx.baseUrl}/${bareStored}`;
      watch = { pid: nginx.child.pid, rss: false, children: true };
      samples = results?.download.nginx;
    } else {
      continue;
    }
    const result = await measure(samples, watch, size, () =>
      timedDownload(label, url, size, authorization),
    );
    note('download', label, result);
    await verifyDownload(label, url, file, authorization);
  }
  await deleteFromOurs(ours, oursStored);
  await deleteFromOurs(plain, plainStored);
  await deleteFromBare(bare, bareStored);

  // (e) S3: our server with the s3 driver vs. lib-storage's Upload, both into the same MinIO.
  if (isAvailable(s3)) {
    for (const contender of rotate(['ours', 'bare'] as const, round)) {
      if (contender === 'ours') {
        let stored: StoredOnOurs | undefined;
        const result = await measure(results?.s3.ours, watchServer(s3.server), size, async () => {
          const out = await uploadToOurs(s3.server, file);
          stored = out.stored;
          return out.seconds;
        });
        note('S3 upload', s3.server.label, result);
        if (stored) await deleteFromOurs(s3.server, stored);
      } else {
        const key = `bare/${randomBytes(8).toString('hex')}`;
        const result = await measure(results?.s3.bare, undefined, size, async () => {
          const start = performance.now();
          await s3.target.uploadBare(key, new PatternStream(size, file.streamId));
          return (performance.now() - start) / 1000;
        });
        const stored = await s3.target.sizeOf(key);
        if (stored !== size) fail(`lib-storage stored ${stored} bytes, expected ${size}`);
        note('S3 upload', 'lib-storage Upload (bare)', result);
        await s3.target.remove(key);
      }
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Output

function throughputTable(setup: Setup, results: Results, verdicts: Verdicts): string {
  const sizeLabel = `${setup.options.sizeMib} MiB`;
  const rows: string[][] = [];
  const row = (
    transfer: string,
    ours: Samples,
    baselineLabel: string,
    base: Samples | Unavailable,
    target: number | undefined,
    targetName: string,
  ) => {
    if (!isAvailable(base)) {
      rows.push([
        transfer,
        spread(ours.mbPerSecond),
        `${baselineLabel}: n/a (${base.reason})`,
        'n/a',
        'n/a',
        target ? `≥ ${ratio(target)}` : '-',
        'n/a',
      ]);
      return;
    }
    const r = pairedRatio(ours, base);
    const met = target === undefined || r === undefined ? undefined : r >= target;
    rows.push([
      transfer,
      spread(ours.mbPerSecond),
      baselineLabel,
      spread(base.mbPerSecond),
      r === undefined ? 'n/a' : ratio(r),
      target === undefined ? '-' : `≥ ${ratio(target)}`,
      target === undefined ? '-' : verdict(verdicts, targetName, met),
    ]);
  };
  const { nginx, s3 } = setup;
  row(
    `(a) upload ${sizeLabel}, encrypted, ${DURABILITY}`,
    results.upload.ours,
    `busboy + SHA-256, ${DURABILITY} (bare Node)`,
    results.upload.bare,
    TARGET.upload,
    'upload vs busboy',
  );
  row(
    `(b) download ${sizeLabel}, decrypted`,
    results.download.ours,
    'fs.createReadStream → res (bare Node)',
    results.download.bare,
    TARGET.downloadBare,
    'download vs bare Node',
  );
  row(
    `(b) download ${sizeLabel}`,
    results.download.ours,
    isAvailable(nginx) ? `${nginx.version}, sendfile on` : 'nginx',
    isAvailable(nginx) ? results.download.nginx : nginx,
    undefined,
    'download vs nginx',
  );
  row(
    `(f) encrypted upload ${sizeLabel}`,
    results.upload.ours,
    'the same app, plaintext at rest',
    results.upload.plain,
    TARGET.encryptedUpload,
    'encrypted upload vs plaintext',
  );
  row(
    `(f) encrypted download ${sizeLabel}`,
    results.download.ours,
    'the same app, plaintext at rest',
    results.download.plain,
    TARGET.encryptedDownload,
    'encrypted download vs plaintext',
  );
  if (isAvailable(s3)) {
    row(
      `(e) S3 upload ${sizeLabel}`,
      results.s3.ours,
      'lib-storage Upload, defaults (bare)',
      results.s3.bare,
      TARGET.s3Upload,
      'S3 upload vs lib-storage',
    );
  } else {
    rows.push([
      `(e) S3 upload ${sizeLabel}`,
      'n/a',
      `n/a (${s3.reason})`,
      'n/a',
      'n/a',
      `≥ ${ratio(TARGET.s3Upload)}`,
      'n/a',
    ]);
  }
  return formatTable(
    ['transfer', 'ours MB/s', 'baseline', 'baseline MB/s', 'ours/baseline', 'target', 'result'],
    rows,
    ['left', 'right', 'left', 'right', 'right', 'left', 'left'],
  );
}

function rssTable(setup: Setup, results: Results, verdicts: Verdicts): string {
  const sizeLabel = `${setup.options.sizeMib} MiB`;
  const limit = TARGET.rssGrowthMiB * MIB;
  const rows: string[][] = [];
  const row = (
    transfer: string,
    ours: Samples,
    base: Samples | undefined,
    target: string | undefined,
  ) => {
    const worst = ours.rssGrowth.length ? Math.max(...ours.rssGrowth) : undefined;
    rows.push([
      transfer,
      rssCell(ours.rssGrowth),
      target ? `< ${TARGET.rssGrowthMiB} MiB` : '-',
      target ? verdict(verdicts, target, worst === undefined ? undefined : worst < limit) : '-',
      base ? rssCell(base.rssGrowth) : '-',
    ]);
  };
  row(
    `(a) upload ${sizeLabel}, local`,
    results.upload.ours,
    results.upload.bare,
    'RSS growth, upload',
  );
  row(
    `(b) download ${sizeLabel}, local`,
    results.download.ours,
    results.download.bare,
    'RSS growth, download',
  );
  if (isAvailable(setup.s3))
    row(`(e) S3 upload ${sizeLabel}`, results.s3.ours, undefined, 'RSS growth, S3 upload');
  return formatTable(
    [
      'transfer',
      'ours MiB (median / max)',
      'target (max)',
      'result',
      'bare Node server MiB (median / max)',
    ],
    rows,
    ['left', 'right', 'left', 'left', 'right'],
  );
}

function cpuTable(setup: Setup, results: Results): string {
  const sizeLabel = `${setup.options.sizeMib} MiB`;
  const cell = (values: readonly number[]) =>
    values.length === 0 ? 'n/a' : median(values).toFixed(2);
  const rows: string[][] = [];
  const row = (
    transfer: string,
    ours: Samples,
    baselineLabel: string,
    base: Samples | undefined,
  ) => {
    const r = pairedCpuRatio(ours, base);
    rows.push([
      transfer,
      cell(ours.cpuPerGiB),
      baselineLabel,
      base ? cell(base.cpuPerGiB) : '-',
      r === undefined ? '-' : ratio(r),
    ]);
  };
  const { nginx, s3 } = setup;
  row(`(a) upload ${sizeLabel}`, results.upload.ours, 'bare Node, busboy', results.upload.bare);
  row(
    `(b) download ${sizeLabel}`,
    results.download.ours,
    'bare Node, fs stream',
    results.download.bare,
  );
  if (isAvailable(nginx)) {
    row(
      `(b) download ${sizeLabel}`,
      results.download.ours,
      `${nginx.version} (master + worker)`,
      results.download.nginx,
    );
  }
  row(
    `(f) encrypted upload ${sizeLabel}`,
    results.upload.ours,
    'the same app, plaintext at rest',
    results.upload.plain,
  );
  row(
    `(f) encrypted download ${sizeLabel}`,
    results.download.ours,
    'the same app, plaintext at rest',
    results.download.plain,
  );
  if (isAvailable(s3))
    row(
      `(e) S3 upload ${sizeLabel}`,
      results.s3.ours,
      'lib-storage (runs in the client)',
      undefined,
    );
  return formatTable(
    ['transfer', 'ours s/GiB', 'baseline', 'baseline s/GiB', 'ours/baseline'],
    rows,
    ['left', 'right', 'left', 'right', 'right'],
  );
}

/** With BENCH_PROF, each of our servers runs under the CPU profiler, into a folder of its own. */
function profilerFlags(server: string): string[] {
  const dir = PARENT_ENV.BENCH_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(dir, server)}`] : [];
}

/** Where each of our servers spent its CPU in the last round's transfers (it must stop first). */
async function printProfiles(
  dir: string,
  { ours, plain, s3 }: Setup,
  windows: ReadonlyMap<string, ProfileWindow>,
): Promise<void> {
  const servers: [string, OurServer][] = [
    ['local', ours],
    ['plaintext', plain],
    ...(isAvailable(s3) ? [['s3', s3.server] as [string, OurServer]] : []),
  ];
  for (const [name, server] of servers) {
    await server.child.stop();
    const own = new Map([...windows].filter(([key]) => key.endsWith(`, ${server.label}`)));
    console.log(
      `\n${server.label}: CPU profile of the last round, ${await profileOverWindows(path.join(dir, name), own)}`,
    );
  }
}

// ------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const repoRoot = path.resolve(__dirname, '..');
  const size = options.sizeMib * MIB;
  const warmupSize = Math.min(options.sizeMib, WARMUP_SIZE_MIB) * MIB;

  const cleanups = new Cleanups();

  try {
    const loadAtStart = os.loadavg();
    const temp = await createTempDir('bench-transfer');
    cleanups.push(() => temp.remove());
    // nginx's workers read the bare server's folder: let them traverse to it.
    await chmod(temp.path, 0o755);
    const free = await freeDiskAtLeast(temp.path, 5 * size + DISK_SLACK_BYTES);

    const database = await startBenchDatabase(temp.path, cleanups, PARENT_ENV.MONGO_URL, progress);
    const mongoServer = database.url;

    progress('compiling the servers to JavaScript (they run as compiled code, not under ts-node)');
    const compiled = await compileForChildren(repoRoot, path.join(temp.path, 'build'));

    progress('starting our server, the bare Node server and nginx');
    const serveDir = path.join(temp.path, 'bare-files');
    await mkdir(serveDir, { recursive: true, mode: 0o755 });
    const [ours, plain, bare] = await Promise.all([
      startOurServer(
        'local',
        path.join(temp.path, 'ours-local'),
        uniqueTestDatabaseUrl(mongoServer),
        {},
        compiled,
        [...options.serverFlags, ...profilerFlags('local')],
      ).then((s) => {
        cleanups.push(() => s.child.stop());
        return s;
      }),
      startOurServer(
        'local, plaintext at rest',
        path.join(temp.path, 'ours-plaintext'),
        uniqueTestDatabaseUrl(mongoServer),
        {},
        compiled,
        [...options.serverFlags, ...profilerFlags('plaintext')],
        ['--plaintext-at-rest'],
      ).then((s) => {
        cleanups.push(() => s.child.stop());
        return s;
      }),
      startBareServer(temp.path, serveDir, compiled, options.baselineFlags).then((s) => {
        cleanups.push(() => s.child.stop());
        return s;
      }),
    ]);

    let nginx: Nginx | Unavailable;
    const nginxBinary = findNginx();
    if (!nginxBinary) {
      nginx = { reason: 'nginx is not installed; apt-get install -y nginx-light' };
    } else {
      try {
        const started = await startNginx(nginxBinary, path.join(temp.path, 'nginx'), serveDir);
        cleanups.push(() => started.child.stop());
        nginx = started;
      } catch (error) {
        nginx = { reason: `nginx did not start: ${reasonOf(error)}` };
      }
    }

    let s3: Setup['s3'];
    try {
      progress('starting MinIO and our server with the s3 driver');
      const target = await startS3Target(path.join(temp.path, 'minio'), progress);
      cleanups.push(() => target.stop());
      const server = await startOurServer(
        's3',
        path.join(temp.path, 'ours-s3'),
        uniqueTestDatabaseUrl(mongoServer),
        target.serverEnv,
        compiled,
        [...options.serverFlags, ...profilerFlags('s3')],
      ).catch(async (error: unknown) => {
        await target.stop();
        throw error;
      });
      cleanups.push(() => server.child.stop());
      s3 = { server, target };
    } catch (error) {
      s3 = { reason: `S3 adapter or MinIO not available: ${reasonOf(error)}` };
      progress(`  S3: n/a (${s3.reason})`);
    }

    // The files curl uploads, with their hashes from the generator.
    progress('writing the upload files for the client');
    const clientDir = path.join(temp.path, 'client');
    await mkdir(clientDir);
    const curlVersion = await assertCurlAvailable();
    const file = await patternFile(clientDir, size, 0);
    const warmupFile = await patternFile(clientDir, warmupSize, 0);

    const setup: Setup = { options, ours, plain, bare, nginx, s3 };
    const cpus = os.cpus();
    console.log('Strongroom transfer benchmark');
    console.log(`  node      ${process.version} (${process.platform} ${process.arch})`);
    console.log(
      `  cpu       ${cpus[0]?.model ?? 'unknown'} (${cpus.length} logical cores), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM`,
    );
    console.log(
      `  load      ${loadAtStart.map((l) => l.toFixed(2)).join(' / ')} (1/5/15-minute load average at the start)`,
    );
    console.log(`  disk      ${fmtMiB(free)} MiB free under ${temp.path}`);
    console.log(`  database  ${database.label}`);
    console.log(
      `  transfers ${options.sizeMib} MiB single files; fresh loopback connection each; both upload sides ${DURABILITY}`,
    );
    console.log(
      `  rounds    ${options.rounds}, after one warm-up round at ${warmupSize / MIB} MiB; contenders interleaved, order rotating`,
    );
    console.log(
      `  client    ${curlVersion}, one process per transfer: uploads from a file on disk, downloads into /dev/null; every download is then fetched again untimed and its SHA-256 checked`,
    );
    console.log(
      `  nginx     ${isAvailable(nginx) ? `${nginx.version} on ${new URL(nginx.baseUrl).host}` : `n/a (${nginx.reason})`}`,
    );
    console.log(`  s3        ${isAvailable(s3) ? s3.target.description : `n/a (${s3.reason})`}`);
    console.log(
      `  servers   one process each, compiled to JavaScript; extra Node flags for ours: ${describeNodeFlags(
        options.serverFlags,
      )}; for the bare Node baseline: ${describeNodeFlags(options.baselineFlags)}`,
    );
    console.log('');

    await runRound(setup, undefined, 0, warmupFile);
    const results: Results = {
      windows: new Map(),
      upload: { ours: new Samples(), bare: new Samples(), plain: new Samples() },
      download: {
        ours: new Samples(),
        bare: new Samples(),
        nginx: new Samples(),
        plain: new Samples(),
      },
      s3: { ours: new Samples(), bare: new Samples() },
    };
    for (let round = 0; round < options.rounds; round++) {
      await runRound(setup, results, round, file);
    }
    progress('');

    const verdicts: Verdicts = { met: 0, missed: [] };
    console.log(
      `Throughput: MB/s = 10^6 bytes per second, median of ${options.rounds} round(s) (min–max); ours/baseline is the median of the per-round ratios`,
    );
    console.log(throughputTable(setup, results, verdicts));
    console.log('');
    console.log(
      '(c) Peak RSS growth of the server process: VmRSS every 50 ms during the transfer, peak minus the level just before it',
    );
    console.log(rssTable(setup, results, verdicts));
    console.log('');
    console.log(
      'Server CPU seconds (user + system, /proc/<pid>/stat) per GiB moved, median: what a transfer costs the server; moves far less with background load than MB/s',
    );
    console.log(cpuTable(setup, results));
    console.log('');
    console.log(
      `  load      ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' / ')} (1/5/15-minute load average at the end)`,
    );
    console.log(verdictLine(verdicts));
    if (PARENT_ENV.BENCH_PROF) {
      await printProfiles(PARENT_ENV.BENCH_PROF, setup, results.windows);
    }
  } finally {
    await cleanups.run();
  }
}

runBenchmark(main, USAGE);
