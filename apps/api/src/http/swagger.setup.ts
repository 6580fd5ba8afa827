import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponse } from '@strongroom/common';
import type { AppConfig } from '@strongroom/config';
import { describeRequestBodiesAsValidated } from './openapi-request-bodies';

export const DOCS_PATH = 'docs';

const SIGN_IN_HELP = [
  'Secure file sharing: accounts, files, shares, links and audit.',
  '',
  '**To call the routes here:** open `POST /api/v1/auth/login`, choose *Try it out*, send your',
  'email and password, copy `accessToken` from the answer, then press **Authorize** and paste it.',
  'An access token lives 15 minutes by default; `POST /api/v1/auth/refresh` gives a new one.',
].join('\n');

/** Swagger UI at /docs and the OpenAPI 3 document at /docs-json. */
export function setupSwagger(app: INestApplication, config: AppConfig): void {
  const document = describeRequestBodiesAsValidated(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Strongroom API')
        .setDescription(SIGN_IN_HELP)
        .setVersion(config.version)
        .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
        .build(),
      { extraModels: [ErrorResponse] },
    ),
  );
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    yamlDocumentUrl: `${DOCS_PATH}-yaml`,
    // Keeping the token across reloads puts it in the page's localStorage: a convenience for a
    // developer's own machine, never for a deployment.
    swaggerOptions: { persistAuthorization: config.environment === 'development' },
  });
}
