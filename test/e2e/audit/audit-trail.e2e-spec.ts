import { getModelToken } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import {
  AuditEvent,
  type AuditEventInput,
  AuditTrail,
  AuditVerifier,
  hashEvent,
} from '@strongroom/audit';
import {
  type Account,
  ADMIN_ENV,
  collection,
  createWithRole,
  firstAdmin,
  OTHER_STRONG_PASSWORD,
  signUp,
  uniqueEmail,
} from '../../support/accounts';
import { createTestApp, type TestApp } from '../../support/test-app';

const HASH = /^[0-9a-f]{64}$/;
const FILE_ID = '6650f1c2a1b2c3d4e5f60718';
const LINK_ID = '6650f1c2a1b2c3d4e5f60719';

const seqsOf = async (t: TestApp) =>
  (await collection(t, 'audit_events').find({}).sort({ seq: 1 }).toArray()).map(
    (event) => event.seq as number,
  );
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

const download = (userId: string, i: number): AuditEventInput => ({
  type: 'file_downloaded',
  actor: { userId, ip: '198.51.100.7' },
  target: { fileId: FILE_ID },
  requestId: `concurrent-${i}`,
  details: { i },
});

describe('audit trail', () => {
  let t: TestApp;
  let admin: Account;
  let auditor: Account;
  let user: Account;

  beforeAll(async () => {
    t = await createTestApp({ env: ADMIN_ENV });
    admin = await firstAdmin(t);
    auditor = await createWithRole(t, admin, 'auditor');
    user = await signUp(t, 'audited');
  });
  afterAll(() => t.close());

  const get = (path: string, account?: Account) => {
    const req = t.http().get(path);
    return account ? req.set('Authorization', account.bearer) : req;
  };
  const verify = async () => (await get('/api/v1/audit-events/verify', auditor).expect(200)).body;

  it('chains a mixed workload through the API, each event in its place', async () => {
    const before = await collection(t, 'audit_events').countDocuments();
    const subject = await signUp(t, 'mixed'); // user_created, login_succeeded
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: subject.email, password: OTHER_STRONG_PASSWORD })
      .expect(401); // login_failed
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: uniqueEmail('nobody'), password: OTHER_STRONG_PASSWORD })
      .expect(401); // login_failed, no account
    const patch = (body: object) =>
      t
        .http()
        .patch(`/api/v1/users/${subject.id}`)
        .set('Authorization', admin.bearer)
        .send(body)
        .expect(200);
    await patch({ role: 'auditor' }); // role_changed
    await patch({ disabled: true }); // user_disabled
    await t
      .http()
      .delete(`/api/v1/users/${subject.id}`)
      .set('Authorization', admin.bearer)
      .expect(204); // user_deleted

    expect(await verify()).toMatchObject({
      valid: true,
      count: before + 7,
      headHash: expect.any(String),
    });
    expect(await seqsOf(t)).toEqual(oneToN(before + 7));

    const newest = await collection(t, 'audit_events')
      .find({ seq: { $gt: before } })
      .sort({ seq: 1 })
      .toArray();
    expect(newest.map((event) => [event.type, event.outcome])).toEqual([
      ['user_created', 'success'],
      ['login_succeeded', 'success'],
      ['login_failed', 'failure'],
      ['login_failed', 'failure'],
      ['role_changed', 'success'],
      ['user_disabled', 'success'],
      ['user_deleted', 'success'],
    ]);
    expect(newest[4]).toMatchObject({
      actor: { userId: admin.id, ip: expect.any(String) },
      target: { userId: subject.id },
      requestId: expect.any(String),
      details: { from: 'user', to: 'auditor' },
      prevHash: newest[3].hash,
      hash: expect.stringMatching(HASH),
    });
    expect(newest[3]).not.toHaveProperty('target.userId');
  });

  it('keeps the chain whole under 20 concurrent appends', async () => {
    const before = await collection(t, 'audit_events').countDocuments();
    const trail = t.app.get(AuditTrail);
    const appended = await Promise.all(oneToN(20).map((i) => trail.append(download(user.id, i))));
    expect(appended.map((event) => event.seq).sort((a, b) => a - b)).toEqual(
      oneToN(20).map((i) => before + i),
    );
    expect(await verify()).toMatchObject({ valid: true, count: before + 20 });
    expect(await seqsOf(t)).toEqual(oneToN(before + 20));
  });

  it('offers no way to change or remove events', async () => {
    const model = t.app.get<Model<AuditEvent>>(getModelToken(AuditEvent.name));
    await expect(model.updateOne({ seq: 1 }, { $set: { type: 'login_failed' } })).rejects.toThrow(
      /append-only/,
    );
    await expect(model.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(model.findOneAndDelete({ seq: 1 })).rejects.toThrow(/append-only/);
    for (const method of ['patch', 'put', 'delete', 'post'] as const) {
      const refused = await t
        .http()
        [method]('/api/v1/audit-events')
        .set('Authorization', admin.bearer)
        .expect(405);
      expect(refused.headers.allow).toBe('GET, HEAD, OPTIONS');
    }
    expect(await verify()).toMatchObject({ valid: true });
  });

  describe('who may read it', () => {
    it.each(['/api/v1/audit-events', '/api/v1/audit-events/verify'])('%s', async (path) => {
      await get(path).expect(401);
      await get(path, user).expect(403);
      await get(path, auditor).expect(200);
      await get(path, admin).expect(200);
    });
  });

  describe('query', () => {
    const list = async (query: Record<string, string | number>) =>
      (await get('/api/v1/audit-events', auditor).query(query).expect(200)).body;

    it('pages newest first with the total', async () => {
      const total = await collection(t, 'audit_events').countDocuments();
      const first = await list({ limit: 3 });
      expect(first).toMatchObject({ page: 1, limit: 3, total });
      expect(first.items.map((event: { seq: number }) => event.seq)).toEqual([
        total,
        total - 1,
        total - 2,
      ]);
      const second = await list({ limit: 3, page: 2 });
      expect(second.items[0].seq).toBe(total - 3);
      expect(first.items[0]).toEqual({
        seq: total,
        at: expect.any(String),
        type: expect.any(String),
        actor: expect.any(Object),
        target: expect.any(Object),
        outcome: expect.stringMatching(/^(success|failure)$/),
        requestId: expect.any(String),
        details: expect.any(Object),
        prevHash: expect.stringMatching(HASH),
        hash: expect.stringMatching(HASH),
      });
      const defaults = await list({});
      expect(defaults).toMatchObject({ page: 1, limit: 20 });
    });

    it('filters by type', async () => {
      const page = await list({ type: 'login_failed', limit: 100 });
      expect(page.total).toBeGreaterThanOrEqual(2);
      expect(page.items.every((event: { type: string }) => event.type === 'login_failed')).toBe(
        true,
      );
      expect((await list({ type: 'keys_rotated' })).total).toBe(0);
    });

    it('filters by actor, as a user or as a link', async () => {
      const byUser = await list({ actor: user.id, limit: 100 });
      // signUp's user_created and login_succeeded, and the 20 concurrent downloads
      expect(byUser.total).toBe(22);
      expect(
        byUser.items.every(
          (event: { actor: { userId: string } }) => event.actor.userId === user.id,
        ),
      ).toBe(true);

      await t.app.get(AuditTrail).append({
        type: 'link_downloaded',
        actor: { linkId: LINK_ID, ip: '198.51.100.9' },
        target: { fileId: FILE_ID, linkId: LINK_ID },
      });
      const byLink = await list({ actor: LINK_ID });
      expect(byLink.total).toBe(1);
      expect(byLink.items[0]).toMatchObject({
        type: 'link_downloaded',
        actor: { linkId: LINK_ID, ip: '198.51.100.9' },
      });
    });

    it('filters by file, and combines filters', async () => {
      expect((await list({ fileId: FILE_ID })).total).toBe(21);
      expect((await list({ fileId: FILE_ID, type: 'link_downloaded' })).total).toBe(1);
      expect((await list({ fileId: FILE_ID, actor: admin.id })).total).toBe(0);
    });

    it('filters by time, with inclusive bounds', async () => {
      const [newest] = (await list({ limit: 1 })).items;
      const at = newest.at as string;
      const exactly = await list({ from: at, to: at, limit: 100 });
      expect(exactly.items.map((event: { seq: number }) => event.seq)).toContain(newest.seq);
      expect((await list({ from: new Date(Date.parse(at) + 1).toISOString() })).total).toBe(0);
      expect((await list({ to: '2000-01-01T00:00:00Z' })).total).toBe(0);
      const all = await collection(t, 'audit_events').countDocuments();
      expect((await list({ from: '2000-01-01', to: '2999-12-31T23:59:59Z' })).total).toBe(all);
    });

    it('lists a time window newest first by time, a page at a time, alone or with a type', async () => {
      const trail = t.app.get(AuditTrail);
      const minute = (m: number) => new Date(Date.UTC(2001, 0, 1, 0, m));
      // Appended out of time order, as another instance's clock or a queued append can: the
      // window's order is by time, with the chain's order only breaking ties.
      const appended = [];
      for (const m of [2, 0, 1, 1]) {
        appended.push(await trail.append({ type: 'file_uploaded', at: minute(m) }));
      }
      const [two, zero, oneEarlier, oneLater] = appended.map((event) => event.seq);
      const window = { from: minute(0).toISOString(), to: minute(2).toISOString() };
      const seqs = (page: { items: { seq: number }[] }) => page.items.map((event) => event.seq);

      const first = await list({ ...window, limit: 3 });
      expect(first).toMatchObject({ page: 1, limit: 3, total: 4 });
      expect(seqs(first)).toEqual([two, oneLater, oneEarlier]);
      const second = await list({ ...window, limit: 3, page: 2 });
      expect(seqs(second)).toEqual([zero]);

      const typed = await list({ ...window, type: 'file_uploaded', limit: 2, page: 2 });
      expect(typed).toMatchObject({ total: 4 });
      expect(seqs(typed)).toEqual([oneEarlier, zero]);
      expect((await list({ ...window, type: 'login_failed' })).total).toBe(0);
    });

    it("lists an actor's or a file's time window by time off their own indexes", async () => {
      const trail = t.app.get(AuditTrail);
      const minute = (m: number) => new Date(Date.UTC(2002, 0, 1, 0, m));
      const [actor, fileId] = [new Types.ObjectId(), new Types.ObjectId()].map((id) =>
        id.toHexString(),
      );
      // The actor's id as an account and as a link: its window merges both, newest first.
      const asUser = { userId: actor, ip: '198.51.100.7' };
      const asLink = { linkId: actor, ip: '198.51.100.8' };
      const appended = [];
      for (const [m, by] of [
        [2, asUser],
        [0, asUser],
        [1, asLink],
      ] as const) {
        appended.push(
          await trail.append({
            type: 'file_downloaded',
            actor: by,
            target: { fileId },
            at: minute(m),
          }),
        );
      }
      const [two, zero, one] = appended.map((event) => event.seq);
      const window = { from: minute(0).toISOString(), to: minute(2).toISOString() };
      const seqs = async (query: Record<string, string | number>) =>
        (await list({ ...window, ...query })).items.map((event: { seq: number }) => event.seq);
      expect(await seqs({ actor })).toEqual([two, one, zero]);
      expect(await seqs({ actor, limit: 2, page: 2 })).toEqual([zero]);
      expect(await seqs({ fileId })).toEqual([two, one, zero]);
      expect(await seqs({ fileId, limit: 2 })).toEqual([two, one]);

      const keys = (await collection(t, 'audit_events').indexes()).map((index) => index.key);
      expect(keys).toEqual(
        expect.arrayContaining([
          { 'actor.userId': 1, at: -1, seq: -1 },
          { 'actor.linkId': 1, at: -1, seq: -1 },
          { 'target.fileId': 1, at: -1, seq: -1 },
        ]),
      );
    });

    it.each([
      ['an unknown type', { type: 'coffee_made' }, /type must be one of/],
      ['a malformed actor', { actor: 'alice' }, /actor must be a 24-character hex id/],
      ['a malformed file id', { fileId: '6650f1c2a1b2c3d4e5f6071z' }, /fileId/],
      ['a malformed from', { from: 'yesterday' }, /from must be an ISO 8601 date/],
      ['an impossible to', { to: '2025-02-30T00:00:00Z' }, /to must be an ISO 8601 date/],
      ['from after to', { from: '2025-03-02', to: '2025-03-01' }, /from must not be after to/],
      ['page 0', { page: 0 }, /page/],
      ['limit 0', { limit: 0 }, /limit/],
      ['limit 101', { limit: 101 }, /limit/],
      ['an unknown filter', { userId: FILE_ID }, /should not exist/],
    ])('answers 400 to %s', async (_label, query, message) => {
      const res = await get('/api/v1/audit-events', auditor).query(query).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(message);
    });
  });

  it("gives a file's access ledger: downloads by account and by link, newest first", async () => {
    const trail = t.app.get(AuditTrail);
    await trail.append({
      type: 'file_renamed',
      actor: { userId: user.id },
      target: { fileId: FILE_ID },
    });
    const ledger = await trail.ledgerForFile(FILE_ID, 1, 2);
    expect(ledger).toMatchObject({ page: 1, limit: 2, total: 21 });
    expect(ledger.items).toEqual([
      {
        at: expect.any(Date),
        type: 'link_downloaded',
        userId: undefined,
        linkId: LINK_ID,
        ip: '198.51.100.9',
        outcome: 'success',
      },
      {
        at: expect.any(Date),
        type: 'file_downloaded',
        userId: user.id,
        linkId: undefined,
        ip: '198.51.100.7',
        outcome: 'success',
      },
    ]);
    expect((await trail.ledgerForFile('6650f1c2a1b2c3d4e5f607ff', 1, 20)).total).toBe(0);
  });

  it('stores an event as it was hashed: no field it lacks, no unknown outcome', async () => {
    const trail = t.app.get(AuditTrail);
    const { seq } = await trail.append({ type: 'login_failed', details: { attempts: 1 } });
    const stored = await collection(t, 'audit_events').findOne({ seq });
    expect(stored).not.toHaveProperty('requestId');
    expect(stored).toMatchObject({
      actor: {},
      target: {},
      outcome: 'failure',
      at: expect.any(Date),
    });
    await expect(
      trail.append({ type: 'login_failed', outcome: 'maybe' as 'failure' }),
    ).rejects.toThrow(/outcome/);
    expect(await verify()).toMatchObject({ valid: true });
  });
});

