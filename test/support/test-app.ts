import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { getConnectionToken } from '@nestjs/mongoose';
import { AbstractLoader, ExpressLoader } from '@nestjs/serve-static';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { type AppConfig, loadConfig, type RawEnvironment } from '@strongroom/config';
import {
  assertTestDatabase,
  createTempDir,
  freeLoopbackPort,
  testServerUrl,
  uniqueTestDatabaseUrl,
} from '@strongroom/testing';
import { AppModule } from '../../apps/api/src/app.module';
import { configureHttpApp } from '../../apps/api/src/http/configure-http-app';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: RawEnvironment;
  /** Keep the database after close (tests that restart the app on the same data). */
  keepDatabase?: boolean;
  /** Replaces providers before the app is built (benchmark baselines). */
  overrides?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

/**
 * Boots the real application, as main.ts does, on a fresh test database and a temp data folder.
 * Passport keeps one 'jwt' strategy per process, so the app created last verifies tokens for all:
 * give a second app its own describe block, after the first has closed.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await createTempDir('e2e');
  const mongoUrl = options.env?.MONGO_URL ?? uniqueTestDatabaseUrl(testServerUrl());
  assertTestDatabase(mongoUrl);
  const config = loadConfig({
    ENVIRONMENT: 'test',
    LOG_LEVEL: 'error',
    DATA_DIR: dataDir.path,
    // Tests make many requests from one address; the limits themselves have their own tests.
    RATE_LIMIT_MAX: '100000',
    AUTH_RATE_LIMIT_MAX: '100000',
    ...options.env,
    MONGO_URL: mongoUrl,
  });

  // A testing module is compiled before its HTTP adapter exists, which makes serve-static pick
  // its no-op loader; main.ts creates the adapter first and gets the Express one, as here.
  const builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(AbstractLoader)
    .useClass(ExpressLoader);
  const moduleRef = await (options.overrides?.(builder) ?? builder).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: ['error'],
  });
  configureHttpApp(app, config);
  try {
    await app.init();
  } catch (error) {
    await app.close().catch(() => undefined);
    await dataDir.remove();
    throw error;
  }

  return {
    app,
    config,
    http: () => request(app.getHttpServer()),
    async close() {
      if (!options.keepDatabase) {
        await app
          .get<Connection>(getConnectionToken())
          .dropDatabase()
          .catch(() => undefined);
      }
      await app.close();
      await dataDir.remove();
    },
  };
}

export interface ListeningTestApp extends TestApp {
  /** Where a browser reaches the app: http://localhost:<port>, which is also its PUBLIC_URL. */
  baseUrl: string;
}

/**
 * The app listening on a loopback port whose URL is its PUBLIC_URL, as a deployment's is, so the
 * links it hands out lead back to it (browsers, Schemathesis).
 */
export async function createListeningTestApp(
  options: TestAppOptions = {},
): Promise<ListeningTestApp> {
  const port = await freeLoopbackPort();
  const baseUrl = `http://localhost:${port}`;
  const t = await createTestApp({ ...options, env: { PUBLIC_URL: baseUrl, ...options.env } });
  await t.app.listen(port, '127.0.0.1');
  return { ...t, baseUrl };
}
