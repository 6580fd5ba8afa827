/**
 * Dataset benchmark (not a test): `npm run bench:dataset [-- --quick]`.
 *
 * Cost as data grows: seeds users, files, links and audit events straight into the database in
 * bulk, then grows one heavy user's files (and the files shared with them) through the tiers
 * (1k, 10k, 100k by default) and at each tier times, one request at a time over HTTP, the
 * routes a person uses interactively: the file list in each sort, search by name, scope=shared
 * (direct shares, a group's shares, bundles shared with the group), the admin user list, the
 * owner's access ledger, audit queries by type, actor, file and time. Goal per route:
 * p50 ≤ 20 ms at every tier, and p50 growing no more than log(n) from the first tier to the last.
 * Afterwards it asks the database to `explain` each query shape. See README.md.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import mongoose, { Types } from 'mongoose';
import { auditEventsQuery, fileLedgerQuery } from '@strongroom/audit';
import { MAX_BUNDLE_FILES } from '@strongroom/bundles';
import { fileGrantFields, fileListQuery, grantPageQuery } from '@strongroom/files';
import { compileForChildren, uniqueTestDatabaseUrl } from '@strongroom/testing';
import { userSearchQuery } from '@strongroom/users';
import { Cleanups } from './support/cleanups';
import { startBenchWorkspace } from './support/bench-database';
import {
  eventMaker,
  GENESIS_HASH,
  insertInBatches,
  type SeedRate,
  seededFile,
  seededLink,
  seededUser,
} from './support/dataset-seed';
import { startOurServer } from './support/our-server';
import { runBenchmark, UsageError } from './support/run-benchmark';
import { signIn } from './support/strongroom-api';
import { formatTable, ms, ratio, summarize } from './stats';

const P50_GOAL_MS = 20;
const PAGE = 50;
const ADMIN_EMAIL = 'bench-dataset-admin@example.com';
const ADMIN_PASSWORD = 'copper kettle orbit lantern 42';
const DAY_MS = 86_400_000;
const HISTORY_DAYS = 365;
const SLOW_SAMPLES = 3;

const USAGE = `usage: npm run bench:dataset [-- --quick] [-- --users N] [-- --files N] [-- --links N]
                                 [-- --events N] [-- --tiers 1000,10000,100000] [-- --samples N]
  --users N     seeded accounts (default 10000; --quick: 1000)
  --files N     seeded files spread over the accounts (default 100000; --quick: 5000)
  --links N     seeded share links (default 100000; --quick: 5000)
  --events N    seeded audit events (default 1000000; --quick: 5000)
  --tiers LIST  the heavy user's file counts, measured in turn (default 1000,10000,100000;
                --quick: 100,1000,5000); as many files are shared with them (half directly, half
                through a group), up to --files, and the half shared directly is also in
                bundles shared with the group
  --samples N   timed requests per route and tier (default 40; --quick: 15)
  --batch N     documents per insertMany (default 5000)
  --budget-ms N a route whose first (untimed) request takes longer than this at a tier is
                timed only 3 times there, so a database that scans cannot stall the run
                (default 2000)
  --timeout-ms N a request still unanswered after this counts as this long (default 60000)
  --quick       the small sizes above: what the embedded database gets through in minutes
  MONGO_URL     use this MongoDB server (a fresh strongroom-test-* database on it, dropped after)
                instead of starting the embedded database`;

interface Options {
  users: number;
  files: number;
  links: number;
  events: number;
  tiers: number[];
  samples: number;
  batch: number;
  budgetMs: number;
  timeoutMs: number;
}

function parseOptions(argv: readonly string[]): Options {
  const quick = argv.includes('--quick');
  const options: Options = quick
    ? {
        users: 1000,
        files: 5000,
        links: 5000,
        events: 5000,
        tiers: [100, 1000, 5000],
        samples: 15,
        batch: 5000,
        budgetMs: 2000,
        timeoutMs: 60_000,
      }
    : {
        users: 10_000,
        files: 100_000,
        links: 100_000,
        events: 1_000_000,
        tiers: [1000, 10_000, 100_000],
        samples: 40,
        batch: 5000,
        budgetMs: 2000,
        timeoutMs: 60_000,
      };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (flag === '--quick') continue;
    const raw = inline ?? argv[++i];
    if (flag === '--tiers') {
      const tiers = (raw ?? '').split(',').map(Number);
      if (!tiers.length || tiers.some((n) => !Number.isInteger(n) || n < 1)) {
        throw new UsageError('--tiers needs a comma-separated list of whole numbers');
      }
      options.tiers = [...tiers].sort((a, b) => a - b);
      continue;
    }
    const key = flag
      .replace(/^--/, '')
      .replace('budget-ms', 'budgetMs')
      .replace('timeout-ms', 'timeoutMs') as keyof Options;
    if (
      !['users', 'files', 'links', 'events', 'samples', 'batch', 'budgetMs', 'timeoutMs'].includes(
        key,
      )
    ) {
      throw new UsageError(`unknown argument '${argv[i]}'`);
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) {
      throw new UsageError(`${flag} needs a whole number of at least 1`);
    }
    (options as unknown as Record<string, number>)[key] = value;
  }
  return options;
}

function progress(message: string): void {
  console.error(`[bench:dataset] ${message}`);
}

interface Route {
  name: string;
  path: string;
  as: 'owner' | 'admin';
}

function routes(hotFileId: string, actorId: string, windowFrom: Date, windowTo: Date): Route[] {
  const files = `/api/v1/files?limit=${PAGE}`;
  const window = `from=${windowFrom.toISOString()}&to=${windowTo.toISOString()}`;
  return [
    { name: 'files: list (default -uploadedAt)', path: files, as: 'owner' },
    { name: 'files: sort=uploadedAt', path: `${files}&sort=uploadedAt`, as: 'owner' },
    { name: 'files: sort=name', path: `${files}&sort=name`, as: 'owner' },
    { name: 'files: sort=-name', path: `${files}&sort=-name`, as: 'owner' },
    { name: 'files: sort=-size', path: `${files}&sort=-size`, as: 'owner' },
    { name: 'files: search q=invoice', path: `${files}&q=invoice`, as: 'owner' },
    { name: 'files: search q=rare (1 hit)', path: `${files}&q=final-scan-7`, as: 'owner' },
    { name: 'files: scope=shared', path: `${files}&scope=shared`, as: 'owner' },
    { name: 'users: admin list', path: `/api/v1/users?limit=${PAGE}`, as: 'admin' },
    {
      name: 'users: admin search q=user-77',
      path: `/api/v1/users?limit=${PAGE}&q=user-77`,
      as: 'admin',
    },
    {
      name: 'files/:id/activity (ledger)',
      path: `/api/v1/files/${hotFileId}/activity?limit=${PAGE}`,
      as: 'owner',
    },
    {
      name: 'audit: type=login_failed',
      path: `/api/v1/audit-events?limit=${PAGE}&type=login_failed`,
      as: 'admin',
    },
    {
      name: 'audit: one day (from, to)',
      path: `/api/v1/audit-events?limit=${PAGE}&${window}`,
      as: 'admin',
    },
    {
      name: 'audit: type + one day',
      path: `/api/v1/audit-events?limit=${PAGE}&type=file_uploaded&${window}`,
      as: 'admin',
    },
    {
      name: 'audit: actor + one day',
      path: `/api/v1/audit-events?limit=${PAGE}&actor=${actorId}&${window}`,
      as: 'admin',
    },
    {
      name: 'audit: file + one day',
      path: `/api/v1/audit-events?limit=${PAGE}&fileId=${hotFileId}&${window}`,
      as: 'admin',
    },
  ];
}

/** A request's time in ms; one that fails or outlasts `timeoutMs` counts as `timeoutMs`, noted. */
async function timeRequest(
  url: string,
  authorization: string,
  timeoutMs: number,
  failures: Set<string>,
  name: string,
): Promise<number> {
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
  } catch (error) {
    failures.add(
      `${name} (${(error as Error).name === 'TimeoutError' ? `over ${timeoutMs} ms` : (error as Error).message})`,
    );
    return timeoutMs;
  }
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return elapsed;
}

