import { BundleItemFieldsMigration } from '@strongroom/bundles';
import { SharedFileFieldsMigration } from '@strongroom/files';
import { type Account, ADMIN_ENV, collection, firstAdmin, signUp } from '../../support/accounts';
import { upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

/** scope=shared read a page at a time off the shares' own indexes: same sorts, pages and totals. */
describe('files shared with me (scope=shared)', () => {
  let t: TestApp;
  let reader: Account;
  let alice: Account;
  let admin: Account;
  const ids: Record<string, string> = {};

  const as = (account: Account) => ({ Authorization: account.bearer });
  const sharedWith = async (account: Account, query: Record<string, string | number>) => {
    const res = await t
      .http()
      .get('/api/v1/files')
      .query({ scope: 'shared', ...query })
      .set(as(account))
      .expect(200);
    return {
      total: res.body.total as number,
      names: (res.body.items as { name: string }[]).map((file) => file.name),
    };
  };
  const shared = (query: Record<string, string | number>) => sharedWith(reader, query);
  /** A group the admin makes, with these members; its id. */
  const groupOf = async (name: string, members: Account[]) => {
    const group = await t.http().post('/api/v1/groups').set(as(admin)).send({ name }).expect(201);
    for (const member of members) {
      await t
        .http()
        .post(`/api/v1/groups/${group.body.id}/members`)
        .set(as(admin))
        .send({ email: member.email })
        .expect(201);
    }
    return group.body.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp({ env: ADMIN_ENV });
    admin = await firstAdmin(t);
    let bob: Account;
    [reader, alice, bob] = await Promise.all(
      ['shared-reader', 'shared-alice', 'shared-bob'].map((label) => signUp(t, label)),
    );
    const groupId = await groupOf('Shared list readers', [reader, alice]);
    // Sizes out of name order, uploads in neither, so each sort gives its own order.
    const files: [Account, string, number][] = [
      [alice, 'delta.txt', 40],
      [bob, 'bravo.txt', 50],
      [alice, 'alpha.txt', 30],
      [bob, 'echo.txt', 20],
      [alice, 'charlie.txt', 10],
    ];
    for (const [owner, name, size] of files) {
      ids[name] = (await upload(t, owner, Buffer.alloc(size, 'x'), name).expect(201)).body.id;
    }
    const share = (owner: Account, name: string, to: object) =>
      t.http().post(`/api/v1/files/${ids[name]}/shares`).set(as(owner)).send(to).expect(201);
    await share(alice, 'alpha.txt', { email: reader.email });
    await share(bob, 'bravo.txt', { email: reader.email });
    await share(bob, 'echo.txt', { email: reader.email });
    await share(alice, 'charlie.txt', { groupId });
    await share(alice, 'delta.txt', { groupId });
    // Reached twice, listed and counted once.
    await share(alice, 'alpha.txt', { groupId });
  });
  afterAll(() => t.close());

  it('merges direct and group shares in each sort, each file once, with the total', async () => {
    const byName = ['alpha.txt', 'bravo.txt', 'charlie.txt', 'delta.txt', 'echo.txt'];
    expect(await shared({ sort: 'name' })).toEqual({ total: 5, names: byName });
    expect(await shared({ sort: '-name' })).toEqual({ total: 5, names: [...byName].reverse() });
    const bySize = ['charlie.txt', 'echo.txt', 'alpha.txt', 'delta.txt', 'bravo.txt'];
    expect(await shared({ sort: 'size' })).toEqual({ total: 5, names: bySize });
    expect(await shared({ sort: '-size' })).toEqual({ total: 5, names: [...bySize].reverse() });
    const byUpload = ['delta.txt', 'bravo.txt', 'alpha.txt', 'echo.txt', 'charlie.txt'];
    expect(await shared({})).toEqual({ total: 5, names: [...byUpload].reverse() });
    expect(await shared({ sort: 'uploadedAt' })).toEqual({ total: 5, names: byUpload });
  });

  it('pages through the merged order', async () => {
    const pages = [];
    for (const page of [1, 2, 3, 4]) pages.push(await shared({ sort: 'name', limit: 2, page }));
    expect(pages).toEqual([
      { total: 5, names: ['alpha.txt', 'bravo.txt'] },
      { total: 5, names: ['charlie.txt', 'delta.txt'] },
      { total: 5, names: ['echo.txt'] },
      { total: 5, names: [] },
    ]);
  });

  it('searches by name among the shared files', async () => {
    expect(await shared({ q: 'CH' })).toEqual({ total: 1, names: ['charlie.txt'] });
    expect(await shared({ q: 'txt', sort: '-name', limit: 2 })).toEqual({
      total: 5,
      names: ['echo.txt', 'delta.txt'],
    });
    expect(await shared({ q: 'lpha' })).toEqual({ total: 0, names: [] });
  });

  it('sorts and finds a renamed file by its new name', async () => {
    await t
      .http()
      .patch(`/api/v1/files/${ids['charlie.txt']}`)
      .set(as(alice))
      .send({ name: 'zulu.txt' })
      .expect(200);
    expect((await shared({ sort: 'name' })).names).toEqual([
      'alpha.txt',
      'bravo.txt',
      'delta.txt',
      'echo.txt',
      'zulu.txt',
    ]);
    expect(await shared({ q: 'zul' })).toEqual({ total: 1, names: ['zulu.txt'] });
    expect(await shared({ q: 'charl' })).toEqual({ total: 0, names: [] });
  });

  it('gives shares made before this their file’s sort fields at start-up', async () => {
    const unset = { $unset: { name: '', size: '', uploadedAt: '', nameKeys: '' } };
    await collection(t, 'shares').updateMany({}, unset);
    await collection(t, 'group_shares').updateMany({}, unset);
    await t.app.get(SharedFileFieldsMigration).onModuleInit();
    expect(await shared({ sort: '-size' })).toEqual({
      total: 5,
      names: ['bravo.txt', 'delta.txt', 'alpha.txt', 'echo.txt', 'zulu.txt'],
    });
    expect(await shared({ q: 'del' })).toEqual({ total: 1, names: ['delta.txt'] });
  });

  it('pages past a file that reaches the reader through two of their groups', async () => {
    const [member, owner] = await Promise.all(
      ['two-groups-member', 'two-groups-owner'].map((label) => signUp(t, label)),
    );
    const groupIds = [
      await groupOf('First team', [member, owner]),
      await groupOf('Second team', [member, owner]),
    ];
    const shareOut = async (name: string, ...recipients: object[]) => {
      const id = (await upload(t, owner, Buffer.from(name), name).expect(201)).body.id;
      for (const to of recipients) {
        await t.http().post(`/api/v1/files/${id}/shares`).set(as(owner)).send(to).expect(201);
      }
    };
    await shareOut('a-both.txt', { groupId: groupIds[0] }, { groupId: groupIds[1] });
    await shareOut('c-one.txt', { groupId: groupIds[0] });
    await shareOut('e-direct.txt', { email: member.email });
    const page = async (n: number) => {
      const res = await t
        .http()
        .get('/api/v1/files')
        .query({ scope: 'shared', sort: 'name', limit: 2, page: n })
        .set(as(member))
        .expect(200);
      return (res.body.items as { name: string }[]).map((file) => file.name);
    };
    // The group shares' first two rows are both a-both.txt: reading no further left c-one.txt
    // off the first page and, on the second, before the slice it shows.
    expect([await page(1), await page(2)]).toEqual([['a-both.txt', 'c-one.txt'], ['e-direct.txt']]);
  });

  describe('files reached through shared bundles', () => {
    let packer: Account;
    let taker: Account;
    const packed: Record<string, string> = {};
    const listed = (query: Record<string, string | number>) => sharedWith(taker, query);
    /** Every page of `limit` in turn, to the first empty one: the names and each page's total. */
    const allPages = async (sort: string, limit = 2) => {
      const names: string[] = [];
      const totals = new Set<number>();
      for (let page = 1; ; page++) {
        const result = await listed({ sort, limit, page });
        totals.add(result.total);
        if (result.names.length === 0) break;
        expect(result.names.length).toBeLessThanOrEqual(limit);
        names.push(...result.names);
      }
      return { totals: [...totals], names };
    };

    beforeAll(async () => {
      [packer, taker] = await Promise.all(
        ['bundle-packer', 'bundle-taker'].map((label) => signUp(t, label)),
      );
      const teamId = await groupOf('Bundle takers', [packer, taker]);
      // Upload order, sizes and names each give their own order.
      const files: [string, number][] = [
        ['kilo.txt', 70],
        ['a-both.txt', 30],
        ['golf.txt', 10],
        ['b-both.txt', 60],
        ['mike.txt', 20],
        ['india.txt', 50],
        ['delta.txt', 40],
      ];
      for (const [name, size] of files) {
        packed[name] = (await upload(t, packer, Buffer.alloc(size, 'y'), name).expect(201)).body.id;
      }
      const bundleOf = async (name: string, members: string[], to: object) => {
        const fileIds = members.map((member) => packed[member]);
        const bundle = await t
          .http()
          .post('/api/v1/bundles')
          .set(as(packer))
          .send({ name, fileIds })
          .expect(201);
        await t
          .http()
          .post(`/api/v1/bundles/${bundle.body.id}/shares`)
          .set(as(packer))
          .send(to)
          .expect(201);
        return bundle.body.id as string;
      };
      // a-both.txt and b-both.txt are in both bundles; golf.txt is also shared directly.
      await bundleOf('First pack', ['kilo.txt', 'a-both.txt', 'golf.txt', 'b-both.txt'], {
        email: taker.email,
      });
      packed.second = await bundleOf(
        'Second pack',
        ['a-both.txt', 'b-both.txt', 'mike.txt', 'india.txt'],
        { groupId: teamId },
      );
      for (const name of ['delta.txt', 'golf.txt']) {
        await t
          .http()
          .post(`/api/v1/files/${packed[name]}/shares`)
          .set(as(packer))
          .send({ email: taker.email })
          .expect(201);
      }
    });

    const byName = [
      'a-both.txt',
      'b-both.txt',
      'delta.txt',
      'golf.txt',
      'india.txt',
      'kilo.txt',
      'mike.txt',
    ];
    const bySize = [
      'golf.txt',
      'mike.txt',
      'a-both.txt',
      'delta.txt',
      'india.txt',
      'b-both.txt',
      'kilo.txt',
    ];
    const byUpload = [
      'kilo.txt',
      'a-both.txt',
      'golf.txt',
      'b-both.txt',
      'mike.txt',
      'india.txt',
      'delta.txt',
    ];

    it('pages through bundles and shares merged in every sort, each file once', async () => {
      // Pages of 2 put the repeats (a file in both bundles, or in a bundle and shared directly)
      // at a page's head, across a page boundary and inside a page, in one sort or another.
      for (const [sort, names] of [
        ['name', byName],
        ['-name', [...byName].reverse()],
        ['size', bySize],
        ['-size', [...bySize].reverse()],
        ['uploadedAt', byUpload],
        ['-uploadedAt', [...byUpload].reverse()],
      ] as const) {
        expect({ sort, ...(await allPages(sort)) }).toEqual({ sort, totals: [7], names });
      }
      expect({ pagesOf3: await allPages('name', 3) }).toEqual({
        pagesOf3: { totals: [7], names: byName },
      });
    });

    it('searches by name among the bundled files', async () => {
      expect(await listed({ q: 'kil' })).toEqual({ total: 1, names: ['kilo.txt'] });
      expect(await listed({ q: 'txt', sort: '-name', limit: 2 })).toEqual({
        total: 7,
        names: ['mike.txt', 'kilo.txt'],
      });
    });

    it('sorts and finds a renamed bundled file by its new name', async () => {
      await t
        .http()
        .patch(`/api/v1/files/${packed['mike.txt']}`)
        .set(as(packer))
        .send({ name: 'alpha.txt' })
        .expect(200);
      expect((await listed({ sort: 'name', limit: 3 })).names).toEqual([
        'a-both.txt',
        'alpha.txt',
        'b-both.txt',
      ]);
      expect(await listed({ q: 'alph' })).toEqual({ total: 1, names: ['alpha.txt'] });
      expect(await listed({ q: 'mik' })).toEqual({ total: 0, names: [] });
    });

    it('gives bundle items made before this their file’s sort fields at start-up', async () => {
      await collection(t, 'bundle_items').updateMany(
        {},
        { $unset: { name: '', size: '', uploadedAt: '', nameKeys: '' } },
      );
      await t.app.get(BundleItemFieldsMigration).onModuleInit();
      const renamed = bySize.map((name) => (name === 'mike.txt' ? 'alpha.txt' : name));
      expect(await allPages('size')).toEqual({ totals: [7], names: renamed });
      expect(await listed({ q: 'alph' })).toEqual({ total: 1, names: ['alpha.txt'] });
    });

    it('leaves out a file taken out of the bundles or deleted', async () => {
      await t
        .http()
        .delete(`/api/v1/bundles/${packed.second}/files/${packed['mike.txt']}`)
        .set(as(packer))
        .expect(204);
      await t.http().delete(`/api/v1/files/${packed['india.txt']}`).set(as(packer)).expect(204);
      expect(await allPages('-size')).toEqual({
        totals: [5],
        names: ['kilo.txt', 'b-both.txt', 'delta.txt', 'a-both.txt', 'golf.txt'],
      });
    });
  });
});
