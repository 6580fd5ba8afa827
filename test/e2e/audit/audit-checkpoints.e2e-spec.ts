import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import {
  AuditCheckpointer,
  AuditKeySet,
  AuditTrail,
  checkpointFields,
  checkpointMessage,
  checkpointStorageKey,
  rawPublicKeyOf,
} from '@strongroom/audit';
import { FileSweeper } from '@strongroom/files';
import {
  AUDIT_CHECKPOINT_PREFIX,
  STORAGE_PROVIDER,
  type StorageProvider,
} from '@strongroom/storage';
import { createTempDir, type TempDir, testS3Server } from '@strongroom/testing';
import {
  type Account,
  ADMIN_ENV,
  collection,
  createWithRole,
  firstAdmin,
  signUp,
} from '../../support/accounts';
import { createApiKey } from '../../support/api-keys';
import { eventually, runCli } from '../../support/cli';
import { metricValue } from '../../support/metrics';
import { createTestApp, type TestApp } from '../../support/test-app';

// verify-audit starts the CLI through ts-node, a few seconds each, more on a busy machine.
jest.setTimeout(240_000);

const EVERY = 5;
const HASH = /^[0-9a-f]{64}$/;

interface Line {
  kind: 'event' | 'checkpoint';
  seq: number;
  hash: string;
  [field: string]: unknown;
}

