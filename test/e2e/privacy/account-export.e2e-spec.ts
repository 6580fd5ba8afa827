import { setTimeout as sleep } from 'node:timers/promises';
import { ObjectId } from 'mongodb';
import { type Account, ADMIN_ENV, collection, firstAdmin, signUp } from '../../support/accounts';
import { PNG_BYTES, sha256, upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

interface ExportedEvent {
  type: string;
  actor: Record<string, string>;
  target: Record<string, string>;
}

describe('GET /api/v1/users/me/export', () => {
  let t: TestApp;
  let admin: Account;
  let alice: Account;
  let bob: Account;
  let carol: Account;
  const aliceFiles: Record<string, string> = {};
  let bobFileId: string;

  const as = (account: Account) => ({ Authorization: account.bearer });
  const share = (owner: Account, fileId: string, email: string) =>
    t.http().post(`/api/v1/files/${fileId}/shares`).set(as(owner)).send({ email }).expect(201);
  const link = (owner: Account, fileId: string, body: object = {}) =>
    t.http().post(`/api/v1/files/${fileId}/links`).set(as(owner)).send(body).expect(201);

  beforeAll(async () => {
    t = await createTestApp({ env: ADMIN_ENV });
    admin = await firstAdmin(t);
    [alice, bob, carol] = [
      await signUp(t, 'export-alice'),
      await signUp(t, 'export-bob'),
      await signUp(t, 'export-carol'),
    ];
    for (const [name, data] of [
      ['alice-report.txt', Buffer.from('alice writes reports\n')],
      ['alice-photo.png', PNG_BYTES],
    ] as const) {
      aliceFiles[name] = (await upload(t, alice, data, name).expect(201)).body.id as string;
    }
    bobFileId = (await upload(t, bob, Buffer.from('bob only\n'), 'bob-secret.txt').expect(201)).body
      .id as string;
    const carolFileId = (
      await upload(t, carol, Buffer.from('carol only\n'), 'carol-diary.txt').expect(201)
    ).body.id as string;

    await share(alice, aliceFiles['alice-report.txt'], bob.email);
    await share(bob, bobFileId, alice.email);
    await share(carol, carolFileId, bob.email);
    await link(alice, aliceFiles['alice-photo.png'], { password: 'tangerine wolf 73' });
    await link(alice, aliceFiles['alice-report.txt'], { maxDownloads: 2 });
    await link(bob, bobFileId);
    await t
      .http()
      .patch(`/api/v1/users/${alice.id}`)
      .set(as(admin))
      .send({ quota: 10_000_000 })
      .expect(200);
    // Events are recorded once the response is out; wait for the last one.
    for (let tries = 0; tries < 50; tries += 1) {
      if (await collection(t, 'audit_events').findOne({ type: 'quota_changed' })) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(() => t.close());

  it('is an attachment of the caller’s account, files, shares, links, sessions and events', async () => {
    const res = await t.http().get('/api/v1/users/me/export').set(as(alice)).expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?strongroom-account-\d{4}-\d{2}-\d{2}\.json"?$/,
    );
    expect(res.headers['cache-control']).toBe('no-store');
    // Written as it is read, so its length is not known up front.
    expect(res.headers['content-length']).toBeUndefined();
    const body = res.body as Record<string, unknown[]> & Record<string, unknown>;

    expect(body.format).toBe('strongroom-account-export/1');
    expect(body.account).toMatchObject({
      id: alice.id,
      email: alice.email,
      role: 'user',
      quota: 10_000_000,
      storageUsed: 21 + PNG_BYTES.length,
    });
    expect(body.files).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: aliceFiles['alice-report.txt'],
          name: 'alice-report.txt',
          sha256: sha256(Buffer.from('alice writes reports\n')),
          status: 'ready',
        }),
        expect.objectContaining({ id: aliceFiles['alice-photo.png'], name: 'alice-photo.png' }),
      ]),
    );
    expect(body.files).toHaveLength(2);
    expect(body.sharesGiven).toEqual([
      expect.objectContaining({
        fileId: aliceFiles['alice-report.txt'],
        userId: bob.id,
        email: bob.email,
      }),
    ]);
    expect(body.sharesReceived).toEqual([
      expect.objectContaining({ fileId: bobFileId, ownerId: bob.id }),
    ]);
    expect(body.links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ fileId: aliceFiles['alice-photo.png'], hasPassword: true }),
        expect.objectContaining({
          fileId: aliceFiles['alice-report.txt'],
          hasPassword: false,
          maxDownloads: 2,
        }),
      ]),
    );
    expect(body.links).toHaveLength(2);
    expect(body.sessions.length).toBeGreaterThanOrEqual(1);

    const events = body.auditEvents as ExportedEvent[];
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining([
        'user_created',
        'login_succeeded',
        'file_uploaded',
        'share_created',
        'link_created',
        'quota_changed',
      ]),
    );
    for (const event of events) {
      expect([event.actor.userId, event.target.userId]).toContain(alice.id);
    }
    const byAdmin = events.find((event) => event.type === 'quota_changed')!;
    expect(byAdmin.actor).toEqual({ userId: admin.id });
  });

  it('holds no secret: no password, token or link hashes', async () => {
    const res = await t.http().get('/api/v1/users/me/export').set(as(alice)).expect(200);
    expect(res.text).not.toMatch(/passwordHash|tokenHash|tokenVersion|\$argon2/);
    const storedHashes = [
      ...(await collection(t, 'refresh_tokens').find({ userId: alice.id }).toArray()),
      ...(await collection(t, 'share_links').find({}).toArray()),
    ].map((document) => document.tokenHash as string);
    for (const hash of storedHashes) expect(res.text).not.toContain(hash);
  });

  it('holds nothing of other accounts beyond what the caller shared with them', async () => {
    const res = await t.http().get('/api/v1/users/me/export').set(as(alice)).expect(200);
    for (const foreign of [
      carol.email,
      carol.id,
      'carol-diary.txt',
      'bob-secret.txt',
      admin.email,
    ]) {
      expect([foreign, res.text.includes(foreign)]).toEqual([foreign, false]);
    }
    const bobsLink = await collection(t, 'share_links').findOne({ ownerId: new ObjectId(bob.id) });
    expect(res.text).not.toContain(String(bobsLink!._id));

    const bobs = await t.http().get('/api/v1/users/me/export').set(as(bob)).expect(200);
    expect(bobs.body.account.email).toBe(bob.email);
    expect(bobs.body.files.map((file: { name: string }) => file.name)).toEqual(['bob-secret.txt']);
    expect(bobs.body.sharesReceived).toHaveLength(2);
    expect(bobs.body.links).toEqual([expect.objectContaining({ id: String(bobsLink!._id) })]);
  });

  it('is itself recorded in the audit trail once the document went out', async () => {
    await t.http().get('/api/v1/users/me/export').set(as(carol)).expect(200);
    const exportsByCarol = () =>
      collection(t, 'audit_events').countDocuments({
        type: 'account_exported',
        'actor.userId': carol.id,
      });
    // Events are appended after the response has gone out.
    for (let i = 0; i < 50 && (await exportsByCarol()) === 0; i++) await sleep(100);
    expect(await exportsByCarol()).toBe(1);
  });

  it('needs a signed-in caller', async () => {
    await t.http().get('/api/v1/users/me/export').expect(401);
  });

  it('gives every audit event each field its documented schema requires', async () => {
    const docs = await t.http().get('/docs-json').expect(200);
    const required = docs.body.components.schemas.ExportedAuditEvent.required as string[];
    expect(required).toEqual(expect.arrayContaining(['actor', 'target', 'details']));
    const res = await t.http().get('/api/v1/users/me/export').set(as(alice)).expect(200);
    const events = res.body.auditEvents as Record<string, unknown>[];
    // A login records no details: the stored event has none, the exported one an empty object.
    expect(events.find((event) => event.type === 'login_succeeded')).toMatchObject({
      details: {},
    });
    for (const event of events) {
      expect(Object.keys(event)).toEqual(expect.arrayContaining(required));
    }
  });

  it('is in the OpenAPI document', async () => {
    const docs = await t.http().get('/docs-json').expect(200);
    const operation = docs.body.paths['/api/v1/users/me/export'].get;
    expect(Object.keys(operation.responses)).toEqual(
      expect.arrayContaining(['200', '401', '429', '503']),
    );
  });
});
