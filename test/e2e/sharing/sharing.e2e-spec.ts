import { type Account, ADMIN_ENV, collection, firstAdmin, signUp } from '../../support/accounts';
import { sha256, upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DAY = 86_400_000;
// With a path and a trailing slash, to see both kept and normalised.
const PUBLIC_URL = 'https://files.example.com/strongroom/';

describe('sharing with users and links', () => {
  let t: TestApp;
  let admin: Account;
  let owner: Account;
  let friend: Account;
  let stranger: Account;
  const data = Buffer.from('the quarterly numbers, confidential '.repeat(50));
  let fileId: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { ...ADMIN_ENV, PUBLIC_URL } });
    admin = await firstAdmin(t);
    owner = await signUp(t, 'owner');
    friend = await signUp(t, 'friend');
    stranger = await signUp(t, 'stranger');
    fileId = (await upload(t, owner, data, 'q3.txt').expect(201)).body.id as string;
  });
  afterAll(() => t.close());

  const as = (account: Account) => ({ Authorization: account.bearer });
  const raw = (
    req: ReturnType<TestApp['http']>['get'] extends (...args: never[]) => infer R ? R : never,
  ) =>
    req.buffer(true).parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });
  const createLink = (body: Record<string, unknown> = {}, id = fileId) =>
    t.http().post(`/api/v1/files/${id}/links`).set(as(owner)).send(body);

  describe('shares', () => {
    it('lets the recipient see and download the file until the share is revoked', async () => {
      const res = await t
        .http()
        .post(`/api/v1/files/${fileId}/shares`)
        .set(as(owner))
        .send({ email: friend.email.toUpperCase() })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        fileId,
        userId: friend.id,
        email: friend.email,
        createdAt: expect.any(String),
      });

      const shared = await t.http().get('/api/v1/files?scope=shared').set(as(friend)).expect(200);
      expect(shared.body.items.map((item: { id: string }) => item.id)).toEqual([fileId]);
      // The recipient learns who shared it; the owner's own list does not repeat their email.
      expect(shared.body.items[0].ownerEmail).toBe(owner.email);
      const mine = await t.http().get('/api/v1/files?scope=mine').set(as(owner)).expect(200);
      expect(mine.body.items[0]).not.toHaveProperty('ownerEmail');
      await t.http().get(`/api/v1/files/${fileId}`).set(as(friend)).expect(200);
      const content = await raw(
        t.http().get(`/api/v1/files/${fileId}/content`).set(as(friend)),
      ).expect(200);
      expect(sha256(content.body as Buffer)).toBe(sha256(data));
      await t
        .http()
        .patch(`/api/v1/files/${fileId}`)
        .set(as(friend))
        .send({ name: 'mine now' })
        .expect(404);
      await t.http().delete(`/api/v1/files/${fileId}`).set(as(friend)).expect(404);
      await t
        .http()
        .post(`/api/v1/files/${fileId}/shares`)
        .set(as(friend))
        .send({ email: stranger.email })
        .expect(404);
      await t.http().get(`/api/v1/files/${fileId}`).set(as(stranger)).expect(404);

      const list = await t.http().get(`/api/v1/files/${fileId}/shares`).set(as(owner)).expect(200);
      expect(list.body).toHaveLength(1);
      await t.http().get(`/api/v1/files/${fileId}/shares`).set(as(admin)).expect(200);
      await t.http().get(`/api/v1/files/${fileId}/shares`).set(as(friend)).expect(404);

      await t
        .http()
        .delete(`/api/v1/files/${fileId}/shares/${res.body.id}`)
        .set(as(owner))
        .expect(204);
      await t.http().get(`/api/v1/files/${fileId}`).set(as(friend)).expect(404);
      await t.http().get(`/api/v1/files/${fileId}/content`).set(as(friend)).expect(404);
      await t
        .http()
        .delete(`/api/v1/files/${fileId}/shares/${res.body.id}`)
        .set(as(owner))
        .expect(404);
    });

    it.each<[string, () => Record<string, unknown>, number, RegExp]>([
      [
        'an unknown email',
        () => ({ email: 'nobody-here@example.com' }),
        422,
        /No user has this email/,
      ],
      ['yourself', () => ({ email: owner.email }), 400, /yourself/],
      [
        'a malformed email',
        () => ({ email: 'not-an-email' }),
        400,
        /email must be an email address/,
      ],
      ['an operator object', () => ({ email: { $ne: null } }), 400, /email/],
    ])('sharing with %s is refused', async (_case, body, status, message) => {
      const res = await t
        .http()
        .post(`/api/v1/files/${fileId}/shares`)
        .set(as(owner))
        .send(body())
        .expect(status);
      expect(JSON.stringify(res.body.message)).toMatch(message);
    });

    it('sharing twice is 409', async () => {
      const other = await signUp(t, 'twice');
      await t
        .http()
        .post(`/api/v1/files/${fileId}/shares`)
        .set(as(owner))
        .send({ email: other.email })
        .expect(201);
      await t
        .http()
        .post(`/api/v1/files/${fileId}/shares`)
        .set(as(owner))
        .send({ email: other.email })
        .expect(409);
    });
  });

  describe('links', () => {
    it('builds the link URL from PUBLIC_URL, whatever Host the request claims', async () => {
      for (const forged of [{ Host: 'evil.example' }, { 'X-Forwarded-Host': 'evil.example' }]) {
        const res = await createLink().set(forged).expect(201);
        expect(res.body.url).toBe(`${PUBLIC_URL}s/${res.body.token}`);
      }
    });

    it('creates a link whose token is shown once, and serves the file to anyone holding it', async () => {
      const res = await createLink().expect(201);
      expect(res.body).toMatchObject({
        fileId,
        maxDownloads: null,
        downloads: 0,
        hasPassword: false,
        revoked: false,
      });
      expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(res.body.url).toBe(`${PUBLIC_URL}s/${res.body.token}`);
      const expiresIn = Date.parse(res.body.expiresAt) - Date.now();
      expect(expiresIn).toBeGreaterThan(7 * DAY - 60_000);
      expect(expiresIn).toBeLessThanOrEqual(7 * DAY);

      const listed = await t.http().get(`/api/v1/files/${fileId}/links`).set(as(owner)).expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(res.body.token);
      expect(await collection(t, 'share_links').countDocuments({ tokenHash: res.body.token })).toBe(
        0,
      );

      const info = await t.http().get(`/api/v1/public/links/${res.body.token}`).expect(200);
      expect(info.body).toEqual({
        kind: 'file',
        name: 'q3.txt',
        size: data.length,
        contentType: 'application/octet-stream',
        expiresAt: res.body.expiresAt,
        requiresPassword: false,
        requiresVerification: false,
      });

      const content = await raw(
        t.http().get(`/api/v1/public/links/${res.body.token}/content`).set('Range', 'bytes=0-3'),
      ).expect(200);
      expect(sha256(content.body as Buffer)).toBe(sha256(data));
      expect(content.headers['accept-ranges']).toBe('none');
      expect(content.headers['cache-control']).toBe('no-store');
      expect(content.headers['referrer-policy']).toBe('no-referrer');
      expect(content.headers['content-disposition']).toMatch(/^attachment/);
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
      ['a past expiry', { expiresAt: new Date(Date.now() - 1000).toISOString() }, /in the future/],
      [
        'an expiry beyond LINK_MAX_TTL',
        { expiresAt: new Date(Date.now() + 91 * DAY).toISOString() },
        /at most 90 days/,
      ],
      ['a malformed expiry', { expiresAt: 'next tuesday' }, /ISO 8601/],
      ['maxDownloads 0', { maxDownloads: 0 }, /maxDownloads/],
      ['negative maxDownloads', { maxDownloads: -1 }, /maxDownloads/],
      ['huge maxDownloads', { maxDownloads: 1e12 }, /maxDownloads/],
      ['fractional maxDownloads', { maxDownloads: 1.5 }, /maxDownloads/],
      ['a short password', { password: 'short' }, /password/],
      ['an unknown field', { token: 'mine' }, /should not exist/],
      ['a null expiry', { expiresAt: null }, /ISO 8601/],
      ['a null password', { password: null }, /password must be a string/],
      ['a null maxDownloads', { maxDownloads: null }, /maxDownloads must be an integer/],
    ])('refuses %s with 400 and creates nothing', async (_case, body, message) => {
      const before = await collection(t, 'share_links').countDocuments();
      const res = await createLink(body).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(message);
      expect(await collection(t, 'share_links').countDocuments()).toBe(before);
    });

    it('only the owner creates links; others get 404', async () => {
      await t.http().post(`/api/v1/files/${fileId}/links`).set(as(stranger)).send({}).expect(404);
      await t.http().post(`/api/v1/files/${fileId}/links`).set(as(admin)).send({}).expect(404);
    });

    it('unknown, expired, revoked and used-up links all answer the same 404', async () => {
      const expiring = await createLink({
        expiresAt: new Date(Date.now() + 1500).toISOString(),
      }).expect(201);
      const revoked = await createLink().expect(201);
      const once = await createLink({ maxDownloads: 1 }).expect(201);

      await t.http().delete(`/api/v1/links/${revoked.body.id}`).set(as(owner)).expect(204);
      // HEAD (what link previewers send) does not use the one download up.
      await t.http().head(`/api/v1/public/links/${once.body.token}/content`).expect(200);
      await t.http().get(`/api/v1/public/links/${once.body.token}/content`).expect(200);
      await sleep(1600);

      const bodies = [];
      for (const token of [
        expiring.body.token,
        revoked.body.token,
        once.body.token,
        'A'.repeat(43),
      ]) {
        const info = await t.http().get(`/api/v1/public/links/${token}`).expect(404);
        await t.http().get(`/api/v1/public/links/${token}/content`).expect(404);
        bodies.push(info.body.message);
      }
      expect(new Set(bodies).size).toBe(1);
      expect(bodies[0]).not.toMatch(/[A-Za-z0-9_-]{43}/);
    });

    it.each(['', 'x', 'A'.repeat(42), 'A'.repeat(44), '%24ne', 'A'.repeat(2000), '..%2F..%2Fetc'])(
      'a malformed token %p is 404',
      async (token) => {
        const res = await t.http().get(`/api/v1/public/links/${token}/content`);
        expect(res.status).toBe(404);
      },
    );

    it('exactly one of many concurrent downloads of a maxDownloads: 1 link succeeds', async () => {
      const link = await createLink({ maxDownloads: 1 }).expect(201);
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          t.http().get(`/api/v1/public/links/${link.body.token}/content`),
        ),
      );
      expect(results.map((res) => res.status).sort()).toEqual([
        200, 404, 404, 404, 404, 404, 404, 404,
      ]);
      const stored = await t.http().get(`/api/v1/files/${fileId}/links`).set(as(owner)).expect(200);
      expect(stored.body.find((item: { id: string }) => item.id === link.body.id).downloads).toBe(
        1,
      );
    });

    describe('password links', () => {
      let token: string;
      let otherToken: string;
      beforeAll(async () => {
        token = (await createLink({ password: 'open sesame 42' }).expect(201)).body.token as string;
        otherToken = (await createLink({ password: 'another secret 7' }).expect(201)).body
          .token as string;
      });

      it('needs the password, checked by unlock, which returns a short-lived download URL', async () => {
        const info = await t.http().get(`/api/v1/public/links/${token}`).expect(200);
        expect(info.body.requiresPassword).toBe(true);
        await t.http().get(`/api/v1/public/links/${token}/content`).expect(401);
        const wrong = await t
          .http()
          .post(`/api/v1/public/links/${token}/unlock`)
          .send({ password: 'guess' })
          .expect(401);
        expect(wrong.body.message).toBe('Wrong password for this link');
        const unlocked = await t
          .http()
          .post(`/api/v1/public/links/${token}/unlock`)
          .send({ password: 'open sesame 42' })
          .expect(200);
        expect(unlocked.body.expiresIn).toBe(300);
        expect(unlocked.body.downloadUrl).not.toContain('sesame');
        const content = await raw(t.http().get(unlocked.body.downloadUrl as string)).expect(200);
        expect(sha256(content.body as Buffer)).toBe(sha256(data));
      });

      it('a grant for one link does not open another', async () => {
        const unlocked = await t
          .http()
          .post(`/api/v1/public/links/${token}/unlock`)
          .send({ password: 'open sesame 42' })
          .expect(200);
        const grant = new URL(unlocked.body.downloadUrl as string, 'http://x').searchParams.get(
          'grant',
        );
        await t.http().get(`/api/v1/public/links/${otherToken}/content?grant=${grant}`).expect(401);
        await t.http().get(`/api/v1/public/links/${token}/content?grant=${grant}x`).expect(401);
      });

      it('repeated wrong passwords are throttled', async () => {
        const target = (await createLink({ password: 'right password 1' }).expect(201)).body
          .token as string;
        let last = 0;
        for (let i = 0; i < 8 && last !== 429; i++) {
          last = (
            await t
              .http()
              .post(`/api/v1/public/links/${target}/unlock`)
              .send({ password: `wrong ${i}` })
          ).status;
        }
        expect(last).toBe(429);
      });

      it('rejects a malformed unlock body', async () => {
        await t
          .http()
          .post(`/api/v1/public/links/${token}/unlock`)
          .send({ password: { $ne: null } })
          .expect(400);
      });
    });

    it('the owner’s access ledger shows downloads by account and by link, and the audit chain holds', async () => {
      const ledgerFile = (await upload(t, owner, Buffer.from('ledger')).expect(201)).body
        .id as string;
      await t
        .http()
        .post(`/api/v1/files/${ledgerFile}/shares`)
        .set(as(owner))
        .send({ email: friend.email })
        .expect(201);
      await t.http().get(`/api/v1/files/${ledgerFile}/content`).set(as(friend)).expect(200);
      const token = (await createLink({}, ledgerFile).expect(201)).body.token as string;
      await t.http().get(`/api/v1/public/links/${token}/content`).expect(200);

      // Downloads are recorded once the last byte has gone out, just after the client has it.
      let ledger = await t
        .http()
        .get(`/api/v1/files/${ledgerFile}/activity`)
        .set(as(owner))
        .expect(200);
      for (let i = 0; i < 50 && ledger.body.total < 2; i++) {
        await sleep(200);
        ledger = await t
          .http()
          .get(`/api/v1/files/${ledgerFile}/activity`)
          .set(as(owner))
          .expect(200);
      }
      expect(ledger.body.total).toBe(2);
      expect(ledger.body.items.map((item: { type: string }) => item.type).sort()).toEqual([
        'file_downloaded',
        'link_downloaded',
      ]);
      expect(
        ledger.body.items.find((item: { type: string }) => item.type === 'file_downloaded').userId,
      ).toBe(friend.id);
      expect(ledger.body.items.every((item: { ip?: string }) => typeof item.ip === 'string')).toBe(
        true,
      );
      await t.http().get(`/api/v1/files/${ledgerFile}/activity`).set(as(friend)).expect(404);
      await t.http().get(`/api/v1/files/${ledgerFile}/activity`).set(as(admin)).expect(200);

      const verify = await t.http().get('/api/v1/audit-events/verify').set(as(admin)).expect(200);
      expect(verify.body.valid).toBe(true);
      const shares = await t
        .http()
        .get(`/api/v1/audit-events?type=share_created&fileId=${ledgerFile}`)
        .set(as(admin))
        .expect(200);
      expect(shares.body.total).toBe(1);
    });

    it('deleting the file kills its links and shares', async () => {
      const doomed = (await upload(t, owner, Buffer.from('short-lived')).expect(201)).body
        .id as string;
      const link = await createLink({}, doomed).expect(201);
      await t
        .http()
        .post(`/api/v1/files/${doomed}/shares`)
        .set(as(owner))
        .send({ email: friend.email })
        .expect(201);
      await t.http().delete(`/api/v1/files/${doomed}`).set(as(owner)).expect(204);
      await t.http().get(`/api/v1/public/links/${link.body.token}`).expect(404);
      expect(await collection(t, 'share_links').countDocuments({ _id: link.body.id })).toBe(0);
      const shared = await t.http().get('/api/v1/files?scope=shared').set(as(friend)).expect(200);
      expect(shared.body.items.map((item: { id: string }) => item.id)).not.toContain(doomed);
    });
  });
});

// Its own app, after the one above has closed: Passport keeps one 'jwt' strategy per process.
describe('links on a server that requires passwords', () => {
  it('LINK_REQUIRE_PASSWORD=true refuses links without one', async () => {
    const strict = await createTestApp({ env: { LINK_REQUIRE_PASSWORD: 'true' } });
    try {
      const someone = await signUp(strict, 'strict');
      const id = (await upload(strict, someone, Buffer.from('x')).expect(201)).body.id as string;
      await strict
        .http()
        .post(`/api/v1/files/${id}/links`)
        .set('Authorization', someone.bearer)
        .send({})
        .expect(400);
      await strict
        .http()
        .post(`/api/v1/files/${id}/links`)
        .set('Authorization', someone.bearer)
        .send({ password: 'long enough 1' })
        .expect(201);
    } finally {
      await strict.close();
    }
  });
});
