/**
 * Soak benchmark (not a test): `npm run bench:soak [-- --duration 600]`.
 *
 * Many people at once doing everything for a long time: a mixed workload of ours
 * (bench/support/soak-workload.ts: sign in, list, upload 1–10 MiB, download whole and by range
 * with SHA-256 checks, create and use links, share) from 64 concurrent clients, first against
 * one instance, then against two behind nginx with Redis (test/support/scaled-deployment.ts,
 * production settings, compiled). Meanwhile it samples each instance's RSS and open file
 * descriptors from /proc/<pid>, and its database pool and event-loop lag from /metrics. One
 * table: per operation count, errors, p50/p99; hash mismatches; the slopes; each with its goal
 * and MET/MISSED. See README.md.
 */
import { appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { type Instance, startScaledDeployment } from '../test/support/scaled-deployment';
import { Cleanups } from './support/cleanups';
import { startBenchWorkspace } from './support/bench-database';
import { scrapeMetrics } from './support/metrics-scrape';
import { floors, type ProcSampler, sampleProc, slope } from './support/proc-sampler';
import { runBenchmark, UsageError } from './support/run-benchmark';
import { OPERATIONS, SoakWorkload } from './support/soak-workload';
import { formatTable, ms, summarize } from './stats';

const MiB = 1024 * 1024;
const PROC_INTERVAL_MS = 500;
const METRICS_INTERVAL_MS = 5_000;
const RSS_SLOPE_GOAL = 10; // MiB/min
/** The slopes are fitted through the lowest sample of each such window (see `floors`). */
const FLOOR_WINDOW_MS = 10_000;
const FD_SLOPE_GOAL = 10; // fds/min
const POOL_GROWTH_GOAL = 2; // connections more at the end than after the warm-up
const LAG_GOAL_FACTOR = 2;
const LAG_GOAL_SLACK_MS = 20;
const IDLE_SETTLE_MS = 3_000;

const POOL_OPEN = 'mongodb_pool_connections{state="open"}';
const POOL_IN_USE = 'mongodb_pool_connections{state="in_use"}';
const LAG_P99 = 'nodejs_eventloop_lag_p99_seconds';
const AUDIT_CONFLICTS = 'audit_append_conflicts_total';
const HEAP_USED = 'nodejs_heap_size_used_bytes';
const EXTERNAL = 'nodejs_external_memory_bytes';
const NEW_SPACE = 'nodejs_heap_space_size_total_bytes{space="new"}';
const SERIES = [POOL_OPEN, POOL_IN_USE, LAG_P99, AUDIT_CONFLICTS, HEAP_USED, NEW_SPACE, EXTERNAL];

const TOPOLOGIES = ['one', 'two'] as const;
type Topology = (typeof TOPOLOGIES)[number];

const USAGE = `usage: npm run bench:soak [-- --duration S] [-- --clients N] [-- --topology one|two|both]
  --duration S   seconds of load measured per topology (default 60; 600 for the 10-minute soak)
  --warmup S     seconds of load before, left out of the slopes (default 60)
  --clients N    concurrent simulated people (default 64)
  --topology T   one instance, two behind nginx, or both (default both)
  --samples F    also append every sample to the CSV file F (topology, instance, seconds, RSS MiB,
                 fds, or a /metrics series and its value), to plot a long run
  MONGO_URL      use this MongoDB server (fresh strongroom-test-* databases on it, dropped after)
                 instead of starting the embedded database`;

interface Options {
  duration: number;
  /** Load before the measured window: growth while pools, caches and compiled code settle is no leak. */
  warmup: number;
  clients: number;
  topologies: Topology[];
  samplesCsv?: string;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { duration: 60, warmup: 60, clients: 64, topologies: [...TOPOLOGIES] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const raw = inline ?? argv[++i];
    if (flag === '--samples') {
      if (!raw) throw new UsageError('--samples needs a file name');
      options.samplesCsv = path.resolve(raw);
      continue;
    }
    if (flag === '--topology') {
      if (raw !== 'one' && raw !== 'two' && raw !== 'both') {
        throw new UsageError('--topology is one, two or both');
      }
      options.topologies = raw === 'both' ? [...TOPOLOGIES] : [raw];
      continue;
    }
    // Sharing needs a second person; a slope needs some time.
    const ranges = { '--duration': [10, 7_200], '--warmup': [0, 3_600], '--clients': [2, 1_000] };
    if (!(flag in ranges)) throw new UsageError(`unknown argument '${argv[i]}'`);
    const [min, max] = ranges[flag as keyof typeof ranges];
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new UsageError(`${flag} needs a whole number from ${min} to ${max}`);
    }
    options[flag.slice(2) as 'duration' | 'warmup' | 'clients'] = value;
  }
  return options;
}

