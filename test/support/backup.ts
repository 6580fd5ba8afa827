import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { BackupService, RestoreService } from '@strongroom/backup';
import {
  AppConfigModule,
  type AppConfig,
  loadConfig,
  type RawEnvironment,
} from '@strongroom/config';
import { testGcsServer, testS3Server } from '@strongroom/testing';
import { CLI_SERVICE_MODULES } from '../../apps/cli/src/cli.module';
import type { Test as SuperTest } from 'supertest';

/** Fixed for a whole test file: an archive restored elsewhere needs the same keys. */
export const BACKUP_TEST_KEYS = {
  SECRET_KEY: randomBytes(32).toString('hex'),
  ENCRYPTION_KEYS: `drill:${randomBytes(32).toString('base64')}`,
};

export interface BackupTools {
  backups: BackupService;
  restores: RestoreService;
  close(): Promise<void>;
}

/** The backup services as the CLI has them: with the database, storage, keys and config. */
export async function openBackupTools(config: AppConfig): Promise<BackupTools> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppConfigModule.forRoot(config), ...CLI_SERVICE_MODULES],
  })
    .setLogger({ log() {}, warn() {}, error() {} })
    .compile();
  await moduleRef.init();
  return {
    backups: moduleRef.get(BackupService),
    restores: moduleRef.get(RestoreService),
    close: () => moduleRef.close(),
  };
}

/** A test configuration on the given database and local storage folder. */
export function backupTestConfig(
  mongoUrl: string,
  storagePath: string,
  dataDir: string,
  env: RawEnvironment = {},
) {
  return loadConfig({
    ENVIRONMENT: 'test',
    LOG_LEVEL: 'error',
    DATA_DIR: dataDir,
    MONGO_URL: mongoUrl,
    FILE_STORAGE_PATH: storagePath,
    ...BACKUP_TEST_KEYS,
    ...env,
  });
}

/** The app's S3 settings for the MinIO the global setup started. */
export function minioStorageEnv(): RawEnvironment {
  const server = testS3Server();
  return {
    STORAGE_DRIVER: 's3',
    S3_BUCKET: server.bucket,
    S3_REGION: server.region,
    S3_ENDPOINT: server.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
  };
}

/** The app's GCS settings for the fake-gcs-server the global setup started. */
export function fakeGcsStorageEnv(): RawEnvironment {
  const server = testGcsServer();
  return {
    STORAGE_DRIVER: 'gcs',
    GCS_BUCKET: server.bucket,
    GCS_PROJECT_ID: 'test',
    GCS_API_ENDPOINT: server.endpoint,
  };
}

/** A response body as bytes, whatever its content type. */
export function bytesOf(request: SuperTest) {
  return request.buffer(true).parse((res, callback) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => callback(null, Buffer.concat(chunks)));
  });
}
