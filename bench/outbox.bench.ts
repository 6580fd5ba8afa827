/**
 * Outbox latency: how long after an event the mail is in a real Mailpit and the webhook at a
 * loopback receiver, for one event at a time (`--single` of them, one after another) and for a
 * burst (`--burst` events at once), against baselines in the same run: nodemailer sending the
 * same kind of mail straight to Mailpit, and a Standard Webhooks signed POST straight to the
 * receiver. Our server is the real application, compiled, in a child process, on the embedded
 * database (or `MONGO_URL`). Prints p50 and p99 per row with goals and MET / MISSED.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { Webhook } from 'standardwebhooks';
import { compileForChildren, MailpitServer, uniqueTestDatabaseUrl } from '@strongroom/testing';
import { WebhookReceiver } from '../test/support/webhook-receiver';
import { Cleanups } from './support/cleanups';
import { startBenchWorkspace } from './support/bench-database';
import { startOurServer } from './support/our-server';
import { registerAccount } from './support/strongroom-api';
import { runBenchmark, UsageError } from './support/run-benchmark';
import { formatTable, summarize } from './stats';

const USAGE =
  'usage: npm run bench:outbox [-- --single N] [-- --burst N] [-- --concurrency N] [-- --poll DURATION]';
/** Goals in ms: one event at a time, and every event of a burst. */
const GOALS = { single: { p50: 1000, p99: 2000 }, burst: { p50: 5000, p99: 10000 } };
const ARRIVAL_TIMEOUT_MS = 180_000;

interface Options {
  single: number;
  burst: number;
  concurrency: number;
  /** OUTBOX_POLL_INTERVAL for our server; the application's default when absent. */
  poll?: string;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { single: 20, burst: 200, concurrency: 20 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, '');
    const raw = argv[i + 1];
    if (name === 'poll' && raw) {
      options.poll = raw;
      continue;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`bad value for ${argv[i]}`);
    if (name === 'single' || name === 'burst' || name === 'concurrency') options[name] = value;
    else throw new UsageError(`unknown option ${argv[i]}`);
  }
  return options;
}

