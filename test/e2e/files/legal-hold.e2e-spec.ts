import { Types } from 'mongoose';
import {
  type Account,
  ADMIN_ENV,
  collection,
  createWithRole,
  firstAdmin,
  signUp,
  STRONG_PASSWORD,
} from '../../support/accounts';
import { FileDeletionGuard, LegalHoldsService } from '@strongroom/retention';
import { auditEvent } from '../../support/audit';
import { downloadContent, upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

const DAY_MS = 24 * 60 * 60 * 1000;
const as = (account: Account) => ({ Authorization: account.bearer });

async function uploaded(t: TestApp, owner: Account, name: string): Promise<string> {
  return (await upload(t, owner, Buffer.from(`contents of ${name}`), name).expect(201)).body
    .id as string;
}

/** Moves a file's upload into the past, as if it had been stored that long ago. */
async function backdate(t: TestApp, fileId: string, days: number): Promise<void> {
  await collection(t, 'files').updateOne(
    { _id: new Types.ObjectId(fileId) },
    { $set: { uploadedAt: new Date(Date.now() - days * DAY_MS) } },
  );
}

describe('legal holds', () => {
  let t: TestApp;
  let admin: Account;
  let auditor: Account;
  let owner: Account;

  beforeAll(async () => {
    t = await createTestApp({ env: ADMIN_ENV });
    admin = await firstAdmin(t);
    auditor = await createWithRole(t, admin, 'auditor');
    owner = await signUp(t, 'hold-owner');
  });
  afterAll(() => t.close());

  const deleteFile = (account: Account, id: string) =>
    t.http().delete(`/api/v1/files/${id}`).set(as(account));

  it('an auditor places a hold; neither the owner nor an admin can delete until it is released', async () => {
    const id = await uploaded(t, owner, 'contract.pdf');
    const placed = await t
      .http()
      .put(`/api/v1/files/${id}/hold`)
      .set(as(auditor))
      .send({ reason: 'Litigation hold, matter 2026-114' })
      .expect(200);
    expect(placed.body).toMatchObject({
      subject: 'file',
      subjectId: id,
      reason: 'Litigation hold, matter 2026-114',
      placedBy: auditor.id,
      placedByEmail: auditor.email,
    });
    await auditEvent(t, {
      type: 'legal_hold_placed',
      'actor.userId': auditor.id,
      'target.fileId': id,
      'details.reason': 'Litigation hold, matter 2026-114',
    });

    for (const who of [owner, admin]) {
      const refused = await deleteFile(who, id).expect(409);
      expect(refused.body.message).toContain('"contract.pdf" cannot be deleted');
      expect(refused.body.message).toContain(`legal hold placed by ${auditor.email}`);
      expect(refused.body.message).toContain('"Litigation hold, matter 2026-114"');
    }
    await auditEvent(t, { type: 'deletion_refused_held', 'target.fileId': id });
    expect(await downloadContent(t, owner, id)).toEqual(Buffer.from('contents of contract.pdf'));

    await t
      .http()
      .delete(`/api/v1/files/${id}/hold`)
      .set(as(admin))
      .send({ reason: 'Matter closed' })
      .expect(204);
    await auditEvent(t, {
      type: 'legal_hold_released',
      'target.fileId': id,
      'details.reason': 'Matter closed',
    });
    await deleteFile(owner, id).expect(204);
  });

  describe('racing a deletion', () => {
    const placeHold = (id: string) =>
      t.http().put(`/api/v1/files/${id}/hold`).set(as(auditor)).send({ reason: 'Raced' });
    afterEach(() => jest.restoreAllMocks());

    it('a hold placed after the deletion was checked still keeps the file', async () => {
      const id = await uploaded(t, owner, 'raced-hold.txt');
      const guard = t.app.get(FileDeletionGuard);
      const check = guard.assertDeletable.bind(guard);
      // The hold lands between the deletion's first check and its removal of the record.
      jest.spyOn(guard, 'assertDeletable').mockImplementationOnce(async (...args) => {
        await check(...args);
        await placeHold(id).expect(200);
      });
      const refused = await deleteFile(owner, id).expect(409);
      expect(refused.body.message).toContain('legal hold placed by');
      expect(await downloadContent(t, owner, id)).toEqual(
        Buffer.from('contents of raced-hold.txt'),
      );
    });

    it('a hold on a file deleted while it was being placed is taken back, with a 404', async () => {
      const id = await uploaded(t, owner, 'raced-delete.txt');
      const holds = t.app.get(LegalHoldsService);
      const place = holds.place.bind(holds);
      // The deletion completes between the hold's check that the file exists and its write.
      jest.spyOn(holds, 'place').mockImplementationOnce(async (...args) => {
        await deleteFile(owner, id).expect(204);
        return place(...args);
      });
      const refused = await placeHold(id).expect(404);
      expect(refused.body.message).toContain('deleted as the hold was placed');
      expect(
        await collection(t, 'legal_holds').countDocuments({
          subjectId: new Types.ObjectId(id),
        }),
      ).toBe(0);
    });
  });

  it('only admins and auditors place holds, with a reason, on files that exist', async () => {
    const id = await uploaded(t, owner, 'notes.txt');
    await t.http().put(`/api/v1/files/${id}/hold`).set(as(owner)).send({ reason: 'x' }).expect(403);
    await t.http().put(`/api/v1/files/${id}/hold`).set(as(admin)).send({}).expect(400);
    await t
      .http()
      .put(`/api/v1/files/${new Types.ObjectId().toHexString()}/hold`)
      .set(as(admin))
      .send({ reason: 'x' })
      .expect(404);
    await t.http().delete(`/api/v1/files/${id}/hold`).set(as(admin)).expect(404);
    await t
      .http()
      .put('/api/v1/users/not-an-id/hold')
      .set(as(admin))
      .send({ reason: 'x' })
      .expect(404);
  });

  it('a hold on a user covers all their files, those uploaded later too', async () => {
    const custodian = await signUp(t, 'hold-custodian');
    const before = await uploaded(t, custodian, 'before.txt');
    await t
      .http()
      .put(`/api/v1/users/${custodian.id}/hold`)
      .set(as(admin))
      .send({ reason: 'Regulator inquiry 7' })
      .expect(200);
    const after = await uploaded(t, custodian, 'after.txt');
    for (const id of [before, after]) {
      const refused = await deleteFile(custodian, id).expect(409);
      expect(refused.body.message).toContain("legal hold on all of its owner's files");
      expect(refused.body.message).toContain('"Regulator inquiry 7"');
    }
    await t.http().delete(`/api/v1/users/${custodian.id}/hold`).set(as(auditor)).expect(204);
    await deleteFile(custodian, before).expect(204);
  });

  it('erasing a user removes everything else, keeps the held file and its account (disabled), and says why', async () => {
    const leaver = await signUp(t, 'hold-leaver');
    const held = await uploaded(t, leaver, 'evidence.eml');
    const free = await uploaded(t, leaver, 'holiday.jpg');
    await t
      .http()
      .put(`/api/v1/files/${held}/hold`)
      .set(as(admin))
      .send({ reason: 'Preserve for tribunal' })
      .expect(200);

    const refused = await t.http().delete(`/api/v1/users/${leaver.id}`).set(as(admin)).expect(409);
    expect(refused.body.message).toContain('Erased everything of this user except 1 file(s)');
    expect(refused.body.message).toContain(`"evidence.eml" (${held}) is under legal hold`);
    expect(refused.body.message).toContain('"Preserve for tribunal"');
    expect(await collection(t, 'files').countDocuments({ _id: new Types.ObjectId(free) })).toBe(0);
    expect(await collection(t, 'files').countDocuments({ _id: new Types.ObjectId(held) })).toBe(1);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: leaver.email, password: STRONG_PASSWORD })
      .expect(401);
    await t.http().get('/api/v1/users/me').set(as(leaver)).expect(401);

    await t.http().delete(`/api/v1/files/${held}/hold`).set(as(admin)).expect(204);
    await t.http().delete(`/api/v1/users/${leaver.id}`).set(as(admin)).expect(204);
    expect(await collection(t, 'files').countDocuments({ _id: new Types.ObjectId(held) })).toBe(0);
    expect(
      await collection(t, 'users').countDocuments({ _id: new Types.ObjectId(leaver.id) }),
    ).toBe(0);
  });

  it("a group's retention keeps its members' files, also through the member's erasure", async () => {
    const member = await signUp(t, 'retained-member');
    const group = await t
      .http()
      .post('/api/v1/groups')
      .set(as(admin))
      .send({ name: 'Finance records', retentionDays: 10 })
      .expect(201);
    expect(group.body.retentionDays).toBe(10);
    await t
      .http()
      .post(`/api/v1/groups/${group.body.id}/members`)
      .set(as(admin))
      .send({ email: member.email })
      .expect(201);
    const invoice = await uploaded(t, member, 'invoice.pdf');
    const refused = await deleteFile(member, invoice).expect(409);
    expect(refused.body.message).toMatch(
      /"invoice\.pdf" cannot be deleted: it is retained until \S+Z by the 10-day retention of the group "Finance records"/,
    );

    const erased = await t.http().delete(`/api/v1/users/${member.id}`).set(as(admin)).expect(409);
    expect(erased.body.message).toContain('"invoice.pdf"');
    expect(erased.body.message).toContain('10-day retention of the group "Finance records"');
    // The membership went with the erasure; the retention it imposed stays on the file.
    const record = await collection(t, 'files').findOne({ _id: new Types.ObjectId(invoice) });
    expect(record?.retainedUntil).toBeInstanceOf(Date);
    const again = await t.http().delete(`/api/v1/users/${member.id}`).set(as(admin)).expect(409);
    expect(again.body.message).toContain('retention recorded on the file');

    await backdate(t, invoice, 11);
    await collection(t, 'files').updateOne(
      { _id: new Types.ObjectId(invoice) },
      { $set: { retainedUntil: new Date(Date.now() - DAY_MS) } },
    );
    await t.http().delete(`/api/v1/users/${member.id}`).set(as(admin)).expect(204);
  });
});

describe('the instance retention rule (RETENTION_MIN_DAYS)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RETENTION_MIN_DAYS: '30' } });
  });
  afterAll(() => t.close());

  it('refuses deleting a file younger than the rule, naming the date, and allows it after', async () => {
    const owner = await signUp(t, 'retention-owner');
    const id = await uploaded(t, owner, 'ledger.csv');
    const refused = await t.http().delete(`/api/v1/files/${id}`).set(as(owner)).expect(409);
    expect(refused.body.message).toMatch(
      /"ledger\.csv" cannot be deleted: it is retained until \S+Z by the instance's 30-day retention \(RETENTION_MIN_DAYS\)/,
    );
    await backdate(t, id, 31);
    await t.http().delete(`/api/v1/files/${id}`).set(as(owner)).expect(204);
  });
});
