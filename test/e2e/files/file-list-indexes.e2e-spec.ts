import { collection } from '../../support/accounts';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('indexes behind the file list', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each(['uploadedAt', 'name', 'size'])(
    'serves a page sorted by %s, for the owner and for scope=all, in index order',
    async (field) => {
      const keys = (await collection(t, 'files').indexes()).map((index) => index.key);
      expect(keys).toEqual(
        expect.arrayContaining([
          { uploader: 1, status: 1, [field]: 1, _id: 1 },
          { status: 1, [field]: 1, _id: 1 },
        ]),
      );
    },
  );

  it.each([
    ['shares', 'userId'],
    ['group_shares', 'groupId'],
    ['bundle_items', 'bundleId'],
  ])('serves scope=shared off %s in each sort and for a search', async (grants, grantee) => {
    const keys = (await collection(t, grants).indexes()).map((index) => index.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        ...['uploadedAt', 'name', 'size'].map((field) => ({ [grantee]: 1, [field]: 1, fileId: 1 })),
        { [grantee]: 1, nameKeys: 1 },
      ]),
    );
  });
});
