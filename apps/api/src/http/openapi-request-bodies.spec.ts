import type { OpenAPIObject } from '@nestjs/swagger';
import { describeRequestBodiesAsValidated } from './openapi-request-bodies';

const documentWith = (paths: OpenAPIObject['paths'], schemas = {}): OpenAPIObject => ({
  openapi: '3.0.0',
  info: { title: 'test', version: '1' },
  paths,
  components: { schemas },
});

describe('describeRequestBodiesAsValidated', () => {
  it('closes referenced and inline object bodies', () => {
    const document = describeRequestBodiesAsValidated(
      documentWith(
        {
          '/links': {
            post: {
              responses: {},
              requestBody: {
                required: true,
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Link' } } },
              },
            },
          },
          '/files': {
            post: {
              responses: {},
              requestBody: {
                required: true,
                content: {
                  'multipart/form-data': {
                    schema: {
                      type: 'object',
                      required: ['file'],
                      properties: { file: { type: 'string', format: 'binary' } },
                    },
                  },
                },
              },
            },
          },
        },
        { Link: { type: 'object', properties: { expiresAt: { type: 'string' } } } },
      ),
    );
    expect(document.components?.schemas?.Link).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: { expiresAt: { type: 'string' } },
    });
    expect(document.paths['/links'].post?.requestBody).toMatchObject({ required: false });
    const upload = document.paths['/files'].post?.requestBody as {
      required: boolean;
      content: Record<string, { schema: object }>;
    };
    expect(upload.required).toBe(true);
    expect(upload.content['multipart/form-data'].schema).toEqual({
      type: 'object',
      required: ['file'],
      additionalProperties: false,
      properties: { file: { type: 'string', format: 'binary' } },
    });
  });

  it('leaves bodies that are not objects alone', () => {
    const body = { required: true, content: { 'text/plain': { schema: { type: 'string' } } } };
    const document = describeRequestBodiesAsValidated(
      documentWith({ '/raw': { put: { responses: {}, requestBody: body } } }),
    );
    expect(document.paths['/raw'].put?.requestBody).toEqual(body);
  });
});