/** What the database says of a query's plan: MongoDB's stages, or FerretDB's pushdown flags. */
function planSummary(explained: Record<string, unknown>): string {
  const planner = explained.queryPlanner as Record<string, unknown> | undefined;
  const pushdown = ['filterPushdown', 'sortPushdown', 'limitPushdown']
    .filter((key) => key in explained)
    .map((key) => `${key.replace('Pushdown', '')}:${explained[key] ? 'yes' : 'no'}`);
  if (pushdown.length) {
    const sql = JSON.stringify(planner ?? {}).match(/(SEARCH|SCAN)[^"]*/g) ?? [];
    return `FerretDB pushdown ${pushdown.join(' ')}; SQLite ${[...new Set(sql)].join(', ') || '?'}`;
  }
  const stages = JSON.stringify(planner?.winningPlan ?? {}).match(/"stage":"(\w+)"/g) ?? [];
  const indexes = JSON.stringify(planner?.winningPlan ?? {}).match(/"indexName":"([^"]+)"/g) ?? [];
  return `${stages.map((s) => s.split(':')[1].replace(/"/g, '')).join(' < ')} ${indexes
    .map((s) => s.split(':')[1].replace(/"/g, ''))
    .join(', ')}`;
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
    } = await startBenchWorkspace('bench-dataset', cleanups, progress);
    const mongoUrl = uniqueTestDatabaseUrl(mongoServer);

    progress('compiling the server to JavaScript');
    const compiled = await compileForChildren(repoRoot, path.join(temp.path, 'build'));
    progress('starting our server');
    const server = await startOurServer(
      'dataset',
      path.join(temp.path, 'ours'),
      mongoUrl,
      { ADMIN_EMAIL, ADMIN_PASSWORD, SECRET_KEY: randomBytes(32).toString('hex') },
      compiled,
      [],
    );
    cleanups.push(() => server.child.stop());
    const owner = server.authorization;
    const admin = await signIn(server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const me = (await (
      await fetch(`${server.baseUrl}/api/v1/users/me`, { headers: { authorization: owner } })
    ).json()) as { id: string };
    const heavyId = new Types.ObjectId(me.id);

    const client = await mongoose.mongo.MongoClient.connect(mongoUrl);
    cleanups.push(() => client.close());
    const db = client.db();
    const heavy = await db.collection('users').findOne({ _id: heavyId });
    if (!heavy) throw new Error('the heavy user is not in the database');

    const rates: SeedRate[] = [];
    const now = Date.now();
    const since = new Date(now - HISTORY_DAYS * DAY_MS);
    const spread = (i: number, count: number) =>
      new Date(since.getTime() + Math.floor(((now - since.getTime()) * i) / count));
    const seed = async (
      what: string,
      count: number,
      make: (i: number) => Record<string, unknown>,
    ) => {
      let reported = 0;
      const rate = await insertInBatches(db, what, count, options.batch, make, (done) => {
        if (done - reported >= count / 5 || done === count) {
          reported = done;
          progress(`  ${what}: ${done}/${count}`);
        }
      });
      rates.push(rate);
      progress(
        `  ${what}: ${count} in ${rate.seconds.toFixed(1)} s (${(count / rate.seconds).toFixed(0)}/s)`,
      );
    };

    progress(`seeding ${options.users} users`);
    const userIds: Types.ObjectId[] = [];
    await seed('users', options.users, (i) => {
      const user = seededUser(i, heavy.passwordHash as string, spread(i, options.users));
      userIds.push(user._id);
      return user;
    });
    progress(`seeding ${options.files} files`);
    const fileIds: Types.ObjectId[] = [];
    const fileOwners: Types.ObjectId[] = [];
    // What a share keeps of its file (fileGrantFields), for the shares seeded below.
    const fileFields: ReturnType<typeof fileGrantFields>[] = [];
    await seed('files', options.files, (i) => {
      const uploader = userIds[(i * 7) % userIds.length];
      const file = seededFile(i, uploader, spread(i, options.files));
      fileIds.push(file._id);
      fileOwners.push(uploader);
      fileFields.push(fileGrantFields(file as unknown as Parameters<typeof fileGrantFields>[0]));
      return file;
    });
    progress(`seeding ${options.links} links`);
    await seed('share_links', options.links, (i) =>
      seededLink(
        fileIds[i % fileIds.length],
        fileOwners[i % fileIds.length],
        spread(i, options.links),
      ),
    );

    // The heavy user's first file is the one whose access ledger is read.
    const hotFile = seededFile(0, heavyId, new Date(now - DAY_MS));
    await db.collection('files').insertOne(hotFile);
    let heavyFiles = 1;

    progress(`seeding ${options.events} audit events`);
    const head = await db.collection('audit_events').find().sort({ seq: -1 }).limit(1).next();
    await seed(
      'audit_events',
      options.events,
      eventMaker(
        {
          firstSeq: ((head?.seq as number | undefined) ?? 0) + 1,
          prevHash: (head?.hash as string | undefined) ?? GENESIS_HASH,
          since,
          until: new Date(now - 60_000),
          users: userIds,
          files: fileIds,
          hotFile: hotFile._id,
          hotEvery: 500,
        },
        options.events,
      ),
    );

    const group = {
      _id: new Types.ObjectId(),
      name: 'Bench readers',
      nameKey: 'bench readers',
      description: '',
      idpGroup: null,
      retentionDays: 0,
      createdBy: heavyId,
      createdAt: new Date(),
    };
    await db.collection('groups').insertOne(group);
    await db.collection('group_members').insertOne({
      groupId: group._id,
      userId: heavyId,
      email: heavy.email,
      addedBy: heavyId,
      addedAt: new Date(),
    });
    let sharedDirect = 0;
    let sharedGroup = 0;
    // Bundles shared with the group, as full as a bundle gets, holding the directly shared files
    // again: the list reads their items too, and folds each repeat into one file.
    const bundleOwner = userIds[1 % userIds.length];
    const bundleIds: Types.ObjectId[] = [];
    let bundled = 0;

    const windowTo = new Date(now - (HISTORY_DAYS / 2) * DAY_MS);
    const windowFrom = new Date(windowTo.getTime() - DAY_MS);
    const measured = routes(
      hotFile._id.toHexString(),
      userIds[0].toHexString(),
      windowFrom,
      windowTo,
    );
    const results = new Map<string, { p50: number; p99: number }[]>();
    const tierNotes: string[] = [];

    for (const tier of options.tiers) {
      progress(`tier ${tier}: growing the heavy user's files to ${tier}`);
      const add = tier - heavyFiles;
      if (add > 0) {
        const base = heavyFiles;
        await seed('files', add, (i) => seededFile(base + i, heavyId, spread(base + i, tier)));
        heavyFiles = tier;
      }
      const wantDirect = Math.min(Math.floor(tier / 2), Math.floor(fileIds.length / 2));
      const wantGroup = Math.min(
        tier - Math.floor(tier / 2),
        fileIds.length - Math.floor(fileIds.length / 2),
      );
      if (wantDirect > sharedDirect) {
        const from = sharedDirect;
        await seed('shares', wantDirect - from, (i) => ({
          ...fileFields[from + i],
          _id: new Types.ObjectId(),
          fileId: fileIds[from + i],
          ownerId: fileOwners[from + i],
          userId: heavyId,
          email: heavy.email,
          createdAt: new Date(),
        }));
        sharedDirect = wantDirect;
      }
      if (wantGroup > sharedGroup) {
        const from = sharedGroup;
        const offset = Math.floor(fileIds.length / 2);
        await seed('group_shares', wantGroup - from, (i) => ({
          ...fileFields[offset + from + i],
          _id: new Types.ObjectId(),
          fileId: fileIds[offset + from + i],
          ownerId: fileOwners[offset + from + i],
          groupId: group._id,
          createdAt: new Date(),
        }));
        sharedGroup = wantGroup;
      }
      if (sharedDirect > bundled) {
        const from = bundled;
        const bundlesNeeded = Math.ceil(sharedDirect / MAX_BUNDLE_FILES);
        const newBundles = Array.from({ length: bundlesNeeded - bundleIds.length }, (_, i) => ({
          _id: new Types.ObjectId(),
          ownerId: bundleOwner,
          name: `Bench bundle ${bundleIds.length + i}`,
          createdAt: new Date(),
          updatedAt: new Date(),
        }));
        if (newBundles.length > 0) {
          await db.collection('bundles').insertMany(newBundles);
          await db.collection('bundle_shares').insertMany(
            newBundles.map((bundle) => ({
              bundleId: bundle._id,
              ownerId: bundleOwner,
              userId: null,
              email: null,
              groupId: group._id,
              createdAt: new Date(),
            })),
          );
          bundleIds.push(...newBundles.map((bundle) => bundle._id));
        }
        await seed('bundle_items', sharedDirect - from, (i) => ({
          ...fileFields[from + i],
          _id: new Types.ObjectId(),
          bundleId: bundleIds[Math.floor((from + i) / MAX_BUNDLE_FILES)],
          fileId: fileIds[from + i],
          ownerId: bundleOwner,
          position: (from + i) % MAX_BUNDLE_FILES,
        }));
        bundled = sharedDirect;
      }
      tierNotes.push(
        `${tier}: ${heavyFiles} own files, ${sharedDirect} shared directly + ${sharedGroup} through a group; ${bundled} of those shared directly also in ${bundleIds.length} bundles shared with the group`,
      );

      progress(`tier ${tier}: timing ${measured.length} routes × ${options.samples} requests`);
      const samples = new Map<string, number[]>(measured.map((route) => [route.name, []]));
      const authOf = (route: Route) => (route.as === 'admin' ? admin : owner);
      const slow = new Set<string>();
      const failures = new Set<string>();
      for (const route of measured) {
        const first = await timeRequest(
          server.baseUrl + route.path,
          authOf(route),
          options.timeoutMs,
          failures,
          route.name,
        );
        if (first > options.budgetMs) slow.add(route.name);
      }
      for (let round = 0; round < options.samples; round++) {
        // Rotating the order spreads background load over every route alike.
        for (let k = 0; k < measured.length; k++) {
          const route = measured[(k + round) % measured.length];
          const taken = samples.get(route.name)!;
          if (slow.has(route.name) && taken.length >= SLOW_SAMPLES) continue;
          taken.push(
            await timeRequest(
              server.baseUrl + route.path,
              authOf(route),
              options.timeoutMs,
              failures,
              route.name,
            ),
          );
        }
      }
      if (failures.size) {
        tierNotes.push(
          `  failed or timed out (counted as ${options.timeoutMs} ms): ${[...failures].join(', ')}`,
        );
      }
      if (slow.size) {
        tierNotes.push(
          `  over the ${options.budgetMs} ms budget, timed ${SLOW_SAMPLES}×: ${[...slow].join(', ')}`,
        );
      }
      for (const route of measured) {
        const summary = summarize(samples.get(route.name)!);
        results.set(route.name, [
          ...(results.get(route.name) ?? []),
          { p50: summary.p50, p99: summary.p99 },
        ]);
        progress(`  ${route.name}: p50 ${ms(summary.p50)} ms, p99 ${ms(summary.p99)} ms`);
      }
    }

    progress('asking the database to explain each query shape');
    // The shapes as the services build them (the same builders test/unit/query-shapes.spec.ts
    // checks against the declared indexes).
    const heavyHex = heavyId.toHexString();
    const newest = { sort: 'uploadedAt', order: 'desc' } as const;
    const window = { from: windowFrom, to: windowTo };
    const shapes: [string, string, { filter: object; sort: object }][] = [
      ['files: list', 'files', fileListQuery(heavyHex, { scope: 'mine', ...newest })],
      [
        'files: sort=name',
        'files',
        fileListQuery(heavyHex, { scope: 'mine', sort: 'name', order: 'asc' }),
      ],
      [
        'files: search',
        'files',
        fileListQuery(heavyHex, { scope: 'mine', q: 'invoice', ...newest }),
      ],
      ['shared: direct shares', 'shares', grantPageQuery({ userId: heavyId }, newest)],
      [
        'shared: group shares',
        'group_shares',
        grantPageQuery({ groupId: { $in: [group._id] } }, newest),
      ],
      [
        'shared: bundle items',
        'bundle_items',
        grantPageQuery({ bundleId: { $in: bundleIds } }, newest),
      ],
      ['users: admin list', 'users', userSearchQuery()],
      ['users: admin search', 'users', userSearchQuery('user-77')],
      ['ledger', 'audit_events', fileLedgerQuery(hotFile._id.toHexString())],
      ['audit: type', 'audit_events', auditEventsQuery({ type: 'login_failed' })],
      ['audit: one day', 'audit_events', auditEventsQuery(window)],
      [
        'audit: type in the day',
        'audit_events',
        auditEventsQuery({ type: 'file_uploaded', ...window }),
      ],
      [
        'audit: actor in the day',
        'audit_events',
        auditEventsQuery({ actor: userIds[0].toHexString(), ...window }),
      ],
      [
        'audit: file in the day',
        'audit_events',
        auditEventsQuery({ fileId: hotFile._id.toHexString(), ...window }),
      ],
    ];
    const plans: string[][] = [];
    for (const [name, collection, { filter, sort }] of shapes) {
      try {
        const explained = await db.command({
          explain: { find: collection, filter, sort, limit: PAGE },
          verbosity: 'queryPlanner',
        });
        plans.push([name, planSummary(explained)]);
      } catch (error) {
        plans.push([name, `explain failed: ${(error as Error).message}`]);
      }
    }
    const indexRows: string[][] = [];
    for (const collection of [
      'files',
      'shares',
      'group_shares',
      'bundle_items',
      'users',
      'audit_events',
      'share_links',
    ]) {
      const indexes = (await db.collection(collection).listIndexes().toArray()) as {
        key: unknown;
      }[];
      indexRows.push([collection, indexes.map((index) => JSON.stringify(index.key)).join(' ')]);
    }

    const first = options.tiers[0];
    const last = options.tiers[options.tiers.length - 1];
    const allowedGrowth = options.tiers.length > 1 ? Math.log(last) / Math.log(first) : Infinity;
    const rows: string[][] = [];
    const missed: string[] = [];
    for (const route of measured) {
      const tiers = results.get(route.name)!;
      const growth = tiers[tiers.length - 1].p50 / tiers[0].p50;
      const met = tiers.every((tier) => tier.p50 <= P50_GOAL_MS) && growth <= allowedGrowth;
      if (!met) missed.push(route.name);
      rows.push([
        route.name,
        ...tiers.flatMap((tier) => [ms(tier.p50), ms(tier.p99)]),
        ratio(growth),
        met ? 'MET' : 'MISSED',
      ]);
    }

    console.log(
      `node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}`,
    );
    console.log(
      `load average at start: ${loadAtStart.map((v) => v.toFixed(2)).join(' ')}; at end: ${os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')}`,
    );
    console.log(`database: ${databaseLabel}`);
    console.log(
      `seeded: ${options.users} users, ${options.files} files, ${options.links} links, ${options.events} audit events (insertMany, unordered, ${options.batch} a batch)\n`,
    );
    const seedTotals = new Map<string, { count: number; seconds: number }>();
    for (const rate of rates) {
      const total = seedTotals.get(rate.what) ?? { count: 0, seconds: 0 };
      seedTotals.set(rate.what, {
        count: total.count + rate.count,
        seconds: total.seconds + rate.seconds,
      });
    }
    console.log(
      formatTable(
        ['collection', 'documents', 'seconds', 'docs/s'],
        [...seedTotals].map(([what, total]) => [
          what,
          String(total.count),
          total.seconds.toFixed(1),
          (total.count / total.seconds).toFixed(0),
        ]),
      ),
    );
    console.log(`\nheavy user per tier:\n${tierNotes.join('\n')}`);
    console.log(
      `${options.samples} sequential requests per route and tier, page of ${PAGE}; goal: p50 ≤ ${P50_GOAL_MS} ms at every tier and p50 growth ≤ ln(${last})/ln(${first}) = ${ratio(allowedGrowth)}\n`,
    );
    console.log(
      formatTable(
        ['route', ...options.tiers.flatMap((tier) => [`${tier} p50`, `${tier} p99`]), 'growth', ''],
        rows,
      ),
    );
    console.log(
      `\nquery plans (explain, queryPlanner):\n\n${formatTable(['query', 'plan'], plans, ['left', 'left'])}`,
    );
    console.log(
      `\nindexes:\n\n${formatTable(['collection', 'keys'], indexRows, ['left', 'left'])}`,
    );
    console.log(missed.length ? `\nTARGETS MISSED: ${missed.join(', ')}` : '\nTARGETS MET');
  } finally {
    await cleanups.run();
  }
}

runBenchmark(main, USAGE);
