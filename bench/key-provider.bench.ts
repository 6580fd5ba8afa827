/**
 * Encrypted downloads with data keys wrapped by AWS KMS (moto_server on loopback) against the
 * same application with local keys, in the same run: two servers, each the real application
 * compiled and in a child process (bench/support/our-server.ts), one with KEY_PROVIDER=aws-kms and
 * one with KEY_PROVIDER=local. Each round downloads a `--size-mib` file whole (SHA-256 checked)
 * and makes `--ranges` range requests of 64 KiB at spread offsets, as a video player seeking does,
 * against both servers back to back, alternating which goes first. Prints MB/s and range requests
 * per second for each, and the aws-kms/local ratios (target ≥ 0.9 with the data-key cache).
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { compileForChildren, MotoServer, uniqueTestDatabaseUrl } from '@strongroom/testing';
import { requirePythonTool } from '../test/support/python-tools';
import { Cleanups } from './support/cleanups';
import { startBenchWorkspace } from './support/bench-database';
import { download, simpleRequest, uploadMultipart } from './support/http-transfer';
import { multipartFileBody } from './support/multipart-body';
import { type OurServer, startOurServer } from './support/our-server';
import { PatternStream, patternSha256 } from './support/pattern-stream';
import { runBenchmark, UsageError } from './support/run-benchmark';
import { formatTable, median } from './stats';

const MIB = 1024 * 1024;
const RANGE_BYTES = 64 * 1024;
const USAGE = 'usage: npm run bench:key-provider [-- --size-mib N] [-- --ranges N] [-- --rounds N]';
const TARGET_RATIO = 0.9;
const REGION = 'eu-central-1';
/** moto takes any credentials; the SDK in the server child finds these in its environment. */
const MOTO_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'moto', AWS_SECRET_ACCESS_KEY: 'moto' };
const PROVIDERS = ['local', 'aws-kms'] as const;
type Provider = (typeof PROVIDERS)[number];

interface Options {
  sizeMib: number;
  ranges: number;
  rounds: number;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { sizeMib: 256, ranges: 200, rounds: 3 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, '');
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`bad value for ${argv[i]}`);
    if (name === 'size-mib') options.sizeMib = value;
    else if (name === 'ranges') options.ranges = value;
    else if (name === 'rounds') options.rounds = value;
    else throw new UsageError(`unknown option ${argv[i]}`);
  }
  return options;
}

const progress = (message: string) => process.stderr.write(`${message}\n`);

async function createKmsKey(endpoint: string): Promise<string> {
  const client = new KMSClient({
    region: REGION,
    endpoint,
    credentials: {
      accessKeyId: MOTO_CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: MOTO_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
    },
  });
  try {
    const created = await client.send(new CreateKeyCommand({ Description: 'strongroom bench' }));
    return created.KeyMetadata!.Arn!;
  } finally {
    client.destroy();
  }
}

async function uploadFile(server: OurServer, size: number): Promise<string> {
  const body = multipartFileBody('file', 'bench.bin', new PatternStream(size, 1), size);
  const out = await uploadMultipart(`${server.baseUrl}/api/v1/files`, body, {
    authorization: server.authorization,
  });
  const file = out.body as { id?: string };
  if (out.status !== 201 || !file.id) throw new Error(`upload answered ${out.status}`);
  return file.id;
}

interface Samples {
  mbps: number[];
  rangesPerSecond: number[];
}

