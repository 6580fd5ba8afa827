import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import {
  ClamdServer,
  createTempDir,
  EICAR,
  MailpitServer,
  type TempDir,
} from '@strongroom/testing';
import {
  type Account,
  ADMIN_ENV,
  collection,
  firstAdmin,
  signUp,
  STRONG_PASSWORD,
} from '../../support/accounts';
import { auditEvent } from '../../support/audit';
import { downloadContent, sha256, storedBlobs, upload } from '../../support/files';
import { mailTo } from '../../support/mail';
import { createTestApp, type TestApp } from '../../support/test-app';
import {
  createUploadRequest,
  sendThroughRequest,
  visitCookie,
} from '../../support/upload-requests';

const PUBLIC_URL = 'https://files.example.com';

describe('upload requests (reverse shares), with clamd and Mailpit', () => {
  let workDir: TempDir;
  let clamd: ClamdServer;
  let mailpit: MailpitServer;
  let t: TestApp;
  let admin: Account;
  let owner: Account;
  let stranger: Account;

  beforeAll(async () => {
    workDir = await createTempDir('upload-requests');
    [clamd, mailpit] = await Promise.all([
      ClamdServer.start({ workDir: workDir.path }),
      MailpitServer.start({ workDir: workDir.path }),
    ]);
    t = await createTestApp({
      env: {
        ...ADMIN_ENV,
        PUBLIC_URL,
        SMTP_URL: mailpit.smtpUrl,
        MAIL_FROM: 'Strongroom <files@example.com>',
        OUTBOX_POLL_INTERVAL: '200ms',
        CLAMAV_HOST: clamd.host,
        CLAMAV_PORT: String(clamd.port),
        MAX_FILE_SIZE: '8MB',
      },
    });
    admin = await firstAdmin(t);
    [owner, stranger] = await Promise.all([
      signUp(t, 'requester', { displayName: 'Ada <Requester>' }),
      signUp(t, 'stranger'),
    ]);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([clamd?.stop(), mailpit?.stop()]);
    await workDir?.remove();
  });

  const api = (account: Account, method: 'get' | 'patch' | 'post' | 'delete', path: string) =>
    t.http()[method](`/api/v1/upload-requests${path}`).set('Authorization', account.bearer);
  const info = (token: string, visit?: string) => {
    const req = t.http().get(`/api/v1/public/upload-requests/${token}`);
    return visit ? req.set('Cookie', visit) : req;
  };
  const filesOf = async (account: Account) =>
    (await t.http().get('/api/v1/files').set('Authorization', account.bearer).expect(200)).body
      .items as { id: string; name: string; uploadRequestId?: string }[];
  const requestFiles = (requestId: string) =>
    collection(t, 'files')
      .find({ uploadRequestId: new Types.ObjectId(requestId) })
      .toArray();

  it('lets its owner create, list with counts, read, change, close and delete a request; anyone else gets 404', async () => {
    const created = await createUploadRequest(t, owner, {
      title: '  Q3 receipts ',
      message: 'Scans, please',
      maxFiles: 5,
      maxTotalSize: 1_000_000,
    });
    expect(created).toMatchObject({
      title: 'Q3 receipts',
      message: 'Scans, please',
      maxFiles: 5,
      maxTotalSize: 1_000_000,
      hasPassword: false,
      state: 'open',
      files: 0,
      bytes: 0,
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(created.url).toBe(`${PUBLIC_URL}/r/${created.token}`);
    const stored = await collection(t, 'upload_requests').findOne({
      _id: new Types.ObjectId(created.id),
    });
    expect(JSON.stringify(stored)).not.toContain(created.token);

    await sendThroughRequest(t, created.token, Buffer.from('hello'), { name: 'a.txt' }).expect(201);
    const listed = (await api(owner, 'get', '').expect(200)).body.items;
    expect(listed.find((item: { id: string }) => item.id === created.id)).toMatchObject({
      files: 1,
      bytes: 5,
    });
    expect(listed[0]).not.toHaveProperty('token');
    const one = (await api(owner, 'get', `/${created.id}`).expect(200)).body;
    expect(one.received).toEqual([
      expect.objectContaining({ name: 'a.txt', size: 5, fileId: expect.any(String) }),
    ]);

    const changed = await api(owner, 'patch', `/${created.id}`)
      .send({ title: 'Q3 receipts (final)', maxFiles: null, password: 'a long password' })
      .expect(200);
    expect(changed.body).toMatchObject({
      title: 'Q3 receipts (final)',
      maxFiles: null,
      hasPassword: true,
    });
    await api(owner, 'patch', `/${created.id}`).send({ owner: stranger.id }).expect(400);
    await api(owner, 'post', '').send({ title: '' }).expect(400);

    for (const [method, path] of [
      ['get', `/${created.id}`],
      ['patch', `/${created.id}`],
      ['post', `/${created.id}/close`],
      ['delete', `/${created.id}`],
    ] as const) {
      await api(stranger, method, path).send({}).expect(404);
    }
    expect((await api(stranger, 'get', '').expect(200)).body.items).toEqual([]);

    const closed = await api(owner, 'post', `/${created.id}/close`).expect(200);
    expect(closed.body).toMatchObject({ state: 'closed', closedAt: expect.any(String) });
    const gone = await info(created.token).expect(410);
    expect(gone.body.message).toMatch(/closed/);
    await auditEvent(t, { type: 'upload_request_closed', 'details.uploadRequestId': created.id });

    await api(owner, 'delete', `/${created.id}`).expect(204);
    await info(created.token).expect(404);
    await api(owner, 'get', `/${created.id}`).expect(404);
    // The files it brought stay the owner's.
    expect(await requestFiles(created.id)).toHaveLength(1);
  });

  it('puts an anonymous upload into the requester’s files, marked with the request, charged to their quota and audited', async () => {
    const request = await createUploadRequest(t, owner);
    const payload = randomBytes(4096);
    const before = (await collection(t, 'users').findOne({ email: owner.email }))!
      .storageUsed as number;
    const sent = await sendThroughRequest(t, request.token, payload, {
      name: 'scan <1>.pdf',
    }).expect(201);
    expect(sent.body).toEqual({ name: 'scan <1>.pdf', size: 4096, uploadedAt: expect.any(String) });

    const [file] = await requestFiles(request.id);
    expect(file).toMatchObject({ status: 'ready', uploader: new Types.ObjectId(owner.id) });
    const listed = (await filesOf(owner)).find((item) => item.id === String(file._id));
    expect(listed).toMatchObject({ name: 'scan <1>.pdf', uploadRequestId: request.id });
    const got = await t
      .http()
      .get(`/api/v1/files/${String(file._id)}`)
      .set('Authorization', owner.bearer)
      .expect(200);
    expect(got.body.uploadRequestId).toBe(request.id);
    expect(sha256(await downloadContent(t, owner, String(file._id)))).toBe(sha256(payload));
    const after = (await collection(t, 'users').findOne({ email: owner.email }))!
      .storageUsed as number;
    expect(after - before).toBe(4096);

    await auditEvent(t, {
      type: 'upload_request_file_received',
      'target.userId': owner.id,
      'target.fileId': String(file._id),
    });
    await auditEvent(t, {
      type: 'file_uploaded',
      'target.fileId': String(file._id),
      'details.uploadRequestId': request.id,
    });
  });

  it('shows a visitor only what they sent in their visit; another visitor sees none of it, and no route reaches the requester’s other files', async () => {
    const secret = (await upload(t, owner, Buffer.from('private'), 'owner-secret.txt').expect(201))
      .body.id as string;
    const request = await createUploadRequest(t, owner);
    const first = await sendThroughRequest(t, request.token, Buffer.from('one'), {
      name: 'visitor-a-1.txt',
    }).expect(201);
    const visitA = visitCookie(first);
    await sendThroughRequest(t, request.token, Buffer.from('two'), {
      name: 'visitor-a-2.txt',
      visit: visitA,
    }).expect(201);
    const visitB = visitCookie(
      await sendThroughRequest(t, request.token, Buffer.from('three'), {
        name: 'visitor-b.txt',
      }).expect(201),
    );
    expect(visitB).not.toBe(visitA);
    expect(first.headers['set-cookie'][0]).toMatch(/HttpOnly/);
    expect(first.headers['set-cookie'][0]).toMatch(/SameSite=Lax/);
    expect(first.headers['set-cookie'][0]).toMatch(/Secure/);

    const names = async (visit?: string) =>
      ((await info(request.token, visit).expect(200)).body.uploads as { name: string }[]).map(
        (item) => item.name,
      );
    expect(await names(visitA)).toEqual(['visitor-a-1.txt', 'visitor-a-2.txt']);
    expect(await names(visitB)).toEqual(['visitor-b.txt']);
    expect(await names()).toEqual([]);
    // A visit of another request is nobody here.
    const other = await createUploadRequest(t, owner);
    const otherVisit = visitCookie(
      await sendThroughRequest(t, other.token, Buffer.from('x')).expect(201),
    );
    const forged = otherVisit.replace(other.id, request.id);
    expect(await names(forged)).toEqual([]);

    const everything = JSON.stringify([
      (await info(request.token, visitA)).body,
      (await t.http().get(`/r/${request.token}`).set('Cookie', visitA)).text,
    ]);
    expect(everything).not.toContain('owner-secret');
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('visitor-b');
    // The public side has no route that lists or serves files; the API needs a sign-in.
    for (const path of [
      `/api/v1/public/upload-requests/${request.token}/files`,
      `/api/v1/public/upload-requests/${request.token}/files/${secret}`,
      `/r/${request.token}/files`,
    ]) {
      const res = await t.http().get(path).set('Cookie', visitA);
      expect([404, 405]).toContain(res.status);
      expect(res.text).not.toContain('visitor-');
    }
    await t.http().get(`/api/v1/files/${secret}/content`).set('Cookie', visitA).expect(401);
  });

  it('refuses infected content (422) and keeps nothing: no file, no place taken, no blob', async () => {
    const request = await createUploadRequest(t, owner, { maxFiles: 1 });
    const blobs = await storedBlobs(t);
    const res = await sendThroughRequest(t, request.token, EICAR, { name: 'eicar.com' }).expect(
      422,
    );
    expect(res.body.message).toMatch(/Eicar/i);
    expect(await requestFiles(request.id)).toEqual([]);
    expect((await storedBlobs(t)).sort()).toEqual(blobs.sort());
    expect((await info(request.token).expect(200)).body.filesLeft).toBe(1);
    // An anonymous visitor sent it: the requester is whom it concerns, not who did it.
    const event = await auditEvent(t, {
      type: 'upload_infected',
      'details.uploadRequestId': request.id,
    });
    expect(event.actor.userId).toBeUndefined();
    expect(event.target.userId).toBe(owner.id);
  });

  it('enforces the requester’s quota with a 413 the visitor can act on, and keeps nothing', async () => {
    const tight = await signUp(t, 'tight-requester');
    await t
      .http()
      .patch(`/api/v1/users/${tight.id}`)
      .set('Authorization', admin.bearer)
      .send({ quota: 1000 })
      .expect(200);
    const request = await createUploadRequest(t, tight);
    await sendThroughRequest(t, request.token, randomBytes(600)).expect(201);
    const refused = await sendThroughRequest(t, request.token, randomBytes(600)).expect(413);
    expect(refused.body.message).toMatch(/no storage left/);
    expect(await requestFiles(request.id)).toHaveLength(1);
    const user = await collection(t, 'users').findOne({ email: tight.email });
    expect(user?.storageUsed).toBe(600);
  });

  it('takes at most maxFiles files, however many arrive at once (409 for the rest)', async () => {
    const request = await createUploadRequest(t, owner, { maxFiles: 2 });
    const answers = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        sendThroughRequest(t, request.token, randomBytes(100), { name: `race-${n}.bin` }),
      ),
    );
    const statuses = answers.map((res) => res.status).sort();
    expect(statuses).toEqual([201, 201, 409, 409]);
    expect(answers.find((res) => res.status === 409)!.body.message).toMatch(/at most 2 files/);
    expect(await requestFiles(request.id)).toHaveLength(2);
    expect((await info(request.token).expect(200)).body.filesLeft).toBe(0);
    const page = await t.http().get(`/r/${request.token}`).expect(200);
    expect(page.text).toContain('has received all the files it takes');
    expect(page.text).not.toContain('type="file"');
  });

  it('takes at most maxTotalSize bytes in all (413), and a later smaller file still fits', async () => {
    const request = await createUploadRequest(t, owner, { maxTotalSize: 100 });
    await sendThroughRequest(t, request.token, randomBytes(60)).expect(201);
    const over = await sendThroughRequest(t, request.token, randomBytes(60)).expect(413);
    expect(over.body.message).toMatch(/at most 100 bytes/);
    await sendThroughRequest(t, request.token, randomBytes(40)).expect(201);
    expect((await info(request.token).expect(200)).body.bytesLeft).toBe(0);
    expect(await requestFiles(request.id)).toHaveLength(2);
  });

  it('asks for the password first, throttles wrong ones like link passwords, and lets the unlocked visit upload', async () => {
    const request = await createUploadRequest(t, owner, { password: STRONG_PASSWORD });
    expect((await info(request.token).expect(200)).body).toMatchObject({
      requiresPassword: true,
      unlocked: false,
    });
    const locked = await sendThroughRequest(t, request.token, Buffer.from('x')).expect(401);
    expect(locked.body.message).toMatch(/unlock it first/);
    await t
      .http()
      .post(`/api/v1/public/upload-requests/${request.token}/unlock`)
      .send({ password: 'not the password' })
      .expect(401);
    await auditEvent(t, {
      type: 'upload_request_unlock_failed',
      'details.uploadRequestId': request.id,
      outcome: 'failure',
    });
    const unlocked = await t
      .http()
      .post(`/api/v1/public/upload-requests/${request.token}/unlock`)
      .send({ password: STRONG_PASSWORD })
      .expect(200);
    expect(unlocked.body.unlocked).toBe(true);
    const visit = visitCookie(unlocked);
    await sendThroughRequest(t, request.token, Buffer.from('x'), { visit }).expect(201);
    expect(await requestFiles(request.id)).toHaveLength(1);

    const page = await t.http().get(`/r/${request.token}`).expect(200);
    expect(page.text).toContain(`action="/r/${request.token}/unlock"`);
    expect(page.text).not.toContain('type="file"');
    const wrong = await t
      .http()
      .post(`/r/${request.token}/unlock`)
      .type('form')
      .send({ password: 'still wrong' })
      .expect(401);
    expect(wrong.text).toContain('Wrong password');
  });

  it('answers an expired request with 410 (API, page and upload) and an unknown one with 404', async () => {
    const request = await createUploadRequest(t, owner);
    await collection(t, 'upload_requests').updateOne(
      { _id: new Types.ObjectId(request.id) },
      { $set: { expiresAt: new Date(Date.now() - 1000) } },
    );
    expect((await info(request.token).expect(410)).body.message).toMatch(/expired/);
    await sendThroughRequest(t, request.token, Buffer.from('late')).expect(410);
    const page = await t.http().get(`/r/${request.token}`).expect(410);
    expect(page.text).toContain('no longer open');
    expect((await api(owner, 'get', `/${request.id}`).expect(200)).body.state).toBe('expired');
    await info('x'.repeat(43)).expect(404);
    expect(
      (
        await t
          .http()
          .get(`/r/${'x'.repeat(43)}`)
          .expect(404)
      ).text,
    ).toContain('does not exist');
    expect(await requestFiles(request.id)).toEqual([]);
  });

  it('serves a page that works without JavaScript: a plain multipart form whose answer is a result page', async () => {
    const request = await createUploadRequest(t, owner, {
      title: 'Contract <draft>',
      message: 'Signed copy, please',
    });
    const page = await t.http().get(`/r/${request.token}`).expect(200);
    expect(page.text).toContain('Contract &lt;draft&gt;');
    expect(page.text).toContain('Ada &lt;Requester&gt;');
    expect(page.text).toContain(
      `<form method="post" action="/r/${request.token}" enctype="multipart/form-data">`,
    );
    expect(page.text).toContain('<label for="file">');
    expect(page.text).not.toContain('<script');
    const csp = page.headers['content-security-policy'];
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(page.headers['cache-control']).toBe('no-store');

    const sent = await t
      .http()
      .post(`/r/${request.token}`)
      .attach('file', Buffer.from('signed'), { filename: 'signed.pdf', contentType: 'text/plain' })
      .expect(200);
    expect(sent.headers['content-type']).toMatch(/text\/html/);
    expect(sent.text).toContain('“signed.pdf” was sent');
    expect(sent.text).toContain('signed.pdf');
    const again = await t
      .http()
      .post(`/r/${request.token}`)
      .set('Cookie', visitCookie(sent))
      .attach('file', EICAR, { filename: 'eicar.com', contentType: 'text/plain' })
      .expect(422);
    expect(again.text).toContain('role="alert"');
    expect(again.text).toContain('signed.pdf');
    expect(await requestFiles(request.id)).toHaveLength(1);
  });

  it('mails the requester once per visit when files arrive (text and HTML, no tracking)', async () => {
    const mailed = await signUp(t, 'mailed-requester');
    const request = await createUploadRequest(t, mailed, { title: 'Holiday <photos>' });
    const first = await sendThroughRequest(t, request.token, Buffer.from('1'), {
      name: 'beach.jpg',
    }).expect(201);
    await sendThroughRequest(t, request.token, Buffer.from('2'), {
      name: 'sunset.jpg',
      visit: visitCookie(first),
    }).expect(201);
    await sendThroughRequest(t, request.token, Buffer.from('3'), { name: 'other.jpg' }).expect(201);

    const mails = await mailTo(mailpit, mailed.email, 2);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await mailTo(mailpit, mailed.email)).toHaveLength(2);
    const subjects = mails.map((mail) => mail.subject).sort();
    expect(subjects).toEqual([
      '“beach.jpg” arrived through “Holiday <photos>”',
      '“other.jpg” arrived through “Holiday <photos>”',
    ]);
    const { text, html } = await mailpit.bodies(mails[0].id);
    expect(text).toContain(`${PUBLIC_URL}/files`);
    expect(html).toContain('Holiday &lt;photos&gt;');
    expect(html).not.toMatch(/<img/i);
    await auditEvent(t, {
      type: 'upload_request_fulfilled',
      'details.uploadRequestId': request.id,
    });
  });

  it('includes requests in the GDPR export and removes them with the account', async () => {
    const leaving = await signUp(t, 'leaving-requester');
    const request = await createUploadRequest(t, leaving, { password: STRONG_PASSWORD });
    const exported = await t
      .http()
      .get('/api/v1/users/me/export')
      .set('Authorization', leaving.bearer)
      .expect(200);
    const body = JSON.parse(exported.text);
    expect(body.uploadRequests).toEqual([
      expect.objectContaining({
        id: request.id,
        title: 'Please send the scans',
        hasPassword: true,
      }),
    ]);
    expect(exported.text).not.toContain('passwordHash');
    expect(exported.text).not.toContain('tokenHash');

    await t
      .http()
      .delete(`/api/v1/users/${leaving.id}`)
      .set('Authorization', admin.bearer)
      .expect(204);
    expect(
      await collection(t, 'upload_requests').countDocuments({
        _id: new Types.ObjectId(request.id),
      }),
    ).toBe(0);
    await info(request.token).expect(404);
  });
});
