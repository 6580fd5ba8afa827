/**
 * Resumable (tus) upload against the multipart route, in the same run and on the same server, on
 * the local driver and on S3 (a MinIO started as the transfer benchmark does): `--size-mib` (1 GiB
 * by default) sent as PATCHes of `--patch-mib` (8 MiB), one after another as a tus client does
 * (resuming from the offset each answer reports), against one multipart POST of the same bytes,
 * and against the floor: the bare Node server (bench/support/bare-server.ts) taking the same
 * PATCHes with the same durability (append and fsync, or one UploadPart, per PATCH), which shows
 * what ratio the protocol itself allows here; rounds rotate the order. Prints per driver and route MB/s, the tus/multipart ratio (target
 * ≥ 0.8), the server's CPU seconds per GiB (which background load hardly moves), its RSS growth
 * (target < 64 MiB) and the disk it used for temporary state beside the upload itself (target:
 * at most one part). Our server is the real application, compiled, in a child process
 * (bench/support/our-server.ts); SHA-256 is checked on both routes.
 */
import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { compileForChildren, uniqueTestDatabaseUrl } from '@strongroom/testing';
import { Cleanups } from './support/cleanups';
import { startBenchWorkspace } from './support/bench-database';
import { simpleRequest, uploadMultipart } from './support/http-transfer';
import { multipartFileBody } from './support/multipart-body';
import { readCpuSeconds } from './support/cpu-time';
import {
  formatProfileSummary,
  newestCpuProfile,
  profileClockUs,
  type ProfileWindow,
  summarizeCpuProfile,
} from './support/cpu-profile';
import { sampleTemporaryDisk } from './support/disk-sampler';
import { startBareServer } from './support/bare-server-process';
import { type OurServer, type Served, startOurServer } from './support/our-server';
import { PatternStream, patternSha256 } from './support/pattern-stream';
import { sampleRss } from './support/rss-sampler';
import { type S3Target, startS3Target } from './support/s3-target';
import { runBenchmark, UsageError } from './support/run-benchmark';
import { formatTable, median } from './stats';

const MIB = 1024 * 1024;
const USAGE =
  'usage: npm run bench:resumable [-- --size-mib N] [-- --patch-mib N] [-- --rounds N] [-- --drivers local,s3]';
const DRIVERS = ['local', 's3'] as const;
type Driver = (typeof DRIVERS)[number];
/** One stored part: a sealed 1 MiB chunk on local storage, five of them on S3 (its 5 MiB minimum). */
const PART_BYTES: Record<Driver, number> = { local: MIB + 16, s3: 5 * (MIB + 16) };
const TARGET_RATIO = 0.8;
const TARGET_RSS_MIB = 64;
// eslint-disable-next-line no-restricted-properties -- a benchmark's own parent process
const PARENT_ENV: NodeJS.ProcessEnv = process.env;

interface Options {
  sizeMib: number;
  patchMib: number;
  rounds: number;
  drivers: Driver[];
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { sizeMib: 1024, patchMib: 8, rounds: 2, drivers: [...DRIVERS] };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, '');
    if (name === 'drivers') {
      const drivers = String(argv[i + 1]).split(',');
      const unknown = drivers.find((driver) => !DRIVERS.includes(driver as Driver));
      if (unknown !== undefined) throw new UsageError(`unknown driver ${unknown}`);
      options.drivers = drivers as Driver[];
      continue;
    }
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`bad value for ${argv[i]}`);
    if (name === 'size-mib') options.sizeMib = value;
    else if (name === 'patch-mib') options.patchMib = value;
    else if (name === 'rounds') options.rounds = value;
    else throw new UsageError(`unknown option ${argv[i]}`);
  }
  return options;
}

const progress = (message: string) => process.stderr.write(`${message}\n`);

/** One connection kept open for a whole upload's requests, as tus clients (and Node's own agent) do. */
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(
  url: string,
  method: string,
  headers: http.OutgoingHttpHeaders,
  body?: Buffer,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: keepAlive, headers }, (res) => {
      res.resume();
      res.once('end', () => resolve(res));
    });
    req.once('error', reject);
    req.end(body);
  });
}

