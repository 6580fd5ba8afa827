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

  describe('/docs-json says what the server does', () => {
    interface Schema {
      $ref?: string;
      type?: string;
      pattern?: string;
      format?: string;
      nullable?: boolean;
      additionalProperties?: unknown;
      properties?: Record<string, Schema>;
    }
    interface Media {
      schema?: Schema;
      example?: unknown;
    }
    interface Operation {
      operationId?: string;
      parameters?: { name: string; schema: Schema }[];
      requestBody?: { required?: boolean; content: Record<string, Media> };
      responses: Record<
        string,
        {
          content?: Record<string, Media>;
          links?: Record<string, { operationId?: string; parameters?: object }>;
        }
      >;
    }
    let doc: {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, Schema> };
    };
    let operations: Operation[];
    beforeAll(async () => {
      doc = (await t.http().get('/docs-json').expect(200)).body;
      operations = Object.values(doc.paths).flatMap((item) => Object.values(item));
    });
    const resolve = (schema: Schema): Schema =>
      schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop() as string] : schema;
    const propertyOf = (name: string, property: string) =>
      doc.components.schemas[name].properties?.[property];

    it('types whole-number inputs as integers', () => {
      const query = doc.paths['/api/v1/files'].get.parameters ?? [];
      for (const name of ['page', 'limit']) {
        expect(query.find((parameter) => parameter.name === name)?.schema.type).toBe('integer');
      }
      expect(propertyOf('CreateLinkRequest', 'maxDownloads')?.type).toBe('integer');
      expect(propertyOf('UpdateUserRequest', 'quota')?.type).toBe('integer');
    });

    it('gives the audit filters the formats they are checked against', () => {
      const query = doc.paths['/api/v1/audit-events'].get.parameters ?? [];
      const schemaOf = (name: string) => query.find((parameter) => parameter.name === name)?.schema;
      for (const name of ['actor', 'fileId']) {
        expect(schemaOf(name)).toMatchObject({ pattern: '^[0-9a-fA-F]{24}$' });
      }
      for (const name of ['from', 'to']) {
        expect(schemaOf(name)).toMatchObject({ format: 'date-time' });
      }
    });

    it('forbids unknown properties in every JSON request body, as the validation pipe does', () => {
      const bodies = operations
        .flatMap((operation) => Object.values(operation.requestBody?.content ?? {}))
        .map((media) => resolve(media.schema ?? {}))
        // Bytes (a tus PATCH) have no properties to forbid.
        .filter((schema) => schema.format !== 'binary');
      expect(bodies.length).toBeGreaterThan(10);
      for (const schema of bodies) expect(schema.additionalProperties).toBe(false);
    });

    it('lets a body that requires nothing be left out', () => {
      expect(doc.paths['/api/v1/files/{id}/links'].post.requestBody?.required).toBe(false);
      expect(doc.paths['/api/v1/users/me/password'].patch.requestBody?.required).toBe(true);
    });

    it('links a created share link’s token to the public link operations', () => {
      const created = doc.paths['/api/v1/files/{id}/links'].post.responses['201'];
      const links = Object.values(created.links ?? {});
      const publicIds = Object.values(doc.paths['/api/v1/public/links/{token}'])
        .concat(Object.values(doc.paths['/api/v1/public/links/{token}/unlock']))
        .concat(Object.values(doc.paths['/api/v1/public/links/{token}/content']))
        .map((operation) => operation.operationId);
      expect(links.map((link) => link.operationId).sort()).toEqual(publicIds.sort());
      for (const link of links) {
        expect(link.parameters).toEqual({ token: '$response.body#/token' });
      }
    });

    it('documents downloads as any media type and their errors as JSON', () => {
      for (const [path, success] of [
        ['/api/v1/files/{id}/content', ['200', '206']],
        ['/api/v1/public/links/{token}/content', ['200']],
      ] as const) {
        const responses = doc.paths[path].get.responses;
        for (const status of success) {
          expect(Object.keys(responses[status].content ?? {})).toEqual(['*/*']);
        }
        for (const status of ['404', '500']) {
          expect(Object.keys(responses[status].content ?? {})).toEqual(['application/json']);
        }
      }
    });

    it('gives each error response an example of its own status', () => {
      const errors = operations
        .flatMap((operation) => Object.entries(operation.responses))
        .filter(([, response]) =>
          Object.values(response.content ?? {}).some(
            (media) => media.schema?.$ref === '#/components/schemas/ErrorResponse',
          ),
        );
      expect(errors.length).toBeGreaterThan(50);
      for (const [status, response] of errors) {
        expect(response.content?.['application/json']?.example).toMatchObject({
          statusCode: Number(status),
          error: expect.any(String),
          message: expect.anything(),
        });
      }
    });
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
