import { type Account, ADMIN_ENV, firstAdmin, signUp } from '../../support/accounts';
import { auditEvent } from '../../support/audit';
import { upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

const DAY_SECONDS = 86_400;

describe('link policies per role and group', () => {
  let t: TestApp;
  let admin: Account;
  let alice: Account;
  let contractor: Account;
  let colleague: Account;
  let aliceFile: string;
  let contractorFile: string;
  let groupId: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { ...ADMIN_ENV, LINK_MAX_TTL: '30d', LINK_DEFAULT_TTL: '7d' } });
    admin = await firstAdmin(t);
    [alice, contractor, colleague] = await Promise.all(
      ['policy-alice', 'policy-contractor', 'policy-colleague'].map((label) => signUp(t, label)),
    );
    aliceFile = (await upload(t, alice, Buffer.from('a'), 'a.txt').expect(201)).body.id as string;
    contractorFile = (await upload(t, contractor, Buffer.from('c'), 'c.txt').expect(201)).body
      .id as string;
    groupId = (
      await t
        .http()
        .post('/api/v1/groups')
        .set('Authorization', admin.bearer)
        .send({ name: 'Contractors' })
        .expect(201)
    ).body.id as string;
    await t
      .http()
      .post(`/api/v1/groups/${groupId}/members`)
      .set('Authorization', admin.bearer)
      .send({ email: contractor.email })
      .expect(201);
  });
  afterAll(() => t.close());

  const rules = (body: Record<string, unknown>) =>
    t.http().post('/api/v1/link-policies').set('Authorization', admin.bearer).send(body);
  const link = (account: Account, fileId: string, body: Record<string, unknown> = {}) =>
    t.http().post(`/api/v1/files/${fileId}/links`).set('Authorization', account.bearer).send(body);
  const policyOf = async (account: Account) =>
    (await t.http().get('/api/v1/links/policy').set('Authorization', account.bearer).expect(200))
      .body as Record<string, unknown>;
  const inDays = (days: number) => new Date(Date.now() + days * DAY_SECONDS * 1000).toISOString();

  it('admins set a rule per role; users get its limits, with refusals naming it', async () => {
    const created = await rules({
      role: 'user',
      maxTtlSeconds: 2 * DAY_SECONDS,
      maxDownloads: 5,
    }).expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      role: 'user',
      maxTtlSeconds: 2 * DAY_SECONDS,
      requirePassword: null,
      maxDownloads: 5,
      publicLinks: null,
      verifyRecipients: null,
      allowedRecipientDomains: null,
      updatedAt: expect.any(String),
    });
    expect(
      await auditEvent(t, { type: 'link_policy_changed', 'details.appliesTo': 'role:user' }),
    ).toBeTruthy();

    expect(await policyOf(alice)).toEqual({
      defaultTtlSeconds: 2 * DAY_SECONDS,
      maxTtlSeconds: 2 * DAY_SECONDS,
      requirePassword: false,
      maxDownloadsLimit: 5,
      publicLinksAllowed: true,
      verifyRecipients: false,
      allowedRecipientDomains: null,
    });
    const tooLong = await link(alice, aliceFile, { expiresAt: inDays(3) }).expect(400);
    expect(tooLong.body.message).toMatch(
      /at most 2 days away \(the link policy for the role 'user'\)/,
    );
    const tooMany = await link(alice, aliceFile, { maxDownloads: 6 }).expect(400);
    expect(tooMany.body.message).toMatch(/maxDownloads may be at most 5/);
    const capped = await link(alice, aliceFile).expect(201);
    expect(capped.body).toMatchObject({ maxDownloads: 5 });

    // Admins are not users: the rule for the role 'user' does not reach them.
    expect((await policyOf(admin)).maxTtlSeconds).toBe(30 * DAY_SECONDS);
  });

  it('a group rule adds to the role rule for its members only; the strictest wins', async () => {
    await rules({
      groupId,
      publicLinks: false,
      allowedRecipientDomains: ['Partner.Example'],
      maxTtlSeconds: 5 * DAY_SECONDS,
    }).expect(201);
    expect(await policyOf(contractor)).toMatchObject({
      maxTtlSeconds: 2 * DAY_SECONDS,
      publicLinksAllowed: false,
      allowedRecipientDomains: ['partner.example'],
    });
    const refused = await link(contractor, contractorFile).expect(400);
    expect(refused.body.message).toMatch(
      /not allowed for you \(the link policy of the group 'Contractors'\)/,
    );
    const outside = await t
      .http()
      .post(`/api/v1/files/${contractorFile}/shares`)
      .set('Authorization', contractor.bearer)
      .send({ email: colleague.email })
      .expect(400);
    expect(outside.body.message).toMatch(/only with addresses at partner.example/);

    await link(alice, aliceFile).expect(201);
    await t
      .http()
      .post(`/api/v1/files/${aliceFile}/shares`)
      .set('Authorization', alice.bearer)
      .send({ email: colleague.email })
      .expect(201);
  });

  it('a PATCH changes only what it names, and null clears a limit', async () => {
    const [groupRule] = (
      (await t.http().get('/api/v1/link-policies').set('Authorization', admin.bearer).expect(200))
        .body as { id: string; groupId?: string }[]
    ).filter((rule) => rule.groupId === groupId);
    const patched = await t
      .http()
      .patch(`/api/v1/link-policies/${groupRule.id}`)
      .set('Authorization', admin.bearer)
      .send({ publicLinks: null, allowedRecipientDomains: ['example.com'] })
      .expect(200);
    expect(patched.body).toMatchObject({
      publicLinks: null,
      allowedRecipientDomains: ['example.com'],
      maxTtlSeconds: 5 * DAY_SECONDS,
    });
    await link(contractor, contractorFile).expect(201);
    await t
      .http()
      .post(`/api/v1/files/${contractorFile}/shares`)
      .set('Authorization', contractor.bearer)
      .send({ email: colleague.email })
      .expect(201);
  });

  it('refuses rules that are malformed, looser than LINK_MAX_TTL, duplicated or not an admin’s', async () => {
    expect((await rules({ role: 'user', groupId }).expect(400)).body.message).toMatch(
      /either role or groupId/,
    );
    await rules({}).expect(400);
    expect(
      (await rules({ role: 'auditor', maxTtlSeconds: 31 * DAY_SECONDS }).expect(400)).body.message,
    ).toMatch(/at most 2592000 \(LINK_MAX_TTL\)/);
    await rules({ role: 'auditor', allowedRecipientDomains: ['not a domain'] }).expect(400);
    await rules({ role: 'user' }).expect(409);
    await rules({ groupId: '0123456789abcdef01234567' }).expect(422);
    await t
      .http()
      .post('/api/v1/link-policies')
      .set('Authorization', alice.bearer)
      .send({ role: 'user' })
      .expect(403);
  });

  it('deleting the group removes its rule', async () => {
    await t
      .http()
      .delete(`/api/v1/groups/${groupId}`)
      .set('Authorization', admin.bearer)
      .expect(204);
    const remaining = (
      await t.http().get('/api/v1/link-policies').set('Authorization', admin.bearer).expect(200)
    ).body as { role?: string }[];
    expect(remaining.map((rule) => rule.role)).toEqual(['user']);
  });
});
