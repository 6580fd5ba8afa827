/**
 * Resumable (tus) upload against the multipart route, in the same run and on the same server:
 * `--size-mib` (1 GiB by default) sent as PATCHes of `--patch-mib` (8 MiB), one after another as
 * a tus client does, against one multipart POST of the same bytes; rounds alternate the order.
 * Prints MB/s of each, the tus/multipart ratio (target ≥ 0.8) and the server's RSS growth during
 * each upload (target < 64 MiB). Our server is the real application, compiled, in a child
 * process (bench/support/our-server.ts) on the local driver; SHA-256 is checked on both routes.
 */
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { EmbeddedDbProcess } from '@strongroom/embedded-db';
import { compileForChildren, createTempDir, uniqueTestDatabaseUrl } from '@strongroom/testing';
import { Cleanups } from './support/cleanups';
import { simpleRequest, uploadMultipart } from './support/http-transfer';
import { multipartFileBody } from './support/multipart-body';
import { type OurServer, startOurServer } from './support/our-server';
import { PatternStream, patternSha256 } from './support/pattern-stream';
import { sampleRss } from './support/rss-sampler';
import { runBenchmark, UsageError } from './support/run-benchmark';
import { formatTable, median } from './stats';

const MIB = 1024 * 1024;
const USAGE = 'usage: npm run bench:resumable [-- --size-mib N] [-- --patch-mib N] [-- --rounds N]';
const TARGET_RATIO = 0.8;
const TARGET_RSS_MIB = 64;
// eslint-disable-next-line no-restricted-properties -- a benchmark's own parent process
const PARENT_ENV: NodeJS.ProcessEnv = process.env;

interface Options {
  sizeMib: number;
  patchMib: number;
  rounds: number;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { sizeMib: 1024, patchMib: 8, rounds: 2 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, '');
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

function request(
  url: string,
  method: string,
  headers: http.OutgoingHttpHeaders,
  body?: Buffer,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false, headers }, (res) => {
      res.resume();
      res.once('end', () => resolve(res));
    });
    req.once('error', reject);
    req.end(body);
  });
}

/** One tus upload in PATCHes of `patchBytes`, as a client sends them: each after the last answer. */
async function uploadTus(server: OurServer, size: number, patchBytes: number): Promise<string> {
  const tus = { authorization: server.authorization, 'tus-resumable': '1.0.0' };
  const created = await request(`${server.baseUrl}/api/v1/uploads`, 'POST', {
    ...tus,
    'upload-length': String(size),
  });
  if (created.statusCode !== 201) throw new Error(`tus creation answered ${created.statusCode}`);
  const url = `${server.baseUrl}${created.headers.location}`;
  let offset = 0;
  let fileId = '';
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const send = async () => {
    const body = Buffer.concat(pending);
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
    if (res.statusCode !== 204 || stored !== offset + body.length) {
      throw new Error(`PATCH at ${offset} answered ${res.statusCode}, offset ${stored}`);
    }
    offset = stored;
    fileId = String(res.headers['strongroom-file-id'] ?? fileId);
    pending = [];
    pendingBytes = 0;
  };
  for await (const chunk of new PatternStream(size, 1)) {
    pending.push(chunk as Buffer);
    pendingBytes += (chunk as Buffer).length;
    if (pendingBytes >= patchBytes) await send();
  }
  if (pendingBytes > 0) await send();
  return fileId;
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

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const size = options.sizeMib * MIB;
  const expectedSha = patternSha256(size, 1);
  const cleanups = new Cleanups();
  try {
    const temp = await createTempDir('bench-resumable');
    cleanups.push(() => temp.remove());
    let mongoServer = PARENT_ENV.MONGO_URL;
    if (!mongoServer) {
      progress('starting the embedded database');
      const db = await EmbeddedDbProcess.start({
        dataDir: path.join(temp.path, 'db'),
        logFile: path.join(temp.path, 'embedded-db.log'),
        log: progress,
      });
      cleanups.push(() => db.stop());
      mongoServer = db.url;
    }
    progress('compiling the server to JavaScript');
    const compiled = await compileForChildren(
      path.resolve(__dirname, '..'),
      path.join(temp.path, 'build'),
    );
    const server = await startOurServer(
      'local',
      path.join(temp.path, 'ours'),
      uniqueTestDatabaseUrl(mongoServer),
      { MAX_FILE_SIZE: `${options.sizeMib + 1}MB` },
      compiled,
      [],
    );
    cleanups.push(() => server.child.stop());

    const results = {
      multipart: { mbps: [] as number[], rss: [] as number[] },
      tus: { mbps: [] as number[], rss: [] as number[] },
    };
    for (let round = 0; round < options.rounds; round++) {
      const order =
        round % 2 === 0 ? (['multipart', 'tus'] as const) : (['tus', 'multipart'] as const);
      for (const route of order) {
        progress(`round ${round + 1}: ${route}, ${options.sizeMib} MiB`);
        const rss = sampleRss(server.pid);
        const start = performance.now();
        const id =
          route === 'tus'
            ? await uploadTus(server, size, options.patchMib * MIB)
            : await uploadMultipartRoute(server, size);
        const seconds = (performance.now() - start) / 1000;
        const peak = rss.stop();
        const meta = (await simpleRequest('GET', `${server.baseUrl}/api/v1/files/${id}`, 200, {
          authorization: server.authorization,
        })) as { sha256?: string };
        const sha = meta.sha256;
        if (sha !== expectedSha)
          throw new Error(`${route} stored sha256 ${sha}, expected ${expectedSha}`);
        results[route].mbps.push(size / 1e6 / seconds);
        results[route].rss.push(peak.growth / MIB);
        await simpleRequest('DELETE', `${server.baseUrl}/api/v1/files/${id}`, 204, {
          authorization: server.authorization,
        });
      }
    }

    const ratio = median(results.tus.mbps) / median(results.multipart.mbps);
    const rssMax = Math.max(...results.tus.rss);
    console.log(
      `node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}, ${options.sizeMib} MiB, tus PATCHes of ${options.patchMib} MiB, ${options.rounds} rounds, local driver`,
    );
    console.log(
      formatTable(
        ['route', 'MB/s (median)', 'MB/s (each round)', 'server RSS growth (max)'],
        (['multipart', 'tus'] as const).map((route) => [
          route,
          median(results[route].mbps).toFixed(1),
          results[route].mbps.map((v) => v.toFixed(1)).join(', '),
          `${Math.max(...results[route].rss).toFixed(1)} MiB`,
        ]),
      ),
    );
    console.log(
      `tus / multipart: ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'MET' : 'MISSED'}); tus RSS growth ${rssMax.toFixed(1)} MiB (target < ${TARGET_RSS_MIB}: ${rssMax < TARGET_RSS_MIB ? 'MET' : 'MISSED'})`,
    );
  } finally {
    await cleanups.run();
  }
}

runBenchmark(main, USAGE);