const progress = (message: string) => process.stderr.write(`${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `task` for 0..n-1 with at most `concurrency` at a time. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, worker));
}

/** Polls until `arrivals(keys)` has one time per key; returns them in the order of `keys`. */
async function arrivalsOf(
  keys: readonly string[],
  arrivals: () => Promise<Map<string, number>>,
): Promise<number[]> {
  const deadline = Date.now() + ARRIVAL_TIMEOUT_MS;
  for (;;) {
    const seen = await arrivals();
    if (keys.every((key) => seen.has(key))) return keys.map((key) => seen.get(key) as number);
    if (Date.now() > deadline) {
      const missing = keys.filter((key) => !seen.has(key)).length;
      throw new Error(
        `${missing} of ${keys.length} did not arrive within ${ARRIVAL_TIMEOUT_MS} ms`,
      );
    }
    await sleep(25);
  }
}

/**
 * One kind of event, measured: `fire(i)` causes event i and resolves with its key and the time
 * (Date.now()) it happened; latency is arrival minus that.
 */
interface Scenario {
  fire: (i: number) => Promise<{ key: string; at: number }>;
  arrivals: () => Promise<Map<string, number>>;
}

async function measureSingle(scenario: Scenario, n: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < n; i++) {
    const { key, at } = await scenario.fire(i);
    const [arrived] = await arrivalsOf([key], scenario.arrivals);
    latencies.push(arrived - at);
  }
  return latencies;
}

async function measureBurst(scenario: Scenario, n: number, concurrency: number) {
  const fired: { key: string; at: number }[] = [];
  await pool(n, concurrency, async (i) => {
    fired[i] = await scenario.fire(i);
  });
  const arrived = await arrivalsOf(
    fired.map((event) => event.key),
    scenario.arrivals,
  );
  return arrived.map((time, i) => time - fired[i].at);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const cleanups = new Cleanups();
  try {
    const { temp, url: mongoServer } = await startBenchWorkspace(
      'bench-outbox',
      cleanups,
      progress,
    );
    progress('starting Mailpit and the webhook receiver');
    const mailpit = await MailpitServer.start({ workDir: temp.path, log: progress });
    cleanups.push(() => mailpit.stop());
    const receiver = await WebhookReceiver.start();
    cleanups.push(() => receiver.stop());

    progress('compiling the server to JavaScript');
    const compiled = await compileForChildren(
      path.resolve(__dirname, '..'),
      path.join(temp.path, 'build'),
    );
    const server = await startOurServer(
      'outbox',
      path.join(temp.path, 'server'),
      uniqueTestDatabaseUrl(mongoServer),
      {
        SMTP_URL: mailpit.smtpUrl,
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        ...(options.poll ? { OUTBOX_POLL_INTERVAL: options.poll } : {}),
      },
      compiled,
      [],
    );
    cleanups.push(() => server.child.stop());
    const { baseUrl, authorization } = server;
    const recipient = await registerAccount(baseUrl, 'outbox-recipient');
    const api = async (method: string, url: string, body?: object) => {
      const res = await fetch(`${baseUrl}${url}`, {
        method,
        headers: {
          authorization,
          ...(body instanceof FormData ? {} : { 'content-type': 'application/json' }),
        },
        body: body instanceof FormData ? body : JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status !== 201) throw new Error(`${method} ${url} answered ${res.status}`);
      return json;
    };
    const uploadFile = async (name: string) => {
      const form = new FormData();
      form.append('file', new Blob([`${name}\n`]), name);
      return (await api('POST', '/api/v1/files', form)).id as string;
    };
    const hook = await api('POST', '/api/v1/webhooks', {
      url: receiver.url('/ours'),
      events: ['file.uploaded'],
    });
    const signer = new Webhook(hook.secret as string);
    const run = randomBytes(3).toString('hex');

    const mailArrivals = async () =>
      new Map((await mailpit.messages()).map((mail) => [mail.subject, mail.receivedAt.getTime()]));
    const hookArrivals = (at: string) => () =>
      Promise.resolve(
        new Map(
          receiver
            .at(at)
            .map((call) => [
              (JSON.parse(call.body) as { data: { name: string } }).data.name,
              call.receivedAt,
            ]),
        ),
      );

    // Files to share are uploaded before the clock starts; their own webhooks are let through.
    const prepareShares = async (count: number, label: string) => {
      const names = Array.from({ length: count }, (_, i) => `${label}-${run}-${i}.txt`);
      const ids: string[] = [];
      await pool(count, options.concurrency, async (i) => {
        ids[i] = await uploadFile(names[i]);
      });
      await arrivalsOf(names, hookArrivals('/ours'));
      return { names, ids };
    };
    const shareScenario = (files: { names: string[]; ids: string[] }): Scenario => ({
      fire: async (i) => {
        await api('POST', `/api/v1/files/${files.ids[i]}/shares`, { email: recipient.email });
        return { key: subjectOf(files.names[i]), at: Date.now() };
      },
      arrivals: mailArrivals,
    });
    // The subject our share mail has, so both kinds of mail are found the same way.
    const sharer = (await (
      await fetch(`${baseUrl}/api/v1/users/me`, { headers: { authorization } })
    ).json()) as {
      email: string;
    };
    const subjectOf = (name: string) => `${sharer.email} shared “${name}” with you`;

    const transport = nodemailer.createTransport(mailpit.smtpUrl);
    const directMail = (label: string): Scenario => ({
      fire: async (i) => {
        const name = `${label}-${run}-${i}.txt`;
        const at = Date.now();
        await transport.sendMail({
          from: 'Strongroom <no-reply@localhost>',
          to: recipient.email,
          subject: subjectOf(name),
          text: `${sharer.email} shared “${name}” with you on Strongroom.`,
          html: `<p>${sharer.email} shared <strong>${name}</strong> with you on Strongroom.</p>`,
        });
        return { key: subjectOf(name), at };
      },
      arrivals: mailArrivals,
    });
    const uploadScenario = (label: string): Scenario => ({
      fire: async (i) => {
        const name = `${label}-${run}-${i}.txt`;
        await uploadFile(name);
        return { key: name, at: Date.now() };
      },
      arrivals: hookArrivals('/ours'),
    });
    const directHook = (label: string): Scenario => ({
      fire: async (i) => {
        const name = `${label}-${run}-${i}.txt`;
        const id = `msg_${randomUUID()}`;
        const body = JSON.stringify({
          type: 'file.uploaded',
          timestamp: new Date().toISOString(),
          data: { name },
        });
        const at = Date.now();
        const sentAt = new Date(at);
        const res = await fetch(receiver.url('/direct'), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(at / 1000)),
            'webhook-signature': signer.sign(id, sentAt, body),
          },
          body,
        });
        await res.arrayBuffer();
        return { key: name, at };
      },
      arrivals: hookArrivals('/direct'),
    });

    const load = os.loadavg()[0];
    const rows: { what: string; kind: 'single' | 'burst'; ours: number[]; base: number[] }[] = [];
    progress(`mail, one event at a time (${options.single})`);
    const singleShares = await prepareShares(options.single, 'single-share');
    rows.push({
      what: 'share → mail in Mailpit',
      kind: 'single',
      ours: await measureSingle(shareScenario(singleShares), options.single),
      base: await measureSingle(directMail('direct-single'), options.single),
    });
    progress(`webhook, one event at a time (${options.single})`);
    rows.push({
      what: 'upload → webhook received',
      kind: 'single',
      ours: await measureSingle(uploadScenario('single-upload'), options.single),
      base: await measureSingle(directHook('direct-single'), options.single),
    });
    await mailpit.clear();
    progress(`mail, a burst of ${options.burst}`);
    const burstShares = await prepareShares(options.burst, 'burst-share');
    rows.push({
      what: 'share → mail in Mailpit',
      kind: 'burst',
      ours: await measureBurst(shareScenario(burstShares), options.burst, options.concurrency),
      base: await measureBurst(directMail('direct-burst'), options.burst, options.concurrency),
    });
    progress(`webhook, a burst of ${options.burst}`);
    rows.push({
      what: 'upload → webhook received',
      kind: 'burst',
      ours: await measureBurst(uploadScenario('burst-upload'), options.burst, options.concurrency),
      base: await measureBurst(directHook('direct-burst'), options.burst, options.concurrency),
    });
    transport.close();

    console.log(
      `Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, load ${load.toFixed(2)}; ` +
        `OUTBOX_POLL_INTERVAL ${options.poll ?? 'default'}; ${options.single} single events, bursts of ${options.burst} (${options.concurrency} requests at a time)`,
    );
    const verdicts: string[] = [];
    const table = rows.map((row) => {
      const ours = summarize(row.ours);
      const base = summarize(row.base);
      const goal = GOALS[row.kind];
      const met = ours.p50 <= goal.p50 && ours.p99 <= goal.p99;
      verdicts.push(`${row.what} (${row.kind}): ${met ? 'MET' : 'MISSED'}`);
      return [
        row.what,
        row.kind === 'single' ? `1 × ${row.ours.length}` : `${row.ours.length} at once`,
        ours.p50.toFixed(0),
        ours.p99.toFixed(0),
        base.p50.toFixed(0),
        base.p99.toFixed(0),
        `p50 ≤ ${goal.p50}, p99 ≤ ${goal.p99}`,
        met ? 'MET' : 'MISSED',
      ];
    });
    console.log(
      formatTable(
        [
          'event → arrival (ms)',
          'events',
          'ours p50',
          'ours p99',
          'direct p50',
          'direct p99',
          'goal (ours)',
          '',
        ],
        table,
      ),
    );
    const missed = verdicts.filter((line) => line.endsWith('MISSED'));
    console.log(missed.length === 0 ? 'GOALS MET' : `GOALS MISSED: ${missed.join('; ')}`);
  } finally {
    await cleanups.run();
  }
}

runBenchmark(main, USAGE);