function progress(message: string): void {
  console.error(`[bench:soak] ${message}`);
}

interface Scrape {
  atMs: number;
  values: Map<string, number | undefined>;
}

interface Watched {
  label: string;
  instance: Instance;
  proc: ProcSampler;
  scrapes: Scrape[];
  idle?: Map<string, number | undefined>;
}

type Row = string[];

const verdict = (met: boolean) => (met ? 'MET' : 'MISSED');
const fixed = (value: number | undefined, digits = 1) =>
  value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);

async function soak(
  topology: Topology,
  options: Options,
  mongoServerUrl: string,
  cleanups: Cleanups,
): Promise<{ rows: Row[]; missed: string[]; errorSamples: string[] }> {
  const metricsToken = randomBytes(24).toString('hex');
  const instances = topology === 'one' ? 1 : 2;
  progress(`${topology}: compiling and starting ${instances} instance(s), Redis, nginx`);
  const deployment = await startScaledDeployment({
    instances,
    mongoServerUrl,
    env: {
      // Production's logging: one line per request.
      LOG_LEVEL: 'info',
      METRICS_TOKEN: metricsToken,
      // Raised for the benchmark, as bench:requests does: 64 people sign in and call far more
      // often than a person would, and all from loopback.
      RATE_LIMIT_MAX: '1000000',
      AUTH_RATE_LIMIT_MAX: '1000000',
      ACCESS_TOKEN_TTL: '24h',
    },
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await deployment.stop();
  };
  cleanups.push(stop);
  // One instance is spoken to directly; two through nginx, which balances them round-robin.
  const baseUrl =
    topology === 'one' ? `http://${deployment.instances[0].address}` : deployment.baseUrl;

  const workload = new SoakWorkload(baseUrl, options.clients);
  try {
    progress(`${topology}: registering and signing in ${options.clients} people`);
    await workload.signUp();

    const watched: Watched[] = deployment.instances.map((instance, index) => ({
      label: instances === 1 ? 'instance' : `instance ${index + 1}`,
      instance,
      proc: sampleProc(instance.pid, PROC_INTERVAL_MS),
      scrapes: [],
    }));
    const started = performance.now();
    const scrapeAll = async () => {
      await Promise.all(
        watched.map(async (w) => {
          const values = await scrapeMetrics(`http://${w.instance.address}`, metricsToken, SERIES);
          w.scrapes.push({ atMs: performance.now() - started, values });
        }),
      ).catch((error: Error) => progress(`scraping /metrics failed: ${error.message}`));
    };
    // The lag histogram restarts at every scrape: this one empties it, so each later scrape
    // covers the 5 s since the one before.
    await scrapeAll();
    const scraper = setInterval(() => void scrapeAll(), METRICS_INTERVAL_MS);
    const reporter = setInterval(() => {
      const done = [...workload.stats.values()].reduce((n, s) => n + s.durationsMs.length, 0);
      const errors = [...workload.stats.values()].reduce((n, s) => n + s.errors, 0);
      const elapsed = ((performance.now() - started) / 1000).toFixed(0);
      progress(`${topology}: ${elapsed} s, ${done} operations, ${errors} errors`);
    }, 10_000);

    progress(
      `${topology}: ${options.clients} clients for ${options.warmup} s of warm-up, then ${options.duration} s measured`,
    );
    await workload.run(started + (options.warmup + options.duration) * 1000);
    const loadEndedMs = performance.now() - started;
    clearInterval(scraper);
    clearInterval(reporter);
    await scrapeAll();
    await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
    for (const w of watched) {
      w.proc.stop();
      if (options.samplesCsv) await writeSamples(options.samplesCsv, topology, w);
      w.idle = await scrapeMetrics(`http://${w.instance.address}`, metricsToken, SERIES).catch(
        () => undefined,
      );
    }
    return {
      ...tableRows(topology, workload, watched, loadEndedMs, options.warmup),
      errorSamples: workload.errorSamples,
    };
  } finally {
    workload.close();
    await stop();
  }
}

async function writeSamples(file: string, topology: Topology, w: Watched): Promise<void> {
  const lines = [
    ...w.proc.samples.map(
      (s) =>
        `${topology},${w.label},${(s.atMs / 1000).toFixed(1)},rss_mib,${(s.rssBytes / MiB).toFixed(1)}\n` +
        `${topology},${w.label},${(s.atMs / 1000).toFixed(1)},fds,${s.fds}`,
    ),
    ...w.scrapes.flatMap((scrape) =>
      [...scrape.values].map(
        ([series, value]) =>
          `${topology},${w.label},${(scrape.atMs / 1000).toFixed(1)},"${series.replaceAll('"', "'")}",${value ?? ''}`,
      ),
    ),
  ];
  await appendFile(file, `${lines.join('\n')}\n`);
}

function tableRows(
  topology: Topology,
  workload: SoakWorkload,
  watched: Watched[],
  loadEndedMs: number,
  warmup: number,
): { rows: Row[]; missed: string[] } {
  const rows: Row[] = [];
  const missed: string[] = [];
  const add = (what: string, cells: string[], met: boolean) => {
    rows.push([`${topology}: ${what}`, ...cells, verdict(met)]);
    if (!met) missed.push(`${topology}: ${what}`);
  };

  let total = 0;
  for (const op of OPERATIONS) {
    const stats = workload.stats.get(op)!;
    total += stats.durationsMs.length;
    const summary = stats.durationsMs.length ? summarize(stats.durationsMs) : undefined;
    add(
      op,
      [
        String(stats.durationsMs.length + stats.errors),
        String(stats.errors),
        summary ? ms(summary.p50) : 'n/a',
        summary ? ms(summary.p99) : 'n/a',
        '',
        '0 errors',
      ],
      stats.errors === 0,
    );
  }
  add(
    'hash and size mismatches',
    [String(total), '', '', '', String(workload.mismatches), '0'],
    workload.mismatches === 0,
  );

  const warmupMs = warmup * 1000;
  for (const w of watched) {
    const steady = w.proc.samples.filter((s) => s.atMs >= warmupMs && s.atMs <= loadEndedMs);
    const first = steady[0];
    const last = steady[steady.length - 1];
    const perMinute = (y: (s: (typeof steady)[number]) => number) =>
      steady.map((s) => ({ x: s.atMs / 60_000, y: y(s) }));
    // Fitted through each window's lowest sample: the buffers of the transfers in flight swing
    // RSS by ±100 MiB within seconds, and a fit through every sample followed those swings.
    const rssPoints = perMinute((s) => s.rssBytes / MiB);
    const fdPoints = perMinute((s) => s.fds);
    const rssFloors = floors(rssPoints, FLOOR_WINDOW_MS / 60_000);
    const rssSlope = slope(rssFloors);
    const fdSlope = slope(floors(fdPoints, FLOOR_WINDOW_MS / 60_000));
    const enoughWindows = rssFloors.length > 1;
    const signed = (value: number) => `${value >= 0 ? '+' : ''}${fixed(value)}`;
    add(
      `${w.label} RSS`,
      [
        '',
        '',
        '',
        '',
        `${fixed(first && first.rssBytes / MiB)} → ${fixed(last && last.rssBytes / MiB)} MiB, floors ${signed(rssSlope)} MiB/min (every sample ${signed(slope(rssPoints))})`,
        `≤ ${RSS_SLOPE_GOAL} MiB/min`,
      ],
      enoughWindows && rssSlope <= RSS_SLOPE_GOAL,
    );
    add(
      `${w.label} open fds`,
      [
        '',
        '',
        '',
        '',
        `${first?.fds ?? 'n/a'} → ${last?.fds ?? 'n/a'}, floors ${signed(fdSlope)} fds/min (every sample ${signed(slope(fdPoints))})`,
        `≤ ${FD_SLOPE_GOAL} fds/min`,
      ],
      enoughWindows && fdSlope <= FD_SLOPE_GOAL,
    );

    const loaded = w.scrapes.filter((s) => s.atMs >= warmupMs && s.atMs <= loadEndedMs + 1_000);
    const start = loaded[0]?.values;
    const end = loaded[loaded.length - 1]?.values;
    const poolStart = start?.get(POOL_OPEN);
    const poolEnd = end?.get(POOL_OPEN);
    const idleInUse = w.idle?.get(POOL_IN_USE);
    add(
      `${w.label} DB pool`,
      [
        '',
        '',
        '',
        '',
        `open ${fixed(poolStart, 0)} → ${fixed(poolEnd, 0)}; in use when idle ${fixed(idleInUse, 0)}`,
        `≤ +${POOL_GROWTH_GOAL}; 0 in use idle`,
      ],
      poolStart !== undefined &&
        poolEnd !== undefined &&
        poolEnd <= poolStart + POOL_GROWTH_GOAL &&
        idleInUse === 0,
    );
    const lagStart = (start?.get(LAG_P99) ?? NaN) * 1000;
    const lagEnd = (end?.get(LAG_P99) ?? NaN) * 1000;
    add(
      `${w.label} event-loop lag p99`,
      [
        '',
        '',
        '',
        '',
        `${fixed(lagStart)} → ${fixed(lagEnd)} ms`,
        `≤ ${LAG_GOAL_FACTOR}× start + ${LAG_GOAL_SLACK_MS} ms`,
      ],
      lagEnd <= LAG_GOAL_FACTOR * lagStart + LAG_GOAL_SLACK_MS,
    );
    // No goal: where RSS lives. Objects kept alive grow the V8 heap used; V8's young generation
    // grows in steps up to 2 × 64 MiB under load and keeps its pages; buffers of the transfers in
    // flight are external memory.
    const mib = (scrape: Map<string, number | undefined> | undefined, series: string) =>
      fixed((scrape?.get(series) ?? NaN) / MiB);
    const memoryRow = (what: string, series: string) =>
      rows.push([
        `${topology}: ${w.label} ${what}`,
        '',
        '',
        '',
        '',
        `${mib(start, series)} → ${mib(end, series)} MiB`,
        'information',
        '',
      ]);
    memoryRow('V8 heap used', HEAP_USED);
    memoryRow('V8 young generation', NEW_SPACE);
    memoryRow('external (buffers)', EXTERNAL);
    // No goal: retries of an audit append that another instance's append beat to the same
    // sequence number; they explain latency of the operations that write an audit event.
    rows.push([
      `${topology}: ${w.label} audit append conflicts`,
      '',
      '',
      '',
      '',
      fixed(w.idle?.get(AUDIT_CONFLICTS), 0),
      'information',
      '',
    ]);
  }
  return { rows, missed };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const cleanups = new Cleanups();
  try {
    const loadAtStart = os.loadavg();
    const { url: mongoServer, label: databaseLabel } = await startBenchWorkspace(
      'bench-soak',
      cleanups,
      progress,
    );

    const rows: Row[] = [];
    const missed: string[] = [];
    const samples: string[] = [];
    for (const topology of options.topologies) {
      const result = await soak(topology, options, mongoServer, cleanups);
      rows.push(...result.rows);
      missed.push(...result.missed);
      samples.push(...result.errorSamples.map((sample) => `${topology}: ${sample}`));
    }

    console.log(
      `node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}`,
    );
    console.log(
      `load average at start: ${loadAtStart.map((v) => v.toFixed(2)).join(' ')}, at end: ${os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')}`,
    );
    console.log(`database: ${databaseLabel}`);
    console.log(
      `${options.clients} clients, ${options.duration} s per topology; one: one instance, spoken to directly; two: two instances behind nginx; both with Redis, ENVIRONMENT=production, LOG_LEVEL=info, rate limits raised to 1 000 000; operations counted from the start, RSS, fds, pool and lag over the ${options.duration} s after a ${options.warmup}-s warm-up\n`,
    );
    console.log(
      formatTable(['row', 'count', 'errors', 'p50 ms', 'p99 ms', 'measured', 'goal', ''], rows, [
        'left',
        'right',
        'right',
        'right',
        'right',
        'left',
        'left',
        'left',
      ]),
    );
    if (samples.length) console.log(`\nfirst errors and mismatches:\n  ${samples.join('\n  ')}`);
    console.log(missed.length ? `\nGOALS MISSED: ${missed.join(', ')}` : '\nGOALS MET');
  } finally {
    await cleanups.run();
  }
}

runBenchmark(main, USAGE);