describe('audit trail shared by two app instances', () => {
  it('stays whole when both append at once', async () => {
    const first = await createTestApp();
    // Verified through the services: passport's strategies are process-wide, so once the second
    // app closes, the first one's HTTP authentication would use the second's closed connection.
    const second = await createTestApp({
      // Instances of one deployment share their keys (the audit trail's personal data is sealed).
      env: {
        MONGO_URL: first.config.database.url,
        SECRET_KEY: first.config.auth.secretKey,
        ENCRYPTION_KEYS: first.config.encryptionKeys
          .map(({ id, key }) => `${id}:${key.toString('base64')}`)
          .join(','),
        AUDIT_SIGNING_KEY: first.config.audit.signingKey.toString('base64'),
      },
      keepDatabase: true,
    });
    try {
      const trails = [first.app.get(AuditTrail), second.app.get(AuditTrail)];
      const verifiers = [first.app.get(AuditVerifier), second.app.get(AuditVerifier)];
      await trails[0].append(download(FILE_ID, 0));
      await trails[1].append(download(FILE_ID, 1));
      const appended = await Promise.all(
        oneToN(30).map((i) => trails[i % 2].append(download(FILE_ID, 1 + i))),
      );
      expect(new Set(appended.map((event) => event.seq)).size).toBe(30);
      for (const verifier of verifiers) {
        expect(await verifier.verify()).toMatchObject({ valid: true, count: 32 });
      }
      expect(await seqsOf(first)).toEqual(oneToN(32));
      // Each instance's remembered head went stale when the other appended: it lost the race
      // for a number at least once, and retried.
      const metrics = await first.http().get('/metrics').expect(200);
      expect(metrics.text).toMatch(/audit_append_conflicts_total [1-9]/);
    } finally {
      await second.close();
      await first.close();
    }
  });
});