async function measure(
  server: OurServer,
  fileId: string,
  size: number,
  options: Options,
  into: Samples,
): Promise<void> {
  const url = `${server.baseUrl}/api/v1/files/${fileId}/content`;
  const headers = { authorization: server.authorization };
  const whole = await download(url, headers);
  if (whole.sha256 !== patternSha256(size, 1)) {
    throw new Error(`${server.label}: the download's SHA-256 does not match the upload's`);
  }
  into.mbps.push(size / 1e6 / whole.seconds);
  const step = Math.max(1, Math.floor((size - RANGE_BYTES) / options.ranges));
  const start = performance.now();
  for (let n = 0; n < options.ranges; n++) {
    const from = (n * step) % Math.max(1, size - RANGE_BYTES);
    const range = `bytes=${from}-${from + RANGE_BYTES - 1}`;
    const part = await download(url, { ...headers, range }, false, 206);
    if (part.bytes !== RANGE_BYTES) throw new Error(`${range} answered ${part.bytes} bytes`);
  }
  into.rangesPerSecond.push(options.ranges / ((performance.now() - start) / 1000));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const size = options.sizeMib * MIB;
  const cleanups = new Cleanups();
  try {
    const { temp, url: mongoServer } = await startBenchWorkspace(
      'bench-key-provider',
      cleanups,
      progress,
    );
    progress('starting moto_server (AWS KMS)');
    const moto = await MotoServer.start({
      python: requirePythonTool('moto'),
      workDir: temp.path,
    });
    cleanups.push(() => moto.stop());
    const keyArn = await createKmsKey(moto.endpoint);
    progress('compiling the server to JavaScript');
    const compiled = await compileForChildren(
      path.resolve(__dirname, '..'),
      path.join(temp.path, 'build'),
    );
    const encryptionKeys = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    const envOf: Record<Provider, NodeJS.ProcessEnv> = {
      local: { ENCRYPTION_KEYS: encryptionKeys },
      'aws-kms': {
        ENCRYPTION_KEYS: encryptionKeys,
        KEY_PROVIDER: 'aws-kms',
        AWS_KMS_KEY_ID: keyArn,
        AWS_KMS_REGION: REGION,
        AWS_KMS_ENDPOINT: moto.endpoint,
        AWS_EC2_METADATA_DISABLED: 'true',
        ...MOTO_CREDENTIALS,
      },
    };
    const servers = {} as Record<Provider, { server: OurServer; fileId: string }>;
    for (const provider of PROVIDERS) {
      const server = await startOurServer(
        provider,
        path.join(temp.path, provider),
        uniqueTestDatabaseUrl(mongoServer),
        { MAX_FILE_SIZE: `${options.sizeMib + 1}MB`, ...envOf[provider] },
        compiled,
        [],
      );
      cleanups.push(() => server.child.stop());
      progress(`${provider}: uploading ${options.sizeMib} MiB`);
      servers[provider] = { server, fileId: await uploadFile(server, size) };
    }
    const load = os.loadavg()[0];
    const results: Record<Provider, Samples> = {
      local: { mbps: [], rangesPerSecond: [] },
      'aws-kms': { mbps: [], rangesPerSecond: [] },
    };
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? PROVIDERS : [...PROVIDERS].reverse();
      for (const provider of order) {
        progress(`round ${round + 1}: ${provider}`);
        const { server, fileId } = servers[provider];
        await measure(server, fileId, size, options, results[provider]);
      }
    }
    for (const { server, fileId } of Object.values(servers)) {
      await simpleRequest('DELETE', `${server.baseUrl}/api/v1/files/${fileId}`, 204, {
        authorization: server.authorization,
      });
    }
    const ratio = (pick: (samples: Samples) => number[]) =>
      median(pick(results['aws-kms'])) / median(pick(results.local));
    const downloadRatio = ratio((samples) => samples.mbps);
    const rangeRatio = ratio((samples) => samples.rangesPerSecond);
    console.log(
      `node ${process.version}, ${os.cpus().length} cores, load ${load.toFixed(2)}, ${options.sizeMib} MiB, ${options.ranges} ranges of 64 KiB, ${options.rounds} rounds, KMS: moto_server on loopback`,
    );
    console.log(
      formatTable(
        ['key provider', 'download MB/s (median)', 'each round', 'ranges/s (median)', 'each round'],
        PROVIDERS.map((provider) => [
          provider,
          median(results[provider].mbps).toFixed(1),
          results[provider].mbps.map((v) => v.toFixed(1)).join(', '),
          median(results[provider].rangesPerSecond).toFixed(1),
          results[provider].rangesPerSecond.map((v) => v.toFixed(1)).join(', '),
        ]),
        ['left', 'right', 'right', 'right', 'right'],
      ),
    );
    const met = (value: number) => (value >= TARGET_RATIO ? 'MET' : 'MISSED');
    console.log(
      `aws-kms / local: download ${downloadRatio.toFixed(2)} (target ≥ ${TARGET_RATIO}: ${met(downloadRatio)}); range requests ${rangeRatio.toFixed(2)} (target ≥ ${TARGET_RATIO}: ${met(rangeRatio)})`,
    );
  } finally {
    await cleanups.run();
  }
}

runBenchmark(main, USAGE);
