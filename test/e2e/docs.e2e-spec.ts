import { createTestApp, type TestApp } from '../support/test-app';

describe('API documentation', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Behind one proxy, as with the bundled nginx, so X-Forwarded-Proto says how the browser came.
    t = await createTestApp({ env: { TRUST_PROXY: '1' } });
  });
  afterAll(() => t.close());

  it('serves Swagger UI at /docs', async () => {
    const res = await t.http().get('/docs').redirects(1).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('swagger-ui');
  });

  it('lets a browser on plain HTTP load the page: no upgrade-insecure-requests there', async () => {
    const plain = await t.http().get('/docs/').expect(200);
    expect(plain.headers['content-security-policy']).toContain("default-src 'self'");
    expect(plain.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    const overTls = await t.http().get('/docs/').set('X-Forwarded-Proto', 'https').expect(200);
    expect(overTls.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });

  it('serves an OpenAPI 3 document at /docs-json with bearer auth and the routes', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.info).toMatchObject({ title: 'Strongroom API', version: t.config.version });
    expect(res.body.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/health', '/health/live', '/health/ready', '/metrics', '/api/v1']),
    );
    expect(res.body.paths['/health/ready'].get.responses).toHaveProperty('503');
    expect(res.body.components.schemas).toHaveProperty('ErrorResponse');
  });
});
