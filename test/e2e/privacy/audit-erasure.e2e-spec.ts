import {
  type Account,
  ADMIN_ENV,
  collection,
  createWithRole,
  firstAdmin,
  STRONG_PASSWORD,
  uniqueEmail,
} from '../../support/accounts';
import { upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

/** The erased person's own address, distinct from everyone else's in this test. */
const MARTA_IP = '203.0.113.77';
const FILE_NAME = 'marta-medical-letter.txt';
const RENAMED = 'marta-renamed-letter.txt';

interface AuditItem {
  type: string;
  actor: { userId?: string; ip?: string };
  target: { userId?: string; fileId?: string };
  details: Record<string, unknown>;
}

describe('erasure forgets a person in the audit trail (crypto-shredding)', () => {
  let t: TestApp;
  let admin: Account;
  let auditor: Account;
  let marta: { id: string; email: string; bearer: string };
  let fileId: string;

  const rawEvents = async () =>
    JSON.stringify(await collection(t, 'audit_events').find().toArray());
  const auditLog = async (query: Record<string, string>) =>
    (
      await t
        .http()
        .get('/api/v1/audit-events')
        .query({ limit: '100', ...query })
        .set('Authorization', auditor.bearer)
        .expect(200)
    ).body.items as AuditItem[];
  const asMarta = (req: ReturnType<ReturnType<TestApp['http']>['get']>) =>
    req.set('X-Forwarded-For', MARTA_IP);

  beforeAll(async () => {
    t = await createTestApp({ env: { ...ADMIN_ENV, TRUST_PROXY: '1' } });
    admin = await firstAdmin(t);
    auditor = await createWithRole(t, admin, 'auditor');

    const email = uniqueEmail('marta');
    const registered = await asMarta(t.http().post('/api/v1/auth/register'))
      .send({ email, password: STRONG_PASSWORD })
      .expect(201);
    await asMarta(t.http().post('/api/v1/auth/login'))
      .send({ email, password: 'not her password at all' })
      .expect(401);
    const tokens = await asMarta(t.http().post('/api/v1/auth/login'))
      .send({ email, password: STRONG_PASSWORD })
      .expect(200);
    marta = {
      id: registered.body.id as string,
      email,
      bearer: `Bearer ${tokens.body.accessToken}`,
    };
    const uploaded = await upload(t, marta as Account, Buffer.from('private'), FILE_NAME)
      .set('X-Forwarded-For', MARTA_IP)
      .expect(201);
    fileId = uploaded.body.id as string;
    await asMarta(t.http().patch(`/api/v1/files/${fileId}`))
      .set('Authorization', marta.bearer)
      .send({ name: RENAMED })
      .expect(200);
  });
  afterAll(() => t.close());

  it('stores her personal fields sealed, and shows them to auditors', async () => {
    const raw = await rawEvents();
    expect(raw).not.toContain(marta.email);
    expect(raw).not.toContain(MARTA_IP);
    expect(raw).not.toContain(RENAMED);

    const failed = await auditLog({ type: 'login_failed' });
    expect(failed.find((event) => event.target.userId === marta.id)).toMatchObject({
      details: { email: marta.email },
      actor: { ip: MARTA_IP },
    });
    const renamed = await auditLog({ type: 'file_renamed', fileId });
    expect(renamed[0]).toMatchObject({ actor: { ip: MARTA_IP }, details: { name: RENAMED } });
  });

  it('gives her everything in her own export, opened', async () => {
    const res = await t
      .http()
      .get('/api/v1/users/me/export')
      .set('Authorization', marta.bearer)
      .expect(200);
    const events = res.body.auditEvents as AuditItem[];
    expect(events.find((event) => event.type === 'login_failed')).toMatchObject({
      details: { email: marta.email },
    });
    expect(events.find((event) => event.type === 'file_renamed')).toMatchObject({
      actor: { userId: marta.id, ip: MARTA_IP },
      details: { name: RENAMED },
    });
  });

  it('after erasure: nothing of her in clear, the chain whole, auditors read "erased subject"', async () => {
    const before = await collection(t, 'audit_events').countDocuments();
    await t
      .http()
      .delete(`/api/v1/users/${marta.id}`)
      .set('Authorization', admin.bearer)
      .expect(204);

    const raw = await rawEvents();
    expect(raw).not.toContain(marta.email);
    expect(raw).not.toContain(MARTA_IP);
    expect(raw).not.toContain(RENAMED);
    // The events are all still there, only their keys are gone.
    expect(await collection(t, 'audit_events').countDocuments()).toBeGreaterThan(before);
    const key = await collection(t, 'audit_subject_keys').findOne({ subjectId: marta.id });
    expect(key).toMatchObject({ erasedAt: expect.any(Date) });
    expect(key).not.toHaveProperty('wrappedKey');

    const verify = await t
      .http()
      .get('/api/v1/audit-events/verify')
      .set('Authorization', auditor.bearer)
      .expect(200);
    expect(verify.body).toMatchObject({ valid: true });

    const failed = await auditLog({ type: 'login_failed' });
    expect(failed.find((event) => event.target.userId === marta.id)).toMatchObject({
      details: { email: 'erased subject' },
      actor: { ip: 'erased subject' },
    });
    const renamed = await auditLog({ type: 'file_renamed', fileId });
    expect(renamed[0]).toMatchObject({
      actor: { userId: marta.id, ip: 'erased subject' },
      details: { name: 'erased subject' },
    });
    // Recorded after her key was destroyed: her address is left out rather than kept in clear.
    const [deleted] = await auditLog({ type: 'user_deleted' });
    expect(deleted.target.userId).toBe(marta.id);
    expect(deleted.details).not.toHaveProperty('email');
    // Someone else's data is untouched by her erasure.
    const adminEvents = await auditLog({ actor: admin.id });
    expect(adminEvents.every((event) => event.actor.ip !== 'erased subject')).toBe(true);
  });
});