describe('signed audit checkpoints', () => {
  let t: TestApp;
  let admin: Account;
  let auditor: Account;
  let copies: TempDir;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        ...ADMIN_ENV,
        AUDIT_CHECKPOINT_EVERY: String(EVERY),
        AUDIT_CHECKPOINT_INTERVAL: '1h',
      },
    });
    admin = await firstAdmin(t);
    auditor = await createWithRole(t, admin, 'auditor');
    copies = await createTempDir('checkpoint-copies');
  });
  afterAll(async () => {
    await copies.remove();
    await t.close();
  });

  // A checkpoint still being written, never shown by storage.
  const TEMP_FILE_PREFIX = '.tmp-';
  const checkpointFolder = () => path.join(t.config.storage.local.path, 'audit-checkpoints');
  const storedCheckpoints = async () => {
    // Through storage's own listing: a raw readdir also sees a checkpoint still being written
    // (its `.tmp-*` file), which storage never shows.
    const storage = t.app.get<StorageProvider>(STORAGE_PROVIDER);
    const names: string[] = [];
    for await (const key of storage.list(AUDIT_CHECKPOINT_PREFIX)) names.push(path.basename(key));
    names.sort();
    return Promise.all(
      names.map(async (name) => ({
        name,
        ...(JSON.parse(await readFile(path.join(checkpointFolder(), name), 'utf8')) as {
          seq: number;
          hash: string;
          at: string;
          keyId: string;
          signature: string;
        }),
      })),
    );
  };
  const events = () => collection(t, 'audit_events');
  const head = async () => (await events().find().sort({ seq: -1 }).limit(1).next())!;
  const appendSome = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await t.app.get(AuditTrail).append({ type: 'file_renamed', details: { i } });
    }
  };
  const verifyRoute = async () =>
    (
      await t
        .http()
        .get('/api/v1/audit-events/verify')
        .set('Authorization', auditor.bearer)
        .expect(200)
    ).body;
  const verifyCli = (checkpoints: string) =>
    runCli(['verify-audit', '--checkpoints', checkpoints], {
      MONGO_URL: t.config.database.url!,
      // The data folder holds the generated AUDIT_SIGNING_KEY the app signed with.
      DATA_DIR: t.config.dataDir,
      FILE_STORAGE_PATH: t.config.storage.local.path,
    });

  it(`signs the chain head into storage every ${EVERY} events, verifiable with the public key alone`, async () => {
    await appendSome(2 * EVERY);
    const stored = await eventually(async () => {
      const found = await storedCheckpoints();
      return found.length >= 2 ? found : undefined;
    }, 'two checkpoints in storage');

    const publicKey = createPublicKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        x: rawPublicKeyOf(t.config.audit.signingKey).toString('base64url'),
      },
      format: 'jwk',
    });
    for (const checkpoint of stored) {
      expect(checkpoint.name).toBe(`c${String(checkpoint.seq).padStart(12, '0')}`);
      const event = await events().findOne({ seq: checkpoint.seq });
      expect(checkpoint.hash).toBe(event!.hash);
      const message = `strongroom-audit-checkpoint-v1\n${checkpoint.seq}\n${checkpoint.hash}\n${checkpoint.at}`;
      expect(
        verifySignature(
          null,
          Buffer.from(message),
          publicKey,
          Buffer.from(checkpoint.signature, 'base64'),
        ),
      ).toBe(true);
    }
    expect(await collection(t, 'audit_checkpoints').countDocuments()).toBe(stored.length);
    expect(await metricValue(t, 'audit_checkpoints_total')).toBeGreaterThanOrEqual(2);
  });

  it("is out of the file sweeper's reach", async () => {
    const before = await storedCheckpoints();
    expect((await t.app.get(FileSweeper).sweep(0)).orphanBlobs).toBe(0);
    expect(await storedCheckpoints()).toEqual(before);
  });

  it('writes each checkpoint once when several writers find it due at once', async () => {
    const checkpointer = t.app.get(AuditCheckpointer);
    // Leave nothing waiting first: events left by earlier tests plus this one could reach EVERY,
    // and the instance's own background look would then race (and win against) the writers here.
    await checkpointer.poll();
    await checkpointer.checkpointIfDue({ force: true });
    await appendSome(1);
    const before = await collection(t, 'audit_checkpoints').countDocuments();
    const written = await Promise.all(
      Array.from({ length: 5 }, () => checkpointer.checkpointIfDue({ force: true })),
    );
    expect(written.filter(Boolean)).toHaveLength(1);
    expect(await collection(t, 'audit_checkpoints').countDocuments()).toBe(before + 1);
  });

  it('verifies against storage and reports the events not yet checkpointed', async () => {
    await t.app.get(AuditCheckpointer).checkpointIfDue({ force: true });
    const checkpointed = (await head()).seq as number;
    await appendSome(2);
    expect(await verifyRoute()).toMatchObject({
      valid: true,
      count: checkpointed + 2,
      headHash: expect.stringMatching(HASH),
      checkpoints: { lastSeq: checkpointed, rejected: [] },
      notYetCheckpointed: { count: 2, fromSeq: checkpointed + 1 },
    });
    expect(await metricValue(t, 'audit_checkpoint_age_seconds')).toBeGreaterThanOrEqual(0);
  });

  describe('NDJSON export', () => {
    const exportAfter = (after?: number | string, bearer = auditor.bearer) => {
      const req = t.http().get('/api/v1/audit-events/export').set('Authorization', bearer);
      return after === undefined ? req : req.query({ after });
    };
    const linesOf = (text: string) =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Line);

    it('streams every event in order, each checkpoint right after the event it signs', async () => {
      const res = await exportAfter().expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
      expect(res.headers['transfer-encoding']).toBe('chunked');
      const lines = linesOf(res.text);
      const eventSeqs = lines.filter((line) => line.kind === 'event').map((line) => line.seq);
      const total = await events().countDocuments();
      expect(eventSeqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      const checkpoints = lines.filter((line) => line.kind === 'checkpoint');
      expect(checkpoints.length).toBe(await collection(t, 'audit_checkpoints').countDocuments());
      lines.forEach((line, index) => {
        if (line.kind !== 'checkpoint') return;
        const previous = lines[index - 1];
        expect(previous).toMatchObject({ seq: line.seq, hash: line.hash });
        expect(line).toEqual({
          kind: 'checkpoint',
          seq: expect.any(Number),
          hash: expect.stringMatching(HASH),
          at: expect.any(String),
          keyId: expect.any(String),
          signature: expect.any(String),
        });
      });
      expect(lines[0]).toMatchObject({ kind: 'event', seq: 1, prevHash: '0'.repeat(64) });
    });

    it('resumes after a sequence number without repeating or skipping a line', async () => {
      const all = linesOf((await exportAfter().expect(200)).text);
      const firstCheckpoint = all.find((line) => line.kind === 'checkpoint')!;
      const resumed = linesOf((await exportAfter(firstCheckpoint.seq).expect(200)).text);
      const cut = all.indexOf(firstCheckpoint) + 1;
      expect(resumed).toEqual(all.slice(cut));
      expect(linesOf((await exportAfter(all.length * 10).expect(200)).text)).toEqual([]);
    });

    it.each([
      ['-1', /after must not be negative/],
      ['soon', /after must be a whole number/],
      ['1.5', /after must be a whole number/],
      ['', /after must be a whole number/],
    ])('answers 400 to after=%s', async (after, message) => {
      const res = await exportAfter(after).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(message);
    });

    it('is for admins and auditors, and API keys with audit:read', async () => {
      const user = await signUp(t, 'not-an-auditor');
      await t.http().get('/api/v1/audit-events/export').expect(401);
      await exportAfter(0, user.bearer).expect(403);
      await exportAfter(0, admin.bearer).expect(200);
      const reading = await createApiKey(t, auditor, ['audit:read']);
      await exportAfter(0, reading.bearer).expect(200);
      const other = await createApiKey(t, auditor, ['files:read']);
      await exportAfter(0, other.bearer).expect(403);
    });
  });

  describe('after someone with database access tampered with the trail', () => {
    it('names an edited event (route and CLI against storage)', async () => {
      const original = await events().findOne({ seq: 3 });
      await events().updateOne({ seq: 3 }, { $set: { outcome: 'failure' } });
      try {
        expect(await verifyRoute()).toMatchObject({ valid: false, firstInvalidSeq: 3 });
        const cli = await verifyCli('storage');
        expect(cli.status).toBe(1);
        expect(cli.stdout).toMatch(/audit trail INVALID at seq 3: /);
      } finally {
        await events().replaceOne({ seq: 3 }, original!);
      }
      expect(await verifyRoute()).toMatchObject({ valid: true });
    });

    it('names a removed event (route and CLI against a folder of copies)', async () => {
      await cp(checkpointFolder(), copies.path, {
        recursive: true,
        filter: (source) => !path.basename(source).startsWith(TEMP_FILE_PREFIX),
      });
      const original = await events().findOne({ seq: 4 });
      await events().deleteOne({ seq: 4 });
      try {
        expect(await verifyRoute()).toMatchObject({ valid: false, firstInvalidSeq: 4 });
        const cli = await verifyCli(copies.path);
        expect(cli.status).toBe(1);
        expect(cli.stdout).toMatch(/audit trail INVALID at seq 4: /);
      } finally {
        await events().insertOne(original!);
      }
      expect(await verifyRoute()).toMatchObject({ valid: true });
    });

    it('names the first missing event of a truncated tail, which the chain alone cannot show', async () => {
      const { lastSeq } = (await verifyRoute()).checkpoints as { lastSeq: number };
      const cutFrom = lastSeq - 2;
      await events().deleteMany({ seq: { $gte: cutFrom } });
      const report = await verifyRoute();
      expect(report).toMatchObject({
        valid: false,
        count: cutFrom - 1,
        firstInvalidSeq: cutFrom,
        reason: expect.stringMatching(
          new RegExp(`newest events are missing.*covers up to ${lastSeq}`),
        ),
      });
      const cli = await verifyCli('storage');
      expect(cli.status).toBe(1);
      expect(cli.stdout).toMatch(
        new RegExp(`audit trail INVALID at seq ${cutFrom}: the newest events are missing`),
      );
    });
  });
});

