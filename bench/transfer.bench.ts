/**
 * Transfer benchmark (not a test): `npm run bench:transfer [-- --rounds N] [-- --size-mib N]`.
 *
 * Our server runs in a child process (the real application, `bench/support/serve-app.ts`), the
 * bare baselines in others, and this process is the client, over loopback. Each round runs every
 * transfer against ours and against its baseline, back to back, in an order that rotates from
 * round to round, so background load skews both alike:
 *
 *   (a) one upload of --size-mib MiB: ours (local driver) vs. a bare Node server with busboy,
 *       SHA-256 and an fsynced write;
 *   (b) one download of that file: ours vs. fs.createReadStream → res, and vs. nginx (sendfile);
 *   (c) our server's peak RSS growth during (a) and (b), sampled from /proc every 50 ms;
 *   (d) 16 concurrent 64 MiB uploads: ours vs. the busboy server, aggregate throughput;
 *   (e) one upload through the S3 driver into MinIO vs. lib-storage's Upload straight to MinIO;
 *   (f) the upload and download of (a) and (b), encrypted at rest as always, vs. the same
 *       application storing plaintext (bench/support/plaintext-at-rest.ts): what encryption costs.
 *
 * The servers run as compiled JavaScript (transpiled into the temp folder first), not under
 * ts-node. Besides MB/s and RSS it records each server's CPU seconds per GiB, which a busy host
 * disturbs far less. It prints medians over the rounds and each target as MET or MISSED, and
 * exits 0 once it has measured: the targets are information, not a verdict. See README.md.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { EmbeddedDbProcess } from '@strongroom/embedded-db';
import { compileForChildren, createTempDir, uniqueTestDatabaseUrl } from '@strongroom/testing';
import { startBareServer } from './support/bare-server-process';
import { type OurServer, type Served, startOurServer } from './support/our-server';
import { Cleanups } from './support/cleanups';
import { runBenchmark, UsageError } from './support/run-benchmark';
import { download, simpleRequest, uploadMultipart } from './support/http-transfer';
import { multipartFileBody } from './support/multipart-body';
import { findNginx, type Nginx, startNginx } from './support/nginx';
import { PatternStream, patternSha256 } from './support/pattern-stream';
import { readCpuSeconds } from './support/cpu-time';
import { type RssPeak, sampleRss } from './support/rss-sampler';
import { type S3Target, startS3Target } from './support/s3-target';
import { formatTable, median, ratio } from './stats';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const DEFAULT_ROUNDS = 3;
const DEFAULT_SIZE_MIB = 1024;
const MAX_ROUNDS = 50;
const MAX_SIZE_MIB = 8192;
const CONCURRENT_UPLOADS = 16;
const CONCURRENT_SIZE_MIB = 64;
const WARMUP_SIZE_MIB = 16;
/** Room for our copy, the baseline's copy, and MinIO's, plus slack. */
const DISK_SLACK_BYTES = 2 * 1024 * MIB;

/** The environment this benchmark runs in: children get it plus their own settings. */
// eslint-disable-next-line no-restricted-properties -- benchmark script
const PARENT_ENV: NodeJS.ProcessEnv = process.env;

const TARGET = {
  upload: 0.8,
  downloadBare: 0.8,
  downloadNginx: 0.5,
  s3Upload: 0.7,
  encryptedUpload: 0.7,
  encryptedDownload: 0.7,
  rssGrowthMiB: 64,
} as const;

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

const USAGE = `usage: npm run bench:transfer [-- --rounds N] [-- --size-mib N] [-- --server-flags '…']
                              [-- --baseline-flags '…']
  --rounds N    timed rounds; each runs every transfer once per server (default ${DEFAULT_ROUNDS})
  --size-mib N  size of the single-file transfers in MiB (default ${DEFAULT_SIZE_MIB}); the
                concurrent uploads are ${CONCURRENT_UPLOADS} × min(N, ${CONCURRENT_SIZE_MIB}) MiB
  --server-flags '…'  Node/V8 flags for our server processes only, space-separated, for
                experiments (e.g. '--heap-growing-percent=100'); the baselines run without them
  --baseline-flags '…'  Node/V8 flags for the bare Node baseline server, the same way (e.g. the
                GC flags of apps/api/src/runtime/streaming-gc.ts, to see what they give it)
  MONGO_URL     use this MongoDB server (fresh strongroom-test-* databases on it, dropped after)
                instead of starting the embedded database`;

