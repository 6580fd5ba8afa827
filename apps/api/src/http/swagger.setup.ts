import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponse } from '@strongroom/common';
import type { AppConfig } from '@strongroom/config';
import { describeRequestBodiesAsValidated } from './openapi-request-bodies';

export const DOCS_PATH = 'docs';

/** Swagger UI at /docs and the OpenAPI 3 document at /docs-json. */
export function setupSwagger(app: INestApplication, config: AppConfig): void {
  const document = describeRequestBodiesAsValidated(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Strongroom API')
        .setDescription('Secure file sharing: accounts, files, shares, links and audit.')
        .setVersion(config.version)
        .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
        .build(),
      { extraModels: [ErrorResponse] },
    ),
  );
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    yamlDocumentUrl: `${DOCS_PATH}-yaml`,
    swaggerOptions: { persistAuthorization: false },
  });
}
