/**
 * A bundle's streaming ZIP against plain downloads of the same bytes, in the same run and on the
 * same server: `--files` files (4 by default) of `--size-mib` MiB in all (1 GiB) go into one
 * bundle behind one link; each round downloads every file through the link one after another
 * (the plain baseline) and the whole bundle as one ZIP, in an order that alternates from round to
 * round. Prints the MB/s of both, their ratio (target ≥ 0.8) and the server's RSS growth during
 * the ZIP (target < 64 MiB). With `--verify` it also saves one ZIP and opens it with Python's
 * zipfile, checking every entry's SHA-256: with `--files 1 --size-mib 4200` that is the ZIP64 case
 * (an entry over 4 GiB), which the test suite does not run. Our server is the real application,
 * compiled, in a child process (bench/support/our-server.ts). With `--profile` a second instance
 * (same database and files) serves one more ZIP under `node --cpu-prof`, and the benchmark prints
 * where that instance's CPU time went.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { type CompiledTree, compileForChildren, uniqueTestDatabaseUrl } from '@strongroom/testing';
import { inspectZip } from '../test/support/zip';
import { createBundleLink, downloadToFile, uploadPatternFile } from './support/bundle-api';
import { Cleanups } from './support/cleanups';
import { startBenchWorkspace } from './support/bench-database';
import { formatProfileSummary, newestCpuProfile, summarizeCpuProfile } from './support/cpu-profile';
import { download } from './support/http-transfer';
import { startOurServer } from './support/our-server';
import { patternSha256 } from './support/pattern-stream';
import { sampleRss } from './support/rss-sampler';
import { runBenchmark, UsageError } from './support/run-benchmark';
import { formatTable, median } from './stats';

const MIB = 1024 * 1024;
const USAGE =
  'usage: npm run bench:zip [-- --size-mib N] [-- --files N] [-- --rounds N] [-- --verify] [-- --profile]';
const TARGET_RATIO = 0.8;
const TARGET_RSS_MIB = 64;

interface Options {
  sizeMib: number;
  files: number;
  rounds: number;
  verify: boolean;
  profile: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { sizeMib: 1024, files: 4, rounds: 3, verify: false, profile: false };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, '');
    if (name === 'verify' || name === 'profile') {
      options[name] = true;
      i -= 1;
      continue;
    }
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`bad value for ${argv[i]}`);
    if (name === 'size-mib') options.sizeMib = value;
    else if (name === 'files') options.files = value;
    else if (name === 'rounds') options.rounds = value;
    else throw new UsageError(`unknown option ${argv[i]}`);
  }
  return options;
}

const progress = (message: string) => process.stderr.write(`${message}\n`);
const mbps = (bytes: number, seconds: number) => bytes / 1e6 / seconds;

/**
 * One more ZIP from a second instance of ours under `--cpu-prof`, on the same database and files
 * (the link is in the database, the blobs in `dataDir`); where its CPU time went, as two tables.
 * The profiled instance is not the measured one: profiling slows it.
 */
