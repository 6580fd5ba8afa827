import { type Account, ADMIN_ENV, firstAdmin, signUp } from '../../support/accounts';
import { auditEvent } from '../../support/audit';
import { downloadContent, sha256, upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('groups and sharing with a group', () => {
  let t: TestApp;
  let admin: Account;
  let owner: Account;
  let member: Account;
  let laterMember: Account;
  let outsider: Account;
  let groupId: string;
  let fileId: string;
  const data = Buffer.from('minutes of the legal team, privileged '.repeat(40));

  beforeAll(async () => {
    t = await createTestApp({ env: ADMIN_ENV });
    admin = await firstAdmin(t);
    [owner, member, laterMember, outsider] = await Promise.all(
      ['group-owner', 'group-member', 'group-later', 'group-outsider'].map((label) =>
        signUp(t, label),
      ),
    );
    fileId = (await upload(t, owner, data, 'minutes.txt').expect(201)).body.id as string;
  });
  afterAll(() => t.close());

  const as = (account: Account) => ({ Authorization: account.bearer });
  const addMember = (account: Account, id = groupId) =>
    t.http().post(`/api/v1/groups/${id}/members`).set(as(admin)).send({ email: account.email });
  const sharedIds = async (account: Account) =>
    (
      (await t.http().get('/api/v1/files?scope=shared').set(as(account)).expect(200)).body
        .items as { id: string }[]
    ).map((file) => file.id);
  const shareWithGroup = () =>
    t.http().post(`/api/v1/files/${fileId}/shares`).set(as(owner)).send({ groupId });
  const canRead = (account: Account) => t.http().get(`/api/v1/files/${fileId}`).set(as(account));

  it('admins create groups with unique names; users may not', async () => {
    const created = await t
      .http()
      .post('/api/v1/groups')
      .set(as(admin))
      .send({ name: 'Legal', description: 'Contracts' })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'Legal',
      description: 'Contracts',
      idpGroup: null,
      retentionDays: 0,
      memberCount: 0,
      createdAt: expect.any(String),
    });
    groupId = created.body.id as string;
    expect(await auditEvent(t, { type: 'group_created', 'details.groupId': groupId })).toBeTruthy();

    const duplicate = await t
      .http()
      .post('/api/v1/groups')
      .set(as(admin))
      .send({ name: ' LEGAL ' })
      .expect(409);
    expect(duplicate.body.message).toMatch(/name exists already/);
    await t.http().post('/api/v1/groups').set(as(owner)).send({ name: 'Mine' }).expect(403);
    await t.http().post('/api/v1/groups').set(as(admin)).send({ name: '' }).expect(400);
  });

  it('admins add members by email; unknown addresses and repeats are refused clearly', async () => {
    await addMember(owner).expect(201);
    const added = await addMember(member).expect(201);
    expect(added.body).toEqual({
      userId: member.id,
      email: member.email,
      addedAt: expect.any(String),
    });
    expect((await addMember(member).expect(409)).body.message).toMatch(/already a member/);
    await t
      .http()
      .post(`/api/v1/groups/${groupId}/members`)
      .set(as(admin))
      .send({ email: 'nobody-here@example.com' })
      .expect(422);
    await t
      .http()
      .post(`/api/v1/groups/${groupId}/members`)
      .set(as(owner))
      .send({ email: outsider.email })
      .expect(403);
  });

  it('members see their groups and who is in them; to others a group does not exist', async () => {
    const mine = await t.http().get('/api/v1/groups').set(as(member)).expect(200);
    expect(mine.body).toEqual([expect.objectContaining({ id: groupId, memberCount: 2 })]);
    const members = await t.http().get(`/api/v1/groups/${groupId}/members`).set(as(member));
    expect(members.status).toBe(200);
    expect((members.body as { email: string }[]).map((entry) => entry.email).sort()).toEqual(
      [owner.email, member.email].sort(),
    );
    expect((await t.http().get('/api/v1/groups').set(as(outsider)).expect(200)).body).toEqual([]);
    await t.http().get(`/api/v1/groups/${groupId}`).set(as(outsider)).expect(404);
    await t.http().get(`/api/v1/groups/${groupId}/members`).set(as(outsider)).expect(404);
    await t.http().get('/api/v1/groups/not-an-id').set(as(admin)).expect(404);
  });

  it('a file shared with the group reaches every current member, and only them', async () => {
    const shared = await shareWithGroup().expect(201);
    expect(shared.body).toEqual({
      id: expect.any(String),
      fileId,
      groupId,
      groupName: 'Legal',
      createdAt: expect.any(String),
    });
    expect(
      await auditEvent(t, {
        type: 'share_created',
        'target.fileId': fileId,
        'details.groupId': groupId,
      }),
    ).toBeTruthy();
    await shareWithGroup().expect(409);

    expect(await sharedIds(member)).toContain(fileId);
    expect(sha256(await downloadContent(t, member, fileId))).toBe(sha256(data));
    await canRead(outsider).expect(404);
    expect(await sharedIds(outsider)).not.toContain(fileId);

    await canRead(laterMember).expect(404);
    await addMember(laterMember).expect(201);
    await canRead(laterMember).expect(200);
  });

  it('the account export lists group shares given and memberships held', async () => {
    const exported = async (account: Account) =>
      (await t.http().get('/api/v1/users/me/export').set(as(account)).expect(200)).body as {
        groupSharesGiven: unknown[];
        groupMemberships: unknown[];
      };
    expect((await exported(owner)).groupSharesGiven).toEqual([
      expect.objectContaining({ fileId, groupId }),
    ]);
    expect((await exported(member)).groupMemberships).toEqual([
      expect.objectContaining({ groupId, addedAt: expect.any(String) }),
    ]);
  });

  it('share requests name exactly one audience, and only a group the sharer belongs to', async () => {
    const share = (body: Record<string, unknown>, account = owner) =>
      t.http().post(`/api/v1/files/${fileId}/shares`).set(as(account)).send(body);
    expect((await share({ email: member.email, groupId }).expect(400)).body.message).toMatch(
      /either email .* or groupId/,
    );
    await share({}).expect(400);
    await share({ groupId: 'legal' }).expect(400);
    const foreign = (
      await t.http().post('/api/v1/groups').set(as(admin)).send({ name: 'Finance' }).expect(201)
    ).body.id as string;
    expect((await share({ groupId: foreign }).expect(422)).body.message).toMatch(/you belong to/);
  });

  it('the owner sees the group among the shares; removing a member ends their access at once', async () => {
    const shares = await t.http().get(`/api/v1/files/${fileId}/shares`).set(as(owner)).expect(200);
    expect(shares.body).toEqual([expect.objectContaining({ groupId, groupName: 'Legal' })]);

    await t
      .http()
      .delete(`/api/v1/groups/${groupId}/members/${laterMember.id}`)
      .set(as(admin))
      .expect(204);
    await canRead(laterMember).expect(404);
    expect(await sharedIds(laterMember)).not.toContain(fileId);
    await canRead(member).expect(200);
    await t
      .http()
      .delete(`/api/v1/groups/${groupId}/members/${laterMember.id}`)
      .set(as(admin))
      .expect(404);
  });

  it('revoking the group share ends access for every member; so does deleting the group', async () => {
    const [share] = (await t.http().get(`/api/v1/files/${fileId}/shares`).set(as(owner))).body as {
      id: string;
    }[];
    await t.http().delete(`/api/v1/files/${fileId}/shares/${share.id}`).set(as(owner)).expect(204);
    await canRead(member).expect(404);
    expect(
      await auditEvent(t, {
        type: 'share_revoked',
        'target.shareId': share.id,
        'details.groupId': groupId,
      }),
    ).toBeTruthy();

    await shareWithGroup().expect(201);
    await canRead(member).expect(200);
    await t
      .http()
      .patch(`/api/v1/groups/${groupId}`)
      .set(as(admin))
      .send({ name: 'Legal & Compliance' })
      .expect(200);
    expect(
      (await t.http().get(`/api/v1/files/${fileId}/shares`).set(as(owner))).body[0].groupName,
    ).toBe('Legal & Compliance');

    await t.http().delete(`/api/v1/groups/${groupId}`).set(as(member)).expect(403);
    await t.http().delete(`/api/v1/groups/${groupId}`).set(as(admin)).expect(204);
    await canRead(member).expect(404);
    expect((await t.http().get(`/api/v1/files/${fileId}/shares`).set(as(owner))).body).toEqual([]);
    await t.http().get(`/api/v1/groups/${groupId}`).set(as(admin)).expect(404);
  });
});
