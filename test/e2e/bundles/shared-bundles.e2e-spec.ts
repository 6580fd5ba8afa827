import { type Account, ADMIN_ENV, collection, firstAdmin, signUp } from '../../support/accounts';
import { auditEvent } from '../../support/audit';
import { bytesParser, sha256, upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';
import { inspectZipBytes } from '../../support/zip';

interface BundleBody {
  id: string;
  name: string;
  owner?: string;
  files: { id: string; name: string; size: number }[];
  totalSize: number;
}

interface BundlePageBody {
  items: BundleBody[];
  page: number;
  limit: number;
  total: number;
}

describe('bundles shared with people and groups', () => {
  let t: TestApp;
  let admin: Account;
  let owner: Account;
  let recipient: Account;
  let member: Account;
  let stranger: Account;
  let groupId: string;
  const contents = [Buffer.from('first file '.repeat(50)), Buffer.from('second')];
  let fileIds: string[];

  beforeAll(async () => {
    t = await createTestApp({ env: ADMIN_ENV });
    admin = await firstAdmin(t);
    [owner, recipient, member, stranger] = await Promise.all(
      ['shared-bundle-owner', 'shared-bundle-recipient', 'shared-bundle-member', 'stranger'].map(
        (label) => signUp(t, label),
      ),
    );
    fileIds = [];
    for (const [index, data] of contents.entries()) {
      fileIds.push((await upload(t, owner, data, `part-${index}.txt`).expect(201)).body.id);
    }
    groupId = (await api(admin).post('/api/v1/groups', { name: 'Shared bundle team' }).expect(201))
      .body.id as string;
    for (const account of [owner, member]) {
      await api(admin)
        .post(`/api/v1/groups/${groupId}/members`, { email: account.email })
        .expect(201);
    }
  });
  afterAll(() => t.close());

  function api(account: Account) {
    return {
      get: (url: string) => t.http().get(url).set('Authorization', account.bearer),
      post: (url: string, body: object = {}) =>
        t.http().post(url).set('Authorization', account.bearer).send(body),
      delete: (url: string) => t.http().delete(url).set('Authorization', account.bearer),
      bytes: (url: string) =>
        t.http().get(url).set('Authorization', account.bearer).buffer(true).parse(bytesParser),
    };
  }

  async function sharedBundle(
    name: string,
    recipientBody: { email: string } | { groupId: string },
  ): Promise<{ bundle: BundleBody; shareId: string }> {
    const bundle = (await api(owner).post('/api/v1/bundles', { name, fileIds }).expect(201))
      .body as BundleBody;
    const share = await api(owner)
      .post(`/api/v1/bundles/${bundle.id}/shares`, recipientBody)
      .expect(201);
    return { bundle, shareId: share.body.id as string };
  }

  const sharedWith = async (account: Account, query = '') =>
    (await api(account).get(`/api/v1/bundles?scope=shared${query}`).expect(200))
      .body as BundlePageBody;

  it('lists, opens and downloads a bundle shared with the caller, until the share ends', async () => {
    const { bundle, shareId } = await sharedBundle('Board pack', { email: recipient.email });
    const expectedFiles = contents.map((data, index) => ({
      id: fileIds[index],
      name: `part-${index}.txt`,
      size: data.length,
    }));

    const page = await sharedWith(recipient);
    expect(page).toMatchObject({ page: 1, limit: 20, total: 1 });
    expect(page.items).toEqual([
      expect.objectContaining({ id: bundle.id, name: 'Board pack', owner: owner.email }),
    ]);
    expect(page.items[0].files).toEqual(expectedFiles.map((file) => expect.objectContaining(file)));
    expect((await api(recipient).get('/api/v1/bundles').expect(200)).body).toEqual([]);

    const opened = (await api(recipient).get(`/api/v1/bundles/${bundle.id}`).expect(200))
      .body as BundleBody;
    expect(opened).toMatchObject({ owner: owner.email, totalSize: bundle.totalSize });
    expect((await api(owner).get(`/api/v1/bundles/${bundle.id}`).expect(200)).body.owner).toBe(
      undefined,
    );
    expect((await api(recipient).bytes(`/api/v1/files/${fileIds[1]}/content`)).body).toEqual(
      contents[1],
    );

    const head = await t
      .http()
      .head(`/api/v1/bundles/${bundle.id}/archive`)
      .set('Authorization', recipient.bearer)
      .expect(200);
    const archive = await api(recipient).bytes(`/api/v1/bundles/${bundle.id}/archive`);
    expect(archive.status).toBe(200);
    expect(archive.headers['content-type']).toBe('application/zip');
    expect(Number(head.headers['content-length'])).toBe((archive.body as Buffer).length);
    const zip = await inspectZipBytes(archive.body as Buffer);
    expect(zip.firstBadEntry).toBeNull();
    expect(zip.entries.map(({ name, sha256: digest }) => ({ name, digest }))).toEqual(
      contents.map((data, index) => ({ name: `part-${index}.txt`, digest: sha256(data) })),
    );
    await auditEvent(t, {
      type: 'bundle_archive_downloaded',
      'actor.userId': recipient.id,
      'details.bundleId': bundle.id,
      'details.fileIds': fileIds.join(','),
    });
    // The HEAD before it read nothing and recorded no download.
    await expect(
      collection(t, 'audit_events').countDocuments({
        type: 'bundle_archive_downloaded',
        'details.bundleId': bundle.id,
      }),
    ).resolves.toBe(1);

    await api(owner).delete(`/api/v1/bundles/${bundle.id}/shares/${shareId}`).expect(204);
    await api(recipient).get(`/api/v1/bundles/${bundle.id}`).expect(404);
    await api(recipient).get(`/api/v1/bundles/${bundle.id}/archive`).expect(404);
    expect((await sharedWith(recipient)).total).toBe(0);
  });

  it('reaches the members of a group it is shared with, and ends for a member removed', async () => {
    const { bundle } = await sharedBundle('Team pack', { groupId });
    expect((await sharedWith(member)).items.map((item) => item.id)).toEqual([bundle.id]);
    expect((await sharedWith(owner)).items).toEqual([]);
    expect((await api(member).bytes(`/api/v1/bundles/${bundle.id}/archive`)).status).toBe(200);

    await api(admin).delete(`/api/v1/groups/${groupId}/members/${member.id}`).expect(204);
    await api(member).get(`/api/v1/bundles/${bundle.id}`).expect(404);
    await api(member).get(`/api/v1/bundles/${bundle.id}/archive`).expect(404);
    expect((await sharedWith(member)).total).toBe(0);
  });

  it('is 404 to anyone it is not shared with, and leaves out a file taken out of it', async () => {
    const { bundle } = await sharedBundle('Partial', { email: recipient.email });
    await api(stranger).get(`/api/v1/bundles/${bundle.id}`).expect(404);
    await api(stranger).get(`/api/v1/bundles/${bundle.id}/archive`).expect(404);
    await api(admin).get(`/api/v1/bundles/${bundle.id}/archive`).expect(404);
    expect((await sharedWith(stranger)).items).toEqual([]);

    await api(owner).delete(`/api/v1/bundles/${bundle.id}/files/${fileIds[0]}`).expect(204);
    const opened = (await api(recipient).get(`/api/v1/bundles/${bundle.id}`).expect(200))
      .body as BundleBody;
    expect(opened.files.map((file) => file.id)).toEqual([fileIds[1]]);
    const zip = await inspectZipBytes(
      (await api(recipient).bytes(`/api/v1/bundles/${bundle.id}/archive`)).body as Buffer,
    );
    expect(zip.entries.map((entry) => entry.name)).toEqual(['part-1.txt']);
  });

  it('pages the shared list and says what is wrong with a bad query', async () => {
    const second = await signUp(t, 'shared-bundle-pager');
    const names = ['One', 'Two', 'Three'];
    for (const name of names) await sharedBundle(name, { email: second.email });
    const first = await sharedWith(second, '&limit=2');
    expect(first).toMatchObject({ page: 1, limit: 2, total: 3 });
    expect(first.items.map((item) => item.name)).toEqual(['Three', 'Two']);
    expect((await sharedWith(second, '&limit=2&page=2')).items.map((item) => item.name)).toEqual([
      'One',
    ]);
    const bad = await api(second).get('/api/v1/bundles?scope=everyone').expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('scope must be mine or shared');
    await api(second).get('/api/v1/bundles?scope=shared&limit=0').expect(400);
  });
});
