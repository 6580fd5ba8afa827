import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import {
  ClamdServer,
  createTempDir,
  EICAR,
  EICAR_DETECTION,
  freeLoopbackPort,
  type TempDir,
} from '@strongroom/testing';
import { type Account, collection, signUp } from '../../support/accounts';
import { downloadContent, sha256, storedBlobs, upload } from '../../support/files';
import { metricValue } from '../../support/metrics';
import { auditEvent } from '../../support/audit';
import { createTestApp, type TestApp } from '../../support/test-app';

/** No record, no quota charged, and no blob beyond those stored before the upload. */
async function expectNothingKept(
  t: TestApp,
  account: Account,
  blobsBefore: string[],
): Promise<void> {
  const records = await collection(t, 'files')
    .find({ uploader: new Types.ObjectId(account.id) })
    .toArray();
  expect(records).toEqual([]);
  expect((await storedBlobs(t)).sort()).toEqual([...blobsBefore].sort());
  const user = await collection(t, 'users').findOne({ email: account.email });
  expect(user?.storageUsed ?? 0).toBe(0);
}

const INFECTED = 'virus_scan_verdicts_total{verdict="infected"}';
const CLEAN = 'virus_scan_verdicts_total{verdict="clean"}';
const ERROR = 'virus_scan_verdicts_total{verdict="error"}';
const STORED_BYTES = 'storage_upload_bytes_total{driver="local"}';
const STORAGE_WRITE_ERRORS = 'storage_errors_total{driver="local",op="write"}';

let workDir: TempDir;
beforeAll(async () => {
  workDir = await createTempDir('clamd');
});
afterAll(() => workDir.remove());

describe('with clamd: fail closed', () => {
  let clamd: ClamdServer;
  let t: TestApp;

  beforeAll(async () => {
    clamd = await ClamdServer.start({ workDir: workDir.path });
    t = await createTestApp({
      env: { CLAMAV_HOST: clamd.host, CLAMAV_PORT: String(clamd.port), MAX_FILE_SIZE: '8MB' },
    });
  });
  afterAll(async () => {
    await t.close();
    await clamd.stop();
  });

  it('rejects EICAR with 422 naming the signature, keeps nothing and records the event', async () => {
    const eve = await signUp(t, 'eve');
    const [blobs, infected] = [await storedBlobs(t), await metricValue(t, INFECTED)];
    const res = await upload(t, eve, EICAR, 'eicar.com').expect(422);
    expect(res.body.message).toContain(EICAR_DETECTION);
    await expectNothingKept(t, eve, blobs);
    const event = await auditEvent(t, { type: 'upload_infected', 'actor.userId': eve.id });
    expect(event).toMatchObject({
      outcome: 'failure',
      details: { signature: EICAR_DETECTION, name: 'eicar.com' },
      target: { fileId: expect.stringMatching(/^[0-9a-f]{24}$/) },
    });
    expect(await metricValue(t, INFECTED)).toBe(infected + 1);
  });

  it('finds EICAR in the middle of a multi-megabyte upload streamed in many chunks', async () => {
    const mallory = await signUp(t, 'mallory');
    const payload = Buffer.concat([randomBytes(3 << 20), EICAR, randomBytes(2 << 20)]);
    const blobs = await storedBlobs(t);
    await upload(t, mallory, payload, 'archive.bin').expect(422);
    await expectNothingKept(t, mallory, blobs);
  });

  it('lets a clean file through, ready and downloadable byte for byte', async () => {
    const alice = await signUp(t, 'alice');
    const payload = randomBytes(5 << 20);
    const clean = await metricValue(t, CLEAN);
    const res = await upload(t, alice, payload, 'clean.bin').expect(201);
    expect(res.body.sha256).toBe(sha256(payload));
    expect(sha256(await downloadContent(t, alice, res.body.id))).toBe(sha256(payload));
    expect(await metricValue(t, CLEAN)).toBe(clean + 1);
  });

  it('scans an empty file too', async () => {
    const bob = await signUp(t, 'bob');
    await upload(t, bob, Buffer.alloc(0), 'empty.txt').expect(201);
  });

  it('counts clamd in readiness', async () => {
    const res = await t.http().get('/health/ready').expect(200);
    expect(res.body.details.virusScanner).toEqual({ status: 'up' });
  });

  it('answers 503 and keeps nothing once clamd is stopped; readiness turns 503', async () => {
    await clamd.stop();
    const carol = await signUp(t, 'carol');
    const blobs = await storedBlobs(t);
    const res = await upload(t, carol, randomBytes(1 << 20), 'report.pdf').expect(503);
    expect(res.body.message).toMatch(/virus scanner is unavailable/);
    await expectNothingKept(t, carol, blobs);
    const ready = await t.http().get('/health/ready').expect(503);
    expect(ready.body.details.virusScanner).toMatchObject({ status: 'down' });
  });
});