/** Where a tus client sends: the creation URL and the headers every request carries. */
interface TusEndpoint {
  baseUrl: string;
  createPath: string;
  headers: http.OutgoingHttpHeaders;
}

/**
 * One tus upload in PATCHes of `patchBytes`, as a client sends them: each after the last answer,
 * and from the offset it reported (the server keeps whole parts only, so on S3 the tail of a PATCH
 * is sent again at the head of the next one). Resolves with the upload's URL and the last
 * answer's headers.
 */
async function uploadTus(
  endpoint: TusEndpoint,
  size: number,
  patchBytes: number,
): Promise<{ url: string; headers: http.IncomingHttpHeaders }> {
  const tus = { ...endpoint.headers, 'tus-resumable': '1.0.0' };
  const created = await request(`${endpoint.baseUrl}${endpoint.createPath}`, 'POST', {
    ...tus,
    'upload-length': String(size),
  });
  if (created.statusCode !== 201) throw new Error(`tus creation answered ${created.statusCode}`);
  // Location is under PUBLIC_URL, which a server on a port of its choosing does not know: the
  // upload's path, on the address the server listens on.
  const url = `${endpoint.baseUrl}${new URL(String(created.headers.location), endpoint.baseUrl).pathname}`;
  let offset = 0;
  let last: http.IncomingHttpHeaders = {};
  /** Bytes from `offset` on, not yet stored. */
  let pending: Buffer = Buffer.alloc(0);
  const send = async () => {
    const body = pending.subarray(0, patchBytes);
    const res = await request(
      url,
      'PATCH',
      {
        ...tus,
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
        'content-length': String(body.length),
      },
      body,
    );
    const stored = Number(res.headers['upload-offset']);
    if (res.statusCode !== 204 || !(stored > offset) || stored > offset + body.length) {
      throw new Error(`PATCH at ${offset} answered ${res.statusCode}, offset ${stored}`);
    }
    pending = pending.subarray(stored - offset);
    offset = stored;
    last = res.headers;
  };
  const source = new PatternStream(size, 1)[Symbol.asyncIterator]();
  for (let sent = 0; offset < size;) {
    // Joined once per PATCH: joining chunk by chunk would copy each byte several times over.
    const more = [pending];
    for (let length = pending.length; length < patchBytes && sent < size;) {
      const { value } = (await source.next()) as { value: Buffer };
      more.push(value);
      length += value.length;
      sent += value.length;
    }
    pending = Buffer.concat(more);
    await send();
  }
  return { url, headers: last };
}

async function uploadMultipartRoute(server: OurServer, size: number): Promise<string> {
  const body = multipartFileBody('file', 'bench.bin', new PatternStream(size, 1), size);
  const out = await uploadMultipart(`${server.baseUrl}/api/v1/files`, body, {
    authorization: server.authorization,
  });
  const file = out.body as { id?: string };
  if (out.status !== 201 || !file.id) throw new Error(`multipart upload answered ${out.status}`);
  return file.id;
}

const ROUTES = ['multipart', 'tus', 'floor'] as const;
type Route = (typeof ROUTES)[number];

/** The floor: the bare server taking the same PATCHes, each appended and fsynced (or one UploadPart). */
interface Floor {
  server: Served;
  /** Where it stores (on S3, nothing but its log). */
  folder: string;
  /** Removes what one upload stored, by the name in its Location. */
  remove(name: string): Promise<unknown>;
}

interface Samples {
  mbps: number[];
  cpuPerGib: number[];
  rssMib: number[];
  tempMib: number[];
}

const samples = (): Samples => ({ mbps: [], cpuPerGib: [], rssMib: [], tempMib: [] });

/**
 * Sends one upload of `size` bytes by `route`; resolves with what checks it (the SHA-256 it was
 * stored with) and removes it.
 */