describe('audit trail verification after tampering', () => {
  let t: TestApp;
  let admin: Account;

  beforeAll(async () => {
    t = await createTestApp({ env: ADMIN_ENV });
    admin = await firstAdmin(t);
    for (let i = 0; i < 3; i++) await signUp(t, 'tamper');
  });
  afterAll(() => t.close());

  const events = () => collection(t, 'audit_events');
  const verify = async () =>
    (
      await t
        .http()
        .get('/api/v1/audit-events/verify')
        .set('Authorization', admin.bearer)
        .expect(200)
    ).body;

  it('starts from a valid chain', async () => {
    // first admin: user_created + login_succeeded; each signUp: user_created + login_succeeded
    expect(await verify()).toMatchObject({
      valid: true,
      count: 8,
      headHash: expect.stringMatching(HASH),
    });
  });

  it('detects an edited event, and is valid again once it is restored', async () => {
    const original = await events().findOne({ seq: 3 });
    await events().updateOne({ seq: 3 }, { $set: { 'details.role': 'admin' } });
    expect(await verify()).toMatchObject({ valid: false, count: 8, firstInvalidSeq: 3 });
    await events().replaceOne({ seq: 3 }, original!);
    expect(await verify()).toMatchObject({ valid: true, count: 8 });
  });

  it('detects an edit whose hash was recomputed, at the next event', async () => {
    const original = await events().findOne({ seq: 4 });
    const edited: Record<string, unknown> = { ...original, outcome: 'failure' };
    await events().updateOne(
      { seq: 4 },
      { $set: { outcome: 'failure', hash: hashEvent(original!.prevHash as string, edited) } },
    );
    expect(await verify()).toMatchObject({ valid: false, count: 8, firstInvalidSeq: 5 });
    await events().replaceOne({ seq: 4 }, original!);
    expect(await verify()).toMatchObject({ valid: true });
  });

  it('detects reordered events', async () => {
    await events().updateOne({ seq: 5 }, { $set: { seq: 1000 } });
    await events().updateOne({ seq: 6 }, { $set: { seq: 5 } });
    await events().updateOne({ seq: 1000 }, { $set: { seq: 6 } });
    expect(await verify()).toMatchObject({ valid: false, count: 8, firstInvalidSeq: 5 });
    await events().updateOne({ seq: 5 }, { $set: { seq: 1000 } });
    await events().updateOne({ seq: 6 }, { $set: { seq: 5 } });
    await events().updateOne({ seq: 1000 }, { $set: { seq: 6 } });
    expect(await verify()).toMatchObject({ valid: true });
  });

  it('detects a deleted event, at its sequence number', async () => {
    await events().deleteOne({ seq: 6 });
    expect(await verify()).toMatchObject({ valid: false, count: 7, firstInvalidSeq: 6 });
  });
});