async function profileZip(
  workDir: string,
  mongoUrl: string,
  dataDir: string,
  env: NodeJS.ProcessEnv,
  compiled: CompiledTree,
  archivePath: string,
): Promise<string> {
  const profileDir = path.join(workDir, 'cpu-profile');
  const server = await startOurServer(
    'zip-profiled',
    workDir,
    mongoUrl,
    { ...env, DATA_DIR: dataDir },
    compiled,
    ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
  );
  try {
    await download(`${server.baseUrl}${archivePath}`, {}, false);
  } finally {
    await server.child.stop();
  }
  const file = await newestCpuProfile(profileDir);
  if (!file) return 'no CPU profile was written';
  return formatProfileSummary(
    await summarizeCpuProfile(file),
    'where (server start-up and one ZIP)',
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const cleanups = new Cleanups();
  try {
    const { temp, url: mongoServer } = await startBenchWorkspace('bench-zip', cleanups, progress);
    progress('compiling the server to JavaScript');
    const compiled = await compileForChildren(
      path.resolve(__dirname, '..'),
      path.join(temp.path, 'build'),
    );
    const fileSize = Math.floor((options.sizeMib * MIB) / options.files);
    // One secret for both instances: the profiled one must recognise the link's token.
    const serverEnv = {
      MAX_FILE_SIZE: `${Math.ceil(fileSize / 1e6) + 1}MB`,
      SECRET_KEY: randomBytes(32).toString('hex'),
    };
    const serverDir = path.join(temp.path, 'server');
    const databaseUrl = uniqueTestDatabaseUrl(mongoServer);
    const server = await startOurServer('zip', serverDir, databaseUrl, serverEnv, compiled, []);
    cleanups.push(() => server.child.stop());
    const { baseUrl, authorization } = server;

    const files: { id: string; streamId: number; name: string }[] = [];
    for (let streamId = 1; streamId <= options.files; streamId++) {
      const name = `part-${streamId}.bin`;
      progress(`uploading ${name} (${(fileSize / MIB).toFixed(0)} MiB)`);
      files.push({
        id: await uploadPatternFile(baseUrl, authorization, fileSize, streamId, name),
        streamId,
        name,
      });
    }
    const token = await createBundleLink(
      baseUrl,
      authorization,
      'bench',
      files.map((file) => file.id),
    );
    const linkUrl = `${baseUrl}/api/v1/public/links/${token}`;
    const load = os.loadavg()[0];

    const plain: number[] = [];
    const zip: number[] = [];
    const rssMib: number[] = [];
    const runPlain = async () => {
      let bytes = 0;
      let seconds = 0;
      for (const file of files) {
        const outcome = await download(`${linkUrl}/files/${file.id}/content`, {}, false);
        bytes += outcome.bytes;
        seconds += outcome.seconds;
      }
      plain.push(mbps(bytes, seconds));
    };
    const runZip = async () => {
      const rss = sampleRss(server.pid);
      const outcome = await download(`${linkUrl}/archive`, {}, false);
      rssMib.push(rss.stop().growth / MIB);
      zip.push(mbps(outcome.bytes, outcome.seconds));
    };
    for (let round = 1; round <= options.rounds; round++) {
      progress(`round ${round} of ${options.rounds}`);
      const order = round % 2 === 1 ? [runPlain, runZip] : [runZip, runPlain];
      for (const run of order) await run();
    }

    let verified = 'not checked (--verify)';
    if (options.verify) {
      progress('saving one ZIP and opening it with Python’s zipfile');
      const zipFile = path.join(temp.path, 'bundle.zip');
      await downloadToFile(`${linkUrl}/archive`, zipFile);
      const inspection = await inspectZip(zipFile);
      const intact =
        inspection.firstBadEntry === null &&
        inspection.entries.length === files.length &&
        inspection.entries.every(
          (entry, index) =>
            entry.name === files[index].name &&
            entry.size === fileSize &&
            entry.sha256 === patternSha256(fileSize, files[index].streamId),
        );
      verified = intact ? 'every entry intact (testzip, SHA-256)' : 'BROKEN';
      if (!intact) process.exitCode = 1;
    }

    let profile: string | undefined;
    if (options.profile) {
      // The measured instance keeps running: stopping it would drop the database.
      progress('profiling a second instance of ours serving one more ZIP (--cpu-prof)');
      profile = await profileZip(
        path.join(temp.path, 'profiled'),
        databaseUrl,
        serverDir,
        serverEnv,
        compiled,
        `/api/v1/public/links/${token}/archive`,
      );
    }

    const ratio = median(zip) / median(plain);
    const rss = Math.max(...rssMib);
    console.log(
      `Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, load ${load.toFixed(2)}; ` +
        `${options.files} files, ${options.sizeMib} MiB in all, ${options.rounds} rounds`,
    );
    console.log(
      formatTable(
        ['download', 'MB/s (median)', 'per round', 'server RSS growth'],
        [
          [
            'plain, file by file',
            median(plain).toFixed(1),
            plain.map((v) => v.toFixed(1)).join(', '),
            '',
          ],
          [
            'ZIP of the bundle',
            median(zip).toFixed(1),
            zip.map((v) => v.toFixed(1)).join(', '),
            `${rss.toFixed(1)} MiB`,
          ],
        ],
      ),
    );
    console.log(
      `ZIP / plain: ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'MET' : 'MISSED'})`,
    );
    console.log(
      `RSS growth: ${rss.toFixed(1)} MiB (target < ${TARGET_RSS_MIB} MiB: ${rss < TARGET_RSS_MIB ? 'MET' : 'MISSED'})`,
    );
    console.log(`archive: ${verified}`);
    if (profile) console.log(`\n${profile}`);
  } finally {
    await cleanups.run();
  }
}

runBenchmark(main, USAGE);
