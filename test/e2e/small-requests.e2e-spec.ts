import { signUp } from '../support/accounts';
import { upload } from '../support/files';
import { createTestApp, type TestApp } from '../support/test-app';

describe('small API answers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('JSON carries no ETag; a download keeps its SHA-256 ETag', async () => {
    const account = await signUp(t, 'small-requests');
    const first = await t.http().get('/api/v1/users/me').set('Authorization', account.bearer);
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBeUndefined();

    const file = (await upload(t, account, Buffer.from('conditional'), 'c.txt').expect(201))
      .body as { id: string; sha256: string };
    const meta = await t
      .http()
      .get(`/api/v1/files/${file.id}`)
      .set('Authorization', account.bearer);
    expect(meta.headers.etag).toBeUndefined();
    const content = await t
      .http()
      .get(`/api/v1/files/${file.id}/content`)
      .set('Authorization', account.bearer)
      .expect(200);
    expect(content.headers.etag).toBe(`"${file.sha256}"`);
  });
});
