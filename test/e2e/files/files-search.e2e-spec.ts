import { Types } from 'mongoose';
import { FileNameKeysMigration } from '@strongroom/files';
import { type Account, ADMIN_ENV, collection, firstAdmin, signUp } from '../../support/accounts';
import { upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('files: search by name, served by an index', () => {
  let t: TestApp;
  let admin: Account;
  let dana: Account;

  beforeAll(async () => {
    t = await createTestApp({ env: ADMIN_ENV });
    admin = await firstAdmin(t);
    dana = await signUp(t, 'dana');
    for (const name of ['Quiet-Invoice-2024.pdf', 'banana.txt', 'Café menu.txt']) {
      await upload(t, dana, Buffer.from(name), name).expect(201);
    }
  });
  afterAll(() => t.close());

  const search = async (account: Account, q: string, scope = 'mine') => {
    const res = await t
      .http()
      .get(`/api/v1/files?scope=${scope}&q=${encodeURIComponent(q)}&sort=name`)
      .set('Authorization', account.bearer)
      .expect(200);
    return (res.body as { items: { name: string }[]; total: number }).items.map(
      (item) => item.name,
    );
  };

  it('finds a name by the start of any of its words, in any case', async () => {
    expect(await search(dana, 'INV')).toEqual(['Quiet-Invoice-2024.pdf']);
    expect(await search(dana, 'invoice-20')).toEqual(['Quiet-Invoice-2024.pdf']);
    expect(await search(dana, '2024')).toEqual(['Quiet-Invoice-2024.pdf']);
    expect(await search(dana, '.TXT')).toEqual(['Café menu.txt', 'banana.txt']);
    expect(await search(dana, 'menu')).toEqual(['Café menu.txt']);
    expect(await search(dana, 'cafe\u0301')).toEqual(['Café menu.txt']);
  });

  it('does not match inside a word: a prefix walks the index, a substring would not', async () => {
    expect(await search(dana, 'voice')).toEqual([]);
    expect(await search(dana, 'anana')).toEqual([]);
  });

  it('has the indexes the search walks, for the owner and for scope=all', async () => {
    const indexes = await collection(t, 'files').indexes();
    const keys = indexes.map((index) => JSON.stringify(index.key));
    expect(keys).toContain(JSON.stringify({ uploader: 1, status: 1, nameKeys: 1 }));
    expect(keys).toContain(JSON.stringify({ status: 1, nameKeys: 1 }));
    expect(await search(admin, 'banana', 'all')).toEqual(['banana.txt']);
  });

  it('finds a renamed file by its new name only', async () => {
    const [file] = (
      await t.http().get('/api/v1/files?q=banana').set('Authorization', dana.bearer).expect(200)
    ).body.items as { id: string }[];
    await t
      .http()
      .patch(`/api/v1/files/${file.id}`)
      .set('Authorization', dana.bearer)
      .send({ name: 'Mango smoothie.txt' })
      .expect(200);
    expect(await search(dana, 'smoo')).toEqual(['Mango smoothie.txt']);
    expect(await search(dana, 'banana')).toEqual([]);
  });

  it('gives files stored before the index their keys at start-up', async () => {
    const me = await t.http().get('/api/v1/users/me').set('Authorization', dana.bearer).expect(200);
    await collection(t, 'files').insertOne({
      _id: new Types.ObjectId(),
      uploader: new Types.ObjectId(me.body.id as string),
      name: 'Legacy Ledger.xlsx',
      size: 1,
      contentType: 'application/octet-stream',
      storageDriver: 'local',
      storageKey: `legacy-${new Types.ObjectId().toHexString()}`,
      status: 'ready',
      createdAt: new Date(),
      uploadedAt: new Date(),
    });
    expect(await search(dana, 'ledger')).toEqual([]);
    await t.app.get(FileNameKeysMigration).onModuleInit();
    expect(await search(dana, 'ledger')).toEqual(['Legacy Ledger.xlsx']);
  });
});
