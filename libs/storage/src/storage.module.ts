import { Global, Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { GcsStorageAdapter } from './gcs/gcs.storage-adapter';
import { LocalStorageAdapter } from './local/local.storage-adapter';
import { S3StorageAdapter } from './s3/s3.storage-adapter';
import type { StorageProvider } from './storage.port';
import { STORAGE_PROVIDER } from './storage.tokens';

/** The one place that picks the adapter; an unknown driver fails at boot. */
export function createStorageProvider(config: AppConfig): StorageProvider {
  const { driver, local, s3, gcs } = config.storage;
  switch (driver) {
    case 'local':
      return new LocalStorageAdapter(local.path);
    case 's3':
      if (!s3) throw new Error('STORAGE_DRIVER=s3 needs the S3_* settings (at least S3_BUCKET)');
      return new S3StorageAdapter(s3);
    case 'gcs':
      if (!gcs)
        throw new Error('STORAGE_DRIVER=gcs needs the GCS_* settings (at least GCS_BUCKET)');
      return new GcsStorageAdapter(gcs);
    default:
      throw new Error(`STORAGE_DRIVER=${String(driver)} is not available in this build`);
  }
}

@Global()
@Module({
  providers: [
    { provide: STORAGE_PROVIDER, inject: [APP_CONFIG], useFactory: createStorageProvider },
  ],
  exports: [STORAGE_PROVIDER],
})
export class StorageModule implements OnApplicationBootstrap {
  constructor(@Inject(STORAGE_PROVIDER) private readonly storage: StorageProvider) {}

  /**
   * Refuses to serve on storage it cannot write to (a missing bucket, wrong credentials, an NFS
   * mount that did not come up): every driver runs its health probe, the local one after creating
   * its root folder.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.storage instanceof LocalStorageAdapter) await this.storage.verifyRoot();
    else await this.storage.checkHealth();
  }
}
