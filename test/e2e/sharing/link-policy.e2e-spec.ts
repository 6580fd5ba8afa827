import { signUp } from '../../support/accounts';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('GET /api/v1/links/policy', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      env: { LINK_DEFAULT_TTL: '2d', LINK_MAX_TTL: '10d', LINK_REQUIRE_PASSWORD: 'true' },
    });
  });
  afterAll(() => t?.close());

  it('tells a signed-in client what links it may offer', async () => {
    const account = await signUp(t, 'policy');
    const res = await t
      .http()
      .get('/api/v1/links/policy')
      .set('Authorization', account.bearer)
      .expect(200);
    expect(res.body).toEqual({
      defaultTtlSeconds: 2 * 86_400,
      maxTtlSeconds: 10 * 86_400,
      requirePassword: true,
      maxDownloadsLimit: 1_000_000,
      publicLinksAllowed: true,
      verifyRecipients: false,
      allowedRecipientDomains: null,
    });
  });

  it('is not public', async () => {
    await t.http().get('/api/v1/links/policy').expect(401);
  });

  it('is in the API document', async () => {
    const doc = await t.http().get('/docs-json').expect(200);
    expect(doc.body.paths['/api/v1/links/policy'].get.responses['200']).toBeDefined();
  });
});
