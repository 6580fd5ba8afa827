import { createTestApp, type TestApp } from '../support/test-app';

describe('API documentation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('serves Swagger UI at /docs', async () => {
    const res = await t.http().get('/docs').redirects(1).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('swagger-ui');
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

  it('declares the tus routes method by method, with their headers and statuses', async () => {
    const { paths } = (await t.http().get('/docs-json').expect(200)).body;
    const uploads = paths['/api/v1/uploads'];
    const upload = paths['/api/v1/uploads/{id}'];
    expect(Object.keys(uploads).sort()).toEqual(['options', 'post']);
    expect(Object.keys(upload).sort()).toEqual(['delete', 'head', 'patch']);
    expect(uploads.post.responses['201'].headers).toHaveProperty('Location');
    expect(uploads.post.responses).toHaveProperty('413');
    expect(upload.patch.responses['204'].headers).toHaveProperty('Upload-Offset');
    expect(upload.patch.responses).toHaveProperty('409');
    expect(upload.head.responses['200'].headers).toHaveProperty('Upload-Length');
    const headerNames = (operation: { parameters: Array<{ in: string; name: string }> }) =>
      operation.parameters.filter((p) => p.in === 'header').map((p) => p.name);
    expect(headerNames(uploads.post)).toEqual(
      expect.arrayContaining(['Tus-Resumable', 'Upload-Length']),
    );
    expect(headerNames(upload.patch)).toEqual(
      expect.arrayContaining(['Tus-Resumable', 'Upload-Offset']),
    );
  });
});
