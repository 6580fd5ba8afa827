import type {
  OpenAPIObject,
  ReferenceObject,
  RequestBodyObject,
  SchemaObject,
} from '@nestjs/swagger';

const COMPONENT_REF = /^#\/components\/schemas\/(.+)$/;

/**
 * Makes the document say what the global ValidationPipe does to every request body, once for all
 * routes rather than on each DTO: `forbidNonWhitelisted` refuses a property the body does not
 * declare (`additionalProperties: false`), and a missing body is validated as `{}`, so a body that
 * requires no property may be left out (`required: false`).
 */
export function describeRequestBodiesAsValidated(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  const resolve = (schema: SchemaObject | ReferenceObject): SchemaObject | undefined => {
    if (!('$ref' in schema)) return schema;
    const name = COMPONENT_REF.exec(schema.$ref)?.[1];
    const target = name === undefined ? undefined : schemas[name];
    return target === undefined ? undefined : resolve(target);
  };

  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem)) {
      const body = (operation as { requestBody?: RequestBodyObject | ReferenceObject } | undefined)
        ?.requestBody;
      if (!body || '$ref' in body) continue;
      const objects = Object.values(body.content)
        .map((media) => (media.schema ? resolve(media.schema) : undefined))
        .filter((schema): schema is SchemaObject => schema?.type === 'object');
      if (objects.length === 0) continue;
      for (const schema of objects) schema.additionalProperties ??= false;
      if (objects.every((schema) => !schema.required?.length)) body.required = false;
    }
  }
  return document;
}
