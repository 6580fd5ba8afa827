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
  const shared = async (query: Record<string, string | number>) => {
    const res = await t
      .http()
      .get('/api/v1/files')
      .query({ scope: 'shared', ...query })
      .set(as(reader))
      .expect(200);
    return {
      total: res.body.total as number,
      names: (res.body.items as { name: string }[]).map((file) => file.name),
    };
  };

  beforeAll(async () => {
    t = await createTestApp({ env: ADMIN_ENV });
    admin = await firstAdmin(t);
    let bob: Account;
    [reader, alice, bob] = await Promise.all(
      ['shared-reader', 'shared-alice', 'shared-bob'].map((label) => signUp(t, label)),
    );
    const group = await t
      .http()
      .post('/api/v1/groups')
      .set(as(admin))
      .send({ name: 'Shared list readers' })
      .expect(201);
    for (const member of [reader, alice]) {
      await t
        .http()
        .post(`/api/v1/groups/${group.body.id}/members`)
        .set(as(admin))
        .send({ email: member.email })
        .expect(201);
    }
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
    await share(alice, 'charlie.txt', { groupId: group.body.id });
    await share(alice, 'delta.txt', { groupId: group.body.id });
    // Reached twice, listed and counted once.
    await share(alice, 'alpha.txt', { groupId: group.body.id });
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
    const groupIds: string[] = [];
    for (const name of ['First team', 'Second team']) {
      const group = await t.http().post('/api/v1/groups').set(as(admin)).send({ name }).expect(201);
      for (const account of [member, owner]) {
        await t
          .http()
          .post(`/api/v1/groups/${group.body.id}/members`)
          .set(as(admin))
          .send({ email: account.email })
          .expect(201);
      }
      groupIds.push(group.body.id);
    }
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
});