async function uploadBy(
  route: Route,
  server: OurServer,
  floor: Floor,
  size: number,
  patchBytes: number,
): Promise<{ sha256: () => Promise<string | undefined>; remove: () => Promise<unknown> }> {
  if (route === 'floor') {
    const { url, headers } = await uploadTus(
      { baseUrl: floor.server.baseUrl, createPath: '/uploads', headers: {} },
      size,
      patchBytes,
    );
    return {
      sha256: () => Promise.resolve(headers['bare-sha256'] as string | undefined),
      remove: () => floor.remove(path.basename(url)),
    };
  }
  const auth = { authorization: server.authorization };
  const id =
    route === 'tus'
      ? String(
          (
            await uploadTus(
              { baseUrl: server.baseUrl, createPath: '/api/v1/uploads', headers: auth },
              size,
              patchBytes,
            )
          ).headers['strongroom-file-id'],
        )
      : await uploadMultipartRoute(server, size);
  const url = `${server.baseUrl}/api/v1/files/${id}`;
  return {
    sha256: async () =>
      ((await simpleRequest('GET', url, 200, auth)) as { sha256?: string }).sha256,
    remove: () => simpleRequest('DELETE', url, 204, auth),
  };
}

async function measureDriver(
  driver: Driver,
  server: OurServer,
  floor: Floor,
  folders: readonly string[],
  options: Options,
): Promise<{ results: Record<Route, Samples>; windows: Map<Route, ProfileWindow> }> {
  const size = options.sizeMib * MIB;
  const expectedSha = patternSha256(size, 1);
  const results = { multipart: samples(), tus: samples(), floor: samples() };
  /** Each route's last upload, on the clock of our server's CPU profile. */
  const windows = new Map<Route, ProfileWindow>();
  for (let round = 0; round < options.rounds; round++) {
    // Each route comes first in turn, so background load is shared alike across the rounds.
    const order = ROUTES.map((_, i) => ROUTES[(i + round) % ROUTES.length]);
    for (const route of order) {
      progress(`${driver}, round ${round + 1}: ${route}, ${options.sizeMib} MiB`);
      const pid = route === 'floor' ? floor.server.pid : server.pid;
      const rss = sampleRss(pid);
      const disk = sampleTemporaryDisk(route === 'floor' ? [floor.folder] : folders);
      const cpuBefore = readCpuSeconds(pid) ?? NaN;
      const start = performance.now();
      const fromUs = profileClockUs();
      const stored = await uploadBy(route, server, floor, size, options.patchMib * MIB);
      windows.set(route, { fromUs, toUs: profileClockUs() });
      const seconds = (performance.now() - start) / 1000;
      const cpu = (readCpuSeconds(pid) ?? NaN) - cpuBefore;
      const peak = rss.stop();
      const temp = disk.stop();
      const sha256 = await stored.sha256();
      if (sha256 !== expectedSha) {
        throw new Error(`${route} stored sha256 ${sha256}, expected ${expectedSha}`);
      }
      const result = results[route];
      result.mbps.push(size / 1e6 / seconds);
      result.cpuPerGib.push(cpu / (size / (1024 * MIB)));
      result.rssMib.push(peak.growth / MIB);
      result.tempMib.push(temp / MIB);
      await stored.remove();
    }
  }
  return { results, windows };
}

/**
 * Where our server's CPU went during each of its routes' last upload, from the profile it wrote
 * on exit (`BENCH_PROF`): the newest profile in `profileDir`.
 */