function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    rounds: DEFAULT_ROUNDS,
    sizeMib: DEFAULT_SIZE_MIB,
    serverFlags: [],
    baselineFlags: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const equals = argv[i].indexOf('=');
    const flag = equals < 0 ? argv[i] : argv[i].slice(0, equals);
    const inline = equals < 0 ? undefined : argv[i].slice(equals + 1);
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const flagsOption = Object.hasOwn(FLAG_OPTIONS, flag)
      ? FLAG_OPTIONS[flag as keyof typeof FLAG_OPTIONS]
      : undefined;
    if (flag !== '--rounds' && flag !== '--size-mib' && !flagsOption) {
      throw new UsageError(`unknown argument '${argv[i]}'`);
    }
    const raw = inline ?? argv[++i];
    if (flagsOption) {
      if (raw === undefined) throw new UsageError(`${flag} needs a value`);
      options[flagsOption] = raw.split(/\s+/).filter(Boolean);
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

/** A server this benchmark started: its child process and where it answers. */
/** Every sample of one contender in one scenario, aligned by round. */
class Samples {
  readonly mbPerSecond: number[] = [];
  readonly rssGrowth: number[] = [];
  /** Server CPU seconds (user + system) per GiB moved. */
  readonly cpuPerGiB: number[] = [];
}

type Unavailable = { reason: string };

function fail(message: string): never {
  throw new Error(message);
}

function mbps(bytes: number, seconds: number): number {
  return bytes / 1e6 / seconds;
}

function fmtMbps(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function fmtMiB(bytes: number): string {
  return (bytes / MIB).toFixed(1);
}

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

// ------------------------------------------------------------------------------------------------
// One transfer each. Every one checks what came back: sizes and SHA-256 against the generator's.

interface StoredOnOurs {
  id: string;
}

async function uploadToOurs(
  server: OurServer,
  size: number,
  streamId: number,
  expectedSha: string,
): Promise<{ seconds: number; stored: StoredOnOurs }> {
  const body = multipartFileBody(
    'file',
    `bench-${streamId}.bin`,
    new PatternStream(size, streamId),
    size,
  );
  const out = await uploadMultipart(`${server.baseUrl}/api/v1/files`, body, {
    authorization: server.authorization,
  });
  const file = out.body as { id?: string; size?: number; sha256?: string };
  if (out.status !== 201 || !file.id) {
    fail(`upload to ${server.label} answered ${out.status}: ${JSON.stringify(out.body)}`);
  }
  if (file.size !== size || file.sha256 !== expectedSha) {
    fail(
      `${server.label} stored ${file.size} bytes with sha256 ${file.sha256}, expected ${size} / ${expectedSha}`,
    );
  }
  return { seconds: out.seconds, stored: { id: file.id } };
}

async function uploadToBare(
  server: Served,
  size: number,
  streamId: number,
  expectedSha: string,
): Promise<{ seconds: number; name: string }> {
  const body = multipartFileBody(
    'file',
    `bench-${streamId}.bin`,
    new PatternStream(size, streamId),
    size,
  );
  const out = await uploadMultipart(`${server.baseUrl}/upload`, body);
  const file = out.body as { name?: string; size?: number; sha256?: string };
  if (out.status !== 201 || !file.name) {
    fail(`upload to ${server.label} answered ${out.status}: ${JSON.stringify(out.body)}`);
  }
  if (file.size !== size || file.sha256 !== expectedSha) {
    fail(
      `${server.label} stored ${file.size} bytes with sha256 ${file.sha256}, expected ${size} / ${expectedSha}`,
    );
  }
  return { seconds: out.seconds, name: file.name };
}

async function downloadAndVerify(
  label: string,
  url: string,
  size: number,
  expectedSha: string,
  authorization?: string,
): Promise<number> {
  const out = await download(url, authorization ? { authorization } : {});
  if (out.bytes !== size || out.sha256 !== expectedSha) {
    fail(
      `download from ${label} gave ${out.bytes} bytes with sha256 ${out.sha256}, expected ${size} / ${expectedSha}`,
    );
  }
  return out.seconds;
}

function deleteFromOurs(server: OurServer, stored: StoredOnOurs): Promise<unknown> {
  return simpleRequest('DELETE', `${server.baseUrl}/api/v1/files/${stored.id}`, 204, {
    authorization: server.authorization,
  });
}

function deleteFromBare(server: Served, name: string): Promise<unknown> {
  return simpleRequest('DELETE', `${server.baseUrl}/files/${name}`, 204);
}

/** The server process a transfer is charged to: its RSS is sampled, its CPU time counted. */
interface Watch {
  pid: number;
  /** Sample RSS (not for nginx: its master's RSS says nothing about its worker). */
  rss: boolean;
  /** Count the CPU of its direct children too (nginx's workers). */
  children: boolean;
}

const watchServer = (server: Served): Watch => ({ pid: server.pid, rss: true, children: false });

interface Measured {
  mbPerSecond: number;
  rss?: RssPeak;
  cpuSecondsPerGiB?: number;
}

/** Runs `transfer` (returning its seconds) and records throughput, RSS growth and server CPU. */
async function measure(
  samples: Samples | undefined,
  watch: Watch | undefined,
  bytes: number,
  transfer: () => Promise<number>,
): Promise<Measured> {
  const sampler = watch?.rss ? sampleRss(watch.pid) : undefined;
  const cpuBefore = watch ? readCpuSeconds(watch.pid, watch.children) : undefined;
  let seconds: number;
  let rss: RssPeak | undefined;
  try {
    seconds = await transfer();
  } finally {
    rss = sampler?.stop();
  }
  const cpuAfter = watch ? readCpuSeconds(watch.pid, watch.children) : undefined;
  const cpuSecondsPerGiB =
    cpuBefore === undefined || cpuAfter === undefined
      ? undefined
      : ((cpuAfter - cpuBefore) * GIB) / bytes;
  const rate = mbps(bytes, seconds);
  samples?.mbPerSecond.push(rate);
  if (rss) samples?.rssGrowth.push(rss.growth);
  if (cpuSecondsPerGiB !== undefined) samples?.cpuPerGiB.push(cpuSecondsPerGiB);
  return { mbPerSecond: rate, rss, cpuSecondsPerGiB };
}

/** `items` in an order that rotates with the round, so no contender always goes first. */
function rotate<T>(items: readonly T[], round: number): T[] {
  return items.map((_, k) => items[(round + k) % items.length]);
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
  concurrentSize: number;
}

interface Results {
  upload: { ours: Samples; bare: Samples; plain: Samples };
  download: { ours: Samples; bare: Samples; nginx: Samples; plain: Samples };
  concurrent: { ours: Samples; bare: Samples };
  s3: { ours: Samples; bare: Samples };
}

const isAvailable = <T extends object>(value: T | Unavailable): value is T => !('reason' in value);

/**
 * One round: every transfer once per contender. `record` false is the warm-up (untimed results,
 * same code paths). `size` is the single-file size of this round.
 */
async function runRound(
  setup: Setup,
  results: Results | undefined,
  round: number,
  size: number,
  sha: string,
  concurrentSize: number,
  concurrentSha: readonly string[],
): Promise<void> {
  const { ours, plain, bare, nginx, s3 } = setup;
  const tag = results ? `round ${round + 1}/${setup.options.rounds}` : 'warm-up';
  const note = (what: string, who: string, result: Measured) =>
    progress(
      `  ${tag}  ${what.padEnd(22)} ${who.padEnd(26)} ${fmtMbps(result.mbPerSecond).padStart(6)} MB/s` +
        (result.cpuSecondsPerGiB === undefined
          ? ''
          : `  server CPU ${result.cpuSecondsPerGiB.toFixed(2)} s/GiB`) +
        (result.rss ? `  RSS +${fmtMiB(result.rss.growth)} MiB` : ''),
    );

  // (a) uploads, keeping what each stored for the downloads.
  let oursFile: StoredOnOurs | undefined;
  let plainFile: StoredOnOurs | undefined;
  let bareName: string | undefined;
  for (const contender of rotate(['ours', 'bare', 'plain'] as const, round)) {
    if (contender === 'plain') {
      const result = await measure(results?.upload.plain, watchServer(plain), size, async () => {
        const out = await uploadToOurs(plain, size, 0, sha);
        plainFile = out.stored;
        return out.seconds;
      });
      note('upload', plain.label, result);
    } else if (contender === 'ours') {
      const result = await measure(results?.upload.ours, watchServer(ours), size, async () => {
        const out = await uploadToOurs(ours, size, 0, sha);
        oursFile = out.stored;
        return out.seconds;
      });
      note('upload', ours.label, result);
    } else {
      const result = await measure(results?.upload.bare, watchServer(bare), size, async () => {
        const out = await uploadToBare(bare, size, 0, sha);
        bareName = out.name;
        return out.seconds;
      });
      note('upload', bare.label, result);
    }
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
    if (contender === 'plain') {
      const url = `${plain.baseUrl}/api/v1/files/${plainStored.id}/content`;
      const result = await measure(results?.download.plain, watchServer(plain), size, () =>
        downloadAndVerify(plain.label, url, size, sha, plain.authorization),
      );
      note('download', plain.label, result);
    } else if (contender === 'ours') {
      const url = `${ours.baseUrl}/api/v1/files/${oursStored.id}/content`;
      const result = await measure(results?.download.ours, watchServer(ours), size, () =>
        downloadAndVerify(ours.label, url, size, sha, ours.authorization),
      );
      note('download', ours.label, result);
    } else if (contender === 'bare') {
      const url = `${bare.baseUrl}/files/${bareStored}`;
      const result = await measure(results?.download.bare, watchServer(bare), size, () =>
        downloadAndVerify(bare.label, url, size, sha),
      );
      note('download', bare.label, result);
    } else if (isAvailable(nginx)) {
      const url = `${nginx.baseUrl}/${bareStored}`;
      const nginxWatch: Watch = { pid: nginx.child.pid, rss: false, children: true };
      const result = await measure(results?.download.nginx, nginxWatch, size, () =>
        downloadAndVerify(nginx.version, url, size, sha),
      );
      note('download', nginx.version, result);
    }
  }
  await deleteFromOurs(ours, oursStored);
  await deleteFromOurs(plain, plainStored);
  await deleteFromBare(bare, bareStored);

  // (d) concurrent uploads, all started at once; the time is until the last one is answered.
  const total = concurrentSize * CONCURRENT_UPLOADS;
  const streams = Array.from({ length: CONCURRENT_UPLOADS }, (_, i) => i + 1);
  const what = `${CONCURRENT_UPLOADS} × ${concurrentSize / MIB} MiB uploads`;
  for (const contender of rotate(['ours', 'bare'] as const, round)) {
    if (contender === 'ours') {
      let stored: StoredOnOurs[] = [];
      const result = await measure(results?.concurrent.ours, watchServer(ours), total, async () => {
        const start = performance.now();
        const outs = await Promise.all(
          streams.map((id) => uploadToOurs(ours, concurrentSize, id, concurrentSha[id - 1])),
        );
        stored = outs.map((out) => out.stored);
        return (performance.now() - start) / 1000;
      });
      note(what, ours.label, result);
      for (const file of stored) await deleteFromOurs(ours, file);
    } else {
      let names: string[] = [];
      const result = await measure(results?.concurrent.bare, watchServer(bare), total, async () => {
        const start = performance.now();
        const outs = await Promise.all(
          streams.map((id) => uploadToBare(bare, concurrentSize, id, concurrentSha[id - 1])),
        );
        names = outs.map((out) => out.name);
        return (performance.now() - start) / 1000;
      });
      note(what, bare.label, result);
      for (const name of names) await deleteFromBare(bare, name);
    }
  }

  // (e) S3: our server with the s3 driver vs. lib-storage's Upload, both into the same MinIO.
  if (isAvailable(s3)) {
    for (const contender of rotate(['ours', 'bare'] as const, round)) {
      if (contender === 'ours') {
        let stored: StoredOnOurs | undefined;
        const result = await measure(results?.s3.ours, watchServer(s3.server), size, async () => {
          const out = await uploadToOurs(s3.server, size, 0, sha);
          stored = out.stored;
          return out.seconds;
        });
        note('S3 upload', s3.server.label, result);
        if (stored) await deleteFromOurs(s3.server, stored);
      } else {
        const key = `bare/${randomBytes(8).toString('hex')}`;
        const result = await measure(results?.s3.bare, undefined, size, async () => {
          const start = performance.now();
          await s3.target.uploadBare(key, new PatternStream(size, 0));
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

function spread(values: readonly number[]): string {
  if (values.length === 0) return 'n/a';
  if (values.length === 1) return fmtMbps(values[0]);
  return `${fmtMbps(median(values))} (${fmtMbps(Math.min(...values))}–${fmtMbps(Math.max(...values))})`;
}

/** The median of the per-round ratios: each round's pair ran back to back under the same load. */
function pairedRatio(ours: Samples, base: Samples): number | undefined {
  const n = Math.min(ours.mbPerSecond.length, base.mbPerSecond.length);
  if (n === 0) return undefined;
  return median(Array.from({ length: n }, (_, i) => ours.mbPerSecond[i] / base.mbPerSecond[i]));
}

interface Verdicts {
  met: number;
  missed: string[];
}

function verdict(verdicts: Verdicts, name: string, met: boolean | undefined): string {
  if (met === undefined) return 'n/a';
  if (met) verdicts.met++;
  else verdicts.missed.push(name);
  return met ? 'MET' : 'MISSED';
}

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
    `(a) upload ${sizeLabel}`,
    results.upload.ours,
    'busboy + SHA-256 + fsync (bare Node)',
    results.upload.bare,
    TARGET.upload,
    'upload vs busboy',
  );
  row(
    `(b) download ${sizeLabel}`,
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
    TARGET.downloadNginx,
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
  row(
    `(d) ${CONCURRENT_UPLOADS} × ${setup.concurrentSize / MIB} MiB concurrent uploads`,
    results.concurrent.ours,
    'busboy + SHA-256 + fsync (bare Node)',
    results.concurrent.bare,
    undefined,
    'concurrent uploads',
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
  const cell = (values: readonly number[]) =>
    values.length === 0 ? 'n/a' : `${fmtMiB(median(values))} / ${fmtMiB(Math.max(...values))}`;
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
      cell(ours.rssGrowth),
      target ? `< ${TARGET.rssGrowthMiB} MiB` : '-',
      target ? verdict(verdicts, target, worst === undefined ? undefined : worst < limit) : '-',
      base ? cell(base.rssGrowth) : '-',
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
  row(
    `(d) ${CONCURRENT_UPLOADS} × ${setup.concurrentSize / MIB} MiB uploads, local`,
    results.concurrent.ours,
    results.concurrent.bare,
    undefined,
  );
  if (isAvailable(setup.s3))
    row(`(e) S3 upload ${sizeLabel}`, results.s3.ours, undefined, undefined);
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
    const n = base ? Math.min(ours.cpuPerGiB.length, base.cpuPerGiB.length) : 0;
    const perRound = base
      ? Array.from({ length: n }, (_, i) => ours.cpuPerGiB[i] / base.cpuPerGiB[i])
      : [];
    const r = perRound.length ? median(perRound) : undefined;
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
  row(
    `(d) ${CONCURRENT_UPLOADS} × ${setup.concurrentSize / MIB} MiB uploads`,
    results.concurrent.ours,
    'bare Node, busboy',
    results.concurrent.bare,
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

// ------------------------------------------------------------------------------------------------

function describeFlags(flags: readonly string[]): string {
  return flags.length ? flags.join(' ') : 'none';
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].slice(0, 160);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const repoRoot = path.resolve(__dirname, '..');
  const size = options.sizeMib * MIB;
  const concurrentSize = Math.min(options.sizeMib, CONCURRENT_SIZE_MIB) * MIB;
  const warmupSize = Math.min(options.sizeMib, WARMUP_SIZE_MIB) * MIB;

  const cleanups = new Cleanups();

  try {
    const loadAtStart = os.loadavg();
    const temp = await createTempDir('bench-transfer');
    cleanups.push(() => temp.remove());
    // nginx's workers read the bare server's folder: let them traverse to it.
    await chmod(temp.path, 0o755);
    const disk = await statfs(temp.path);
    const free = disk.bavail * disk.bsize;
    const needed = 4 * size + CONCURRENT_UPLOADS * concurrentSize + DISK_SLACK_BYTES;
    if (free < needed) {
      fail(`${temp.path} has ${fmtMiB(free)} MiB free; this run needs about ${fmtMiB(needed)} MiB`);
    }

    const externalMongo = PARENT_ENV.MONGO_URL;
    let mongoServer: string;
    let databaseLabel: string;
    if (externalMongo) {
      mongoServer = externalMongo;
      databaseLabel = `MONGO_URL (${new URL(externalMongo).host})`;
    } else {
      progress('starting the embedded database (the first run builds it, about 2 minutes)');
      const db = await EmbeddedDbProcess.start({
        dataDir: path.join(temp.path, 'db'),
        logFile: path.join(temp.path, 'embedded-db.log'),
        log: progress,
      });
      cleanups.push(() => db.stop());
      mongoServer = db.url;
      databaseLabel = `embedded FerretDB (SQLite) on ${new URL(db.url).host}`;
    }

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
        options.serverFlags,
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
        options.serverFlags,
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
        options.serverFlags,
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

    // The expected hashes, from the generator; timing the big one gives the client's hash rate.
    progress('hashing the generated data for verification');
    const hashStart = performance.now();
    const sha = patternSha256(size, 0);
    const clientSha256Rate = mbps(size, (performance.now() - hashStart) / 1000);
    const concurrentSha = Array.from({ length: CONCURRENT_UPLOADS }, (_, i) =>
      patternSha256(concurrentSize, i + 1),
    );
    const warmupSha = patternSha256(warmupSize, 0);
    const warmupConcurrentSha = Array.from({ length: CONCURRENT_UPLOADS }, (_, i) =>
      patternSha256(warmupSize, i + 1),
    );

    const setup: Setup = { options, ours, plain, bare, nginx, s3, concurrentSize };
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
    console.log(`  database  ${databaseLabel}`);
    console.log(
      `  transfers ${options.sizeMib} MiB single files; ${CONCURRENT_UPLOADS} × ${concurrentSize / MIB} MiB concurrent; fresh loopback connection each`,
    );
    console.log(
      `  rounds    ${options.rounds}, after one warm-up round at ${warmupSize / MIB} MiB; contenders interleaved, order rotating`,
    );
    console.log(
      `  client    this process; SHA-256 on one core ${fmtMbps(clientSha256Rate)} MB/s (every download is hashed and verified)`,
    );
    console.log(
      `  nginx     ${isAvailable(nginx) ? `${nginx.version} on ${new URL(nginx.baseUrl).host}` : `n/a (${nginx.reason})`}`,
    );
    console.log(`  s3        ${isAvailable(s3) ? s3.target.description : `n/a (${s3.reason})`}`);
    console.log(
      `  servers   one process each, compiled to JavaScript; extra Node flags for ours: ${describeFlags(
        options.serverFlags,
      )}; for the bare Node baseline: ${describeFlags(options.baselineFlags)}`,
    );
    console.log('');

    await runRound(setup, undefined, 0, warmupSize, warmupSha, warmupSize, warmupConcurrentSha);
    const results: Results = {
      upload: { ours: new Samples(), bare: new Samples(), plain: new Samples() },
      download: {
        ours: new Samples(),
        bare: new Samples(),
        nginx: new Samples(),
        plain: new Samples(),
      },
      concurrent: { ours: new Samples(), bare: new Samples() },
      s3: { ours: new Samples(), bare: new Samples() },
    };
    for (let round = 0; round < options.rounds; round++) {
      await runRound(setup, results, round, size, sha, concurrentSize, concurrentSha);
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
    const total = verdicts.met + verdicts.missed.length;
    console.log(
      verdicts.missed.length === 0
        ? `TARGETS MET: ${verdicts.met} of ${total}`
        : `TARGETS MISSED: ${verdicts.missed.join(', ')} (${verdicts.met} of ${total} met)`,
    );
  } finally {
    await cleanups.run();
  }
}

runBenchmark(main, USAGE);