describe('signed audit checkpoints on S3 (MinIO)', () => {
  it('are written under the reserved prefix of the bucket and verify', async () => {
    const server = testS3Server();
    const t = await createTestApp({
      env: {
        STORAGE_DRIVER: 's3',
        S3_BUCKET: server.bucket,
        S3_REGION: server.region,
        S3_ENDPOINT: server.endpoint,
        S3_FORCE_PATH_STYLE: 'true',
      },
    });
    try {
      await t.app.get(AuditTrail).append({ type: 'file_renamed', details: { i: 1 } });
      const checkpoint = await t.app.get(AuditCheckpointer).checkpointIfDue({ force: true });
      expect(checkpoint).toBeDefined();
      const storage = t.app.get<StorageProvider>(STORAGE_PROVIDER);
      const stored = JSON.parse(
        await text(await storage.read(checkpointStorageKey(checkpoint!.seq))),
      ) as unknown;
      expect(stored).toEqual(checkpointFields(checkpoint!));
      const keys = new AuditKeySet([rawPublicKeyOf(t.config.audit.signingKey)]);
      expect(
        keys.verify(checkpoint!.keyId, checkpointMessage(checkpoint!), checkpoint!.signature),
      ).toBe('valid');
    } finally {
      await t.close();
    }
  });
});