async function profileByRoute(
  profileDir: string,
  windows: Map<Route, ProfileWindow>,
): Promise<string> {
  const file = await newestCpuProfile(profileDir);
  if (!file) return 'no CPU profile was written';
  const sections: string[] = [];
  for (const route of ['multipart', 'tus'] as const) {
    const window = windows.get(route);
    if (!window) continue;
    const summary = await summarizeCpuProfile(file, { window, top: 20 });
    sections.push(
      `${route}: ${summary.busyMs.toFixed(0)} ms of CPU sampled\n\n${formatProfileSummary(summary)}`,
    );
  }
  return sections.join('\n\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const cleanups = new Cleanups();
  try {
    const { temp, url: mongoServer } = await startBenchWorkspace(
      'bench-resumable',
      cleanups,
      progress,
    );
    progress('compiling the server to JavaScript');
    const compiled = await compileForChildren(
      path.resolve(__dirname, '..'),
      path.join(temp.path, 'build'),
    );
    const load = os.loadavg()[0];
    const rows: string[][] = [];
    const verdicts: string[] = [];
    const profiles: string[] = [];
    for (const driver of options.drivers) {
      const workDir = path.join(temp.path, driver);
      // The server's own temporary folder is watched too: nothing may spool there unseen.
      const tmpDir = path.join(workDir, 'tmp');
      await mkdir(tmpDir, { recursive: true });
      let s3: S3Target | undefined;
      if (driver === 's3') {
        progress('starting MinIO');
        const target = await startS3Target(path.join(temp.path, 'minio'), progress);
        cleanups.push(() => target.stop());
        s3 = target;
      }
      const driverEnv = s3?.serverEnv ?? {};
      const floorDir = path.join(temp.path, `${driver}-floor`);
      await mkdir(floorDir, { recursive: true });
      const floorServer = await startBareServer(
        floorDir,
        floorDir,
        compiled,
        [],
        s3 ? { ...s3.serverEnv, BENCH_S3_BUCKET: s3.serverEnv.S3_BUCKET } : {},
      );
      cleanups.push(() => floorServer.child.stop());
      const floor: Floor = {
        server: floorServer,
        folder: floorDir,
        remove: (name) =>
          s3
            ? s3.remove(name)
            : simpleRequest('DELETE', `${floorServer.baseUrl}/files/${name}`, 204),
      };
      const server = await startOurServer(
        driver,
        workDir,
        uniqueTestDatabaseUrl(mongoServer),
        { MAX_FILE_SIZE: `${options.sizeMib + 1}MB`, TMPDIR: tmpDir, ...driverEnv },
        compiled,
        PARENT_ENV.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${PARENT_ENV.BENCH_PROF}`] : [],
      );
      const { results, windows } = await measureDriver(driver, server, floor, [workDir], options);
      await server.child.stop();
      if (PARENT_ENV.BENCH_PROF) {
        profiles.push(`${driver}\n\n${await profileByRoute(PARENT_ENV.BENCH_PROF, windows)}`);
      }
      for (const route of ROUTES) {
        const result = results[route];
        rows.push([
          driver,
          route === 'floor' ? 'floor: bare Node, same PATCHes' : route,
          median(result.mbps).toFixed(1),
          result.mbps.map((v) => v.toFixed(1)).join(', '),
          median(result.cpuPerGib).toFixed(2),
          `${Math.max(...result.rssMib).toFixed(1)} MiB`,
          `${Math.max(...result.tempMib).toFixed(1)} MiB`,
        ]);
      }
      const ratio = median(results.tus.mbps) / median(results.multipart.mbps);
      const floorRatio = median(results.floor.mbps) / median(results.multipart.mbps);
      const rss = Math.max(...results.tus.rssMib);
      const tempMib = Math.max(...results.tus.tempMib);
      const partMib = PART_BYTES[driver] / MIB;
      const met = (ok: boolean) => (ok ? 'MET' : 'MISSED');
      verdicts.push(
        `${driver}: tus / multipart ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}: ${met(ratio >= TARGET_RATIO)}; the floor allows ${floorRatio.toFixed(2)}); tus RSS growth ${rss.toFixed(1)} MiB (target < ${TARGET_RSS_MIB}: ${met(rss < TARGET_RSS_MIB)}); tus temporary disk ${tempMib.toFixed(1)} MiB (target ≤ one part, ${partMib.toFixed(1)} MiB: ${met(tempMib <= partMib)})`,
      );
    }
    console.log(
      `node ${process.version}, ${os.cpus().length} cores, load ${load.toFixed(2)}, ${options.sizeMib} MiB, tus PATCHes of ${options.patchMib} MiB, ${options.rounds} rounds`,
    );
    console.log(
      formatTable(
        [
          'driver',
          'route',
          'MB/s (median)',
          'MB/s (each round)',
          'server CPU s/GiB',
          'server RSS growth (max)',
          'temporary disk (max)',
        ],
        rows,
        ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
      ),
    );
    for (const verdict of verdicts) console.log(verdict);
    for (const profile of profiles) console.log(`\nour server's CPU by route, ${profile}`);
  } finally {
    await cleanups.run();
  }
}

runBenchmark(main, USAGE);
