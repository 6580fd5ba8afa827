import { Types } from 'mongoose';
import { type Account, ADMIN_ENV, collection, firstAdmin, signUp } from '../../support/accounts';
import { bytesParser, sha256, upload } from '../../support/files';
import { metricValue } from '../../support/metrics';
import { createTestApp, type TestApp } from '../../support/test-app';
import { inspectZipBytes } from '../../support/zip';

const DOWNLOAD_BYTES = 'storage_download_bytes_total{driver="local"}';

interface BundleBody {
  id: string;
  name: string;
  files: { id: string; name: string; size: number }[];
  totalSize: number;
}

describe('bundles', () => {
  let t: TestApp;
  let owner: Account;
  let stranger: Account;
  const contents = [Buffer.from('alpha '.repeat(100)), Buffer.from('beta'), Buffer.from('gamma!')];
  const names = ['report.txt', 'report.txt', 'REPORT.txt'];
  let fileIds: string[];

  beforeAll(async () => {
    t = await createTestApp({ env: ADMIN_ENV });
    owner = await signUp(t, 'bundle-owner');
    stranger = await signUp(t, 'bundle-stranger');
    fileIds = [];
    for (const [index, data] of contents.entries()) {
      fileIds.push((await upload(t, owner, data, names[index]).expect(201)).body.id as string);
    }
  });
  afterAll(() => t.close());

  const api = (account: Account) => ({
    get: (url: string) => t.http().get(url).set('Authorization', account.bearer),
    post: (url: string, body: object = {}) =>
      t.http().post(url).set('Authorization', account.bearer).send(body),
    patch: (url: string, body: object) =>
      t.http().patch(url).set('Authorization', account.bearer).send(body),
    delete: (url: string) => t.http().delete(url).set('Authorization', account.bearer),
  });

  async function createBundle(ids = fileIds, name = 'Q3 <contracts>'): Promise<BundleBody> {
    return (await api(owner).post('/api/v1/bundles', { name, fileIds: ids }).expect(201))
      .body as BundleBody;
  }

  async function bundleLink(bundleId: string, body: object = {}): Promise<string> {
    const res = await api(owner).post(`/api/v1/bundles/${bundleId}/links`, body).expect(201);
    expect(res.body).toMatchObject({ bundleId, downloads: 0 });
    return res.body.token as string;
  }

  const getBytes = (url: string) => t.http().get(url).buffer(true).parse(bytesParser);

  it('creates, lists, renames, appends, reorders and removes, keeping the order given', async () => {
    const bundle = await createBundle([fileIds[0], fileIds[1]]);
    expect(bundle.files.map((file) => file.id)).toEqual([fileIds[0], fileIds[1]]);
    expect(bundle.totalSize).toBe(contents[0].length + contents[1].length);

    const appended = await api(owner)
      .post(`/api/v1/bundles/${bundle.id}/files`, { fileIds: [fileIds[2], fileIds[0]] })
      .expect(201);
    expect(appended.body.files.map((file: { id: string }) => file.id)).toEqual(fileIds);

    const reordered = await api(owner)
      .patch(`/api/v1/bundles/${bundle.id}`, {
        name: 'Renamed',
        fileIds: [fileIds[2], fileIds[0]],
      })
      .expect(200);
    expect(reordered.body.name).toBe('Renamed');
    expect(reordered.body.files.map((file: { id: string }) => file.id)).toEqual([
      fileIds[2],
      fileIds[0],
    ]);

    await api(owner).delete(`/api/v1/bundles/${bundle.id}/files/${fileIds[2]}`).expect(204);
    await api(owner).delete(`/api/v1/bundles/${bundle.id}/files/${fileIds[2]}`).expect(404);
    const listed = await api(owner).get('/api/v1/bundles').expect(200);
    const mine = (listed.body as BundleBody[]).find((entry) => entry.id === bundle.id);
    expect(mine?.files.map((file) => file.id)).toEqual([fileIds[0]]);

    await api(owner).delete(`/api/v1/bundles/${bundle.id}`).expect(204);
    await api(owner).get(`/api/v1/bundles/${bundle.id}`).expect(404);
  });

  it('takes concurrent appends of the same files without a 500, each file once', async () => {
    const bundle = await createBundle([]);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        api(owner).post(`/api/v1/bundles/${bundle.id}/files`, { fileIds }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(201));
    const after = await api(owner).get(`/api/v1/bundles/${bundle.id}`).expect(200);
    expect(after.body.files.map((file: { id: string }) => file.id).sort()).toEqual(
      [...fileIds].sort(),
    );
  });

  it('refuses files that are not the owner’s own, and bad input, with a message that says what to fix', async () => {
    const theirs = (await upload(t, stranger, Buffer.from('theirs')).expect(201)).body.id as string;
    const refused = await api(owner)
      .post('/api/v1/bundles', { name: 'x', fileIds: [fileIds[0], theirs] })
      .expect(422);
    expect(refused.body.message).toContain(theirs);
    await api(owner).post('/api/v1/bundles', { name: '', fileIds: [] }).expect(400);
    await api(owner)
      .post('/api/v1/bundles', { name: 'x', fileIds: ['nope'] })
      .expect(400);
    await api(owner).post('/api/v1/bundles', { name: 'x', fileIds: 'a' }).expect(400);
    await api(owner).post('/api/v1/bundles', { name: 'x', owner: 'me' }).expect(400);
  });

  it('is 404 for everyone but its owner, on every route', async () => {
    const bundle = await createBundle();
    const other = api(stranger);
    await other.get(`/api/v1/bundles/${bundle.id}`).expect(404);
    await other.patch(`/api/v1/bundles/${bundle.id}`, { name: 'mine now' }).expect(404);
    await other.post(`/api/v1/bundles/${bundle.id}/files`, { fileIds: [] }).expect(404);
    await other.delete(`/api/v1/bundles/${bundle.id}/files/${fileIds[0]}`).expect(404);
    await other.post(`/api/v1/bundles/${bundle.id}/links`, {}).expect(404);
    await other.get(`/api/v1/bundles/${bundle.id}/links`).expect(404);
    await other.delete(`/api/v1/bundles/${bundle.id}`).expect(404);
    expect((await other.get('/api/v1/bundles').expect(200)).body).toEqual([]);
    await api(owner).get('/api/v1/bundles/not-an-id').expect(404);
  });

  it('serves the link page listing every file with its size, each downloadable, and a ZIP of all', async () => {
    const bundle = await createBundle();
    const token = await bundleLink(bundle.id);
    const page = await t.http().get(`/s/${token}`).expect(200);
    expect(page.text).toContain('<h1>Q3 &lt;contracts&gt;</h1>');
    expect(page.text).toContain('3 files, 610 B');
    expect(page.text).toContain('<span class="name">REPORT.txt</span>');
    expect(page.text).toContain('<span class="size">600 B</span>');
    for (const id of fileIds) expect(page.text).toContain(`value="${id}"`);
    expect(page.text).toContain('Download all (ZIP)');
    expect(page.text).not.toContain('<script');

    const started = await t
      .http()
      .post(`/s/${token}/download`)
      .type('form')
      .send({ item: fileIds[1] })
      .expect(200);
    expect(started.text).toContain(
      `content="0;url=/api/v1/public/links/${token}/files/${fileIds[1]}/content"`,
    );
    const single = await getBytes(`/api/v1/public/links/${token}/files/${fileIds[1]}/content`);
    expect(single.status).toBe(200);
    expect(single.body).toEqual(contents[1]);

    const all = await t
      .http()
      .post(`/s/${token}/download`)
      .type('form')
      .send({ item: 'archive' })
      .expect(200);
    expect(all.text).toContain(`content="0;url=/api/v1/public/links/${token}/archive"`);
    await t.http().post(`/s/${token}/download`).type('form').send({ item: 'x' }).expect(400);
  });

  it('streams the ZIP: stored entries, unique flat names, every byte intact', async () => {
    const bundle = await createBundle();
    const token = await bundleLink(bundle.id);
    const servedBefore = await metricValue(t, DOWNLOAD_BYTES);
    const res = await getBytes(`/api/v1/public/links/${token}/archive`);
    expect(res.status).toBe(200);
    expect(await metricValue(t, DOWNLOAD_BYTES)).toBe(
      servedBefore + contents.reduce((sum, data) => sum + data.length, 0),
    );
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toContain('.zip');
    expect(Number(res.headers['content-length'])).toBe((res.body as Buffer).length);
    const zip = await inspectZipBytes(res.body as Buffer);
    expect(zip.firstBadEntry).toBeNull();
    expect(zip.entries).toEqual([
      { name: 'report.txt', size: 600, compressType: 0, sha256: sha256(contents[0]) },
      { name: 'report (2).txt', size: 4, compressType: 0, sha256: sha256(contents[1]) },
      { name: 'REPORT (3).txt', size: 6, compressType: 0, sha256: sha256(contents[2]) },
    ]);
  });

  it('serves an empty bundle as an empty ZIP, and says so on its page', async () => {
    const bundle = await createBundle([]);
    const token = await bundleLink(bundle.id);
    expect((await t.http().get(`/s/${token}`).expect(200)).text).toContain(
      'This bundle has no files any more.',
    );
    const res = await getBytes(`/api/v1/public/links/${token}/archive`);
    expect(res.status).toBe(200);
    expect(await inspectZipBytes(res.body as Buffer)).toEqual({
      firstBadEntry: null,
      entries: [],
    });
  });

  it('counts one download for a ZIP and one per single file against maxDownloads', async () => {
    const bundle = await createBundle();
    const token = await bundleLink(bundle.id, { maxDownloads: 3 });
    // HEAD (what link previewers send) reads nothing and counts nothing.
    const head = await t.http().head(`/api/v1/public/links/${token}/archive`).expect(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    await t.http().head(`/api/v1/public/links/${token}/files/${fileIds[0]}/content`).expect(200);
    expect((await getBytes(`/api/v1/public/links/${token}/archive`)).status).toBe(200);
    expect(
      (await getBytes(`/api/v1/public/links/${token}/files/${fileIds[0]}/content`)).status,
    ).toBe(200);
    const links = await api(owner).get(`/api/v1/bundles/${bundle.id}/links`).expect(200);
    expect(links.body[0]).toMatchObject({ maxDownloads: 3, downloads: 2 });
    expect((await getBytes(`/api/v1/public/links/${token}/archive`)).status).toBe(200);
    expect((await getBytes(`/api/v1/public/links/${token}/archive`)).status).toBe(404);
    await t.http().get(`/api/v1/public/links/${token}/files/${fileIds[0]}/content`).expect(404);
    await t.http().get(`/s/${token}`).expect(404);
  });

  it('drops a deleted file from the bundle, its page and its ZIP', async () => {
    const doomed = (await upload(t, owner, Buffer.from('doomed'), 'doomed.txt').expect(201)).body
      .id as string;
    const bundle = await createBundle([fileIds[0], doomed]);
    const token = await bundleLink(bundle.id);
    await api(owner).delete(`/api/v1/files/${doomed}`).expect(204);

    const after = await api(owner).get(`/api/v1/bundles/${bundle.id}`).expect(200);
    expect(after.body.files.map((file: { id: string }) => file.id)).toEqual([fileIds[0]]);
    const info = await t.http().get(`/api/v1/public/links/${token}`).expect(200);
    expect(info.body).toMatchObject({ kind: 'bundle', size: contents[0].length });
    expect(info.body.files).toHaveLength(1);
    expect((await t.http().get(`/s/${token}`).expect(200)).text).not.toContain('doomed.txt');
    await t.http().get(`/api/v1/public/links/${token}/files/${doomed}/content`).expect(404);
  });

  it('needs the password before any download, and lists grant URLs once unlocked', async () => {
    const bundle = await createBundle();
    const token = await bundleLink(bundle.id, { password: 'correct horse 9' });
    await t.http().get(`/api/v1/public/links/${token}/archive`).expect(401);
    await t.http().get(`/api/v1/public/links/${token}/files/${fileIds[0]}/content`).expect(401);
    const page = await t.http().get(`/s/${token}`).expect(200);
    expect(page.text).toContain('These files are protected by a password');
    expect(page.text).toContain('<span class="name">REPORT.txt</span>');
    const unlocked = await t
      .http()
      .post(`/s/${token}`)
      .type('form')
      .send({ password: 'correct horse 9' })
      .expect(200);
    const archive = /href="(\/api\/v1\/public\/links\/[^"]+\/archive\?grant=[^"]+)"/.exec(
      unlocked.text,
    );
    expect(archive).not.toBeNull();
    expect(unlocked.text).not.toContain('correct horse');
    expect((await getBytes(archive![1].replaceAll('&amp;', '&'))).status).toBe(200);
  });

  it('deleting the bundle kills its links', async () => {
    const bundle = await createBundle();
    const token = await bundleLink(bundle.id);
    await api(owner).delete(`/api/v1/bundles/${bundle.id}`).expect(204);
    await t.http().get(`/api/v1/public/links/${token}`).expect(404);
    await t.http().get(`/api/v1/public/links/${token}/archive`).expect(404);
  });

  it('shares a bundle with a user: they read its files as they are now, until the share ends', async () => {
    const loose = (await upload(t, owner, Buffer.from('not bundled')).expect(201)).body
      .id as string;
    const bundle = await createBundle([fileIds[0], fileIds[1]]);
    await api(stranger)
      .post(`/api/v1/bundles/${bundle.id}/shares`, { email: owner.email })
      .expect(404);
    const share = await api(owner)
      .post(`/api/v1/bundles/${bundle.id}/shares`, { email: stranger.email })
      .expect(201);
    expect(share.body).toMatchObject({ bundleId: bundle.id, email: stranger.email });
    await api(owner)
      .post(`/api/v1/bundles/${bundle.id}/shares`, { email: stranger.email })
      .expect(409);
    expect(
      (await api(owner).get(`/api/v1/bundles/${bundle.id}/shares`).expect(200)).body,
    ).toHaveLength(1);

    const recipient = api(stranger);
    await recipient.get(`/api/v1/files/${fileIds[0]}`).expect(200);
    expect(
      (await getBytes(`/api/v1/files/${fileIds[1]}/content`).set('Authorization', stranger.bearer))
        .body,
    ).toEqual(contents[1]);
    await recipient.get(`/api/v1/files/${fileIds[2]}`).expect(404);
    await recipient.get(`/api/v1/files/${loose}`).expect(404);
    await recipient.delete(`/api/v1/files/${fileIds[0]}`).expect(404);
    const shared = await recipient.get('/api/v1/files?scope=shared').expect(200);
    expect(shared.body.items.map((file: { id: string }) => file.id).sort()).toEqual(
      [fileIds[0], fileIds[1]].sort(),
    );

    await api(owner).delete(`/api/v1/bundles/${bundle.id}/files/${fileIds[1]}`).expect(204);
    await recipient.get(`/api/v1/files/${fileIds[1]}`).expect(404);
    await api(owner).delete(`/api/v1/bundles/${bundle.id}/shares/${share.body.id}`).expect(204);
    await recipient.get(`/api/v1/files/${fileIds[0]}`).expect(404);
  });

  it('puts bundles, their items and shares in the GDPR export, and erases them with the account', async () => {
    const leaving = await signUp(t, 'bundle-leaver');
    const fileId = (await upload(t, leaving, Buffer.from('mine')).expect(201)).body.id as string;
    const created = await api(leaving)
      .post('/api/v1/bundles', { name: 'Leaving', fileIds: [fileId] })
      .expect(201);
    const bundleId = created.body.id as string;
    await api(leaving)
      .post(`/api/v1/bundles/${bundleId}/shares`, { email: owner.email })
      .expect(201);
    const token = (await api(leaving).post(`/api/v1/bundles/${bundleId}/links`, {}).expect(201))
      .body.token as string;

    const mine = (await api(leaving).get('/api/v1/users/me/export').expect(200)).body;
    expect(mine.bundles).toEqual([expect.objectContaining({ id: bundleId, name: 'Leaving' })]);
    expect(mine.bundleItems).toEqual([expect.objectContaining({ bundleId, fileId, position: 0 })]);
    expect(mine.bundleSharesGiven).toEqual([
      expect.objectContaining({ bundleId, userId: owner.id, email: owner.email }),
    ]);
    expect(mine.links).toEqual([expect.objectContaining({ bundleId, fileId: null })]);
    const theirs = (await api(owner).get('/api/v1/users/me/export').expect(200)).body;
    expect(theirs.bundleSharesReceived).toEqual([
      expect.objectContaining({ bundleId, ownerId: leaving.id }),
    ]);

    const admin = await firstAdmin(t);
    await api(admin).delete(`/api/v1/users/${leaving.id}`).expect(204);
    await t.http().get(`/api/v1/public/links/${token}`).expect(404);
    for (const name of ['bundles', 'bundle_items', 'bundle_shares']) {
      expect([
        name,
        await collection(t, name).countDocuments({ ownerId: new Types.ObjectId(leaving.id) }),
      ]).toEqual([name, 0]);
    }
  });
});
