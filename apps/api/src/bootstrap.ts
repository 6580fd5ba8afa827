import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import path from 'node:path';
import { type AppConfig, loadConfig } from '@strongroom/config';
import {
  EmbeddedDbProcess,
  removeEmbeddedDbRegistration,
  writeEmbeddedDbRegistration,
} from '@strongroom/embedded-db';
import { UsersService } from '@strongroom/users';
import { AppModule } from './app.module';
import { installGracefulShutdown } from './graceful-shutdown';
import { configureHttpApp } from './http/configure-http-app';
import { startupBanner } from './startup-banner';

const startupLogger = new NestLogger('Bootstrap');

/** Development and test without MONGO_URL: our embedded MongoDB-compatible database. */
async function startEmbeddedDatabase(config: AppConfig): Promise<EmbeddedDbProcess> {
  const dataDir = path.join(config.dataDir, 'db');
  const db = await EmbeddedDbProcess.start({
    dataDir,
    logFile: path.join(config.dataDir, 'embedded-db.log'),
    log: (message) => startupLogger.log(message),
  });
  startupLogger.log(
    `embedded database listening on ${db.url} (data in ${dataDir}, log in ${db.logFile})`,
  );
  return db;
}

async function stopEmbeddedDatabase(config: AppConfig, db: EmbeddedDbProcess): Promise<void> {
  await removeEmbeddedDbRegistration(config.dataDir, process.pid);
  await db.stop();
}

export async function bootstrap(): Promise<NestExpressApplication> {
  const loaded = loadConfig();
  const embedded = loaded.database.url ? undefined : await startEmbeddedDatabase(loaded);
  const config: AppConfig = embedded
    ? { ...loaded, database: { ...loaded.database, url: embedded.url } }
    : loaded;

  try {
    // The admin CLI finds the database here while the server runs, instead of opening the same files.
    if (embedded) {
      await writeEmbeddedDbRegistration(config.dataDir, { url: embedded.url, pid: process.pid });
    }
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
      bufferLogs: true,
      bodyParser: false,
    });
    const logger = app.get(Logger);
    app.useLogger(logger);
    configureHttpApp(app, config);
    installGracefulShutdown(app, {
      timeoutMs: config.http.shutdownTimeoutMs,
      logger,
      afterClose: () => (embedded ? stopEmbeddedDatabase(config, embedded) : Promise.resolve()),
    });
    await app.listen(config.http.port);
    logger.log(
      `Strongroom ${config.version} (${config.environment}) listening on port ${config.http.port}`,
      'Bootstrap',
    );
    const { total: users } = await app.get(UsersService).search({ page: 1, limit: 1 });
    logger.log(startupBanner(config, users > 0), 'Bootstrap');
    return app;
  } catch (error) {
    if (embedded) await stopEmbeddedDatabase(config, embedded);
    throw error;
  }
}