describe('clamd refusing a stream over its StreamMaxLength', () => {
  let clamd: ClamdServer;
  let t: TestApp;
  let dir: TempDir;

  beforeAll(async () => {
    dir = await createTempDir('clamd-small');
    clamd = await ClamdServer.start({ workDir: dir.path, streamMaxLength: '1M' });
    t = await createTestApp({
      env: { CLAMAV_HOST: clamd.host, CLAMAV_PORT: String(clamd.port), MAX_FILE_SIZE: '64MB' },
    });
  });
  afterAll(async () => {
    await t.close();
    await clamd.stop();
    await dir.remove();
  });

  it('fails closed mid-stream: 503 and nothing kept, never an unscanned file', async () => {
    const dave = await signUp(t, 'dave');
    await upload(t, dave, randomBytes(4 << 20), 'too-long-for-clamd.bin').expect(503);
    await expectNothingKept(t, dave, []);
    await upload(t, dave, randomBytes(512 << 10), 'fits.bin').expect(201);
  });

  it('stops storing the bytes once clamd has refused them, instead of storing the rest', async () => {
    const erin = await signUp(t, 'erin');
    const blobs = await storedBlobs(t);
    const storedBefore = await metricValue(t, STORED_BYTES);
    const errorsBefore = await metricValue(t, ERROR);
    const storageErrorsBefore = await metricValue(t, STORAGE_WRITE_ERRORS);
    const res = await upload(t, erin, randomBytes(32 << 20), 'far-too-long.bin').expect(503);
    expect(res.body.message).toMatch(/virus scanner is unavailable/);
    await expectNothingKept(t, erin, blobs);
    // An upload stored whole and removed afterwards would have added its 32 MiB here.
    expect(await metricValue(t, STORED_BYTES)).toBe(storedBefore);
    expect(await metricValue(t, ERROR)).toBe(errorsBefore + 1);
    // clamd's failure, not storage's: nothing for the storage alert.
    expect(await metricValue(t, STORAGE_WRITE_ERRORS)).toBe(storageErrorsBefore);
  });
});

describe('CLAMAV_FAIL_OPEN=true with clamd down', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        CLAMAV_HOST: '127.0.0.1',
        CLAMAV_PORT: String(await freeLoopbackPort()),
        CLAMAV_FAIL_OPEN: 'true',
      },
    });
  });
  afterAll(() => t.close());

  it('accepts the upload unscanned and records a warning event', async () => {
    const frank = await signUp(t, 'frank');
    const errors = await metricValue(t, ERROR);
    const res = await upload(t, frank, Buffer.from('quarterly numbers'), 'q3.txt').expect(201);
    const event = await auditEvent(t, { type: 'upload_unscanned', 'target.fileId': res.body.id });
    expect(event).toMatchObject({
      actor: { userId: frank.id },
      details: { name: 'q3.txt', reason: expect.stringMatching(/cannot reach clamd/) },
    });
    expect(await metricValue(t, ERROR)).toBe(errors + 1);
  });

  it('keeps readiness independent of clamd, since uploads do not need it', async () => {
    const res = await t.http().get('/health/ready').expect(200);
    expect(res.body.details.virusScanner).toBeUndefined();
  });
});
