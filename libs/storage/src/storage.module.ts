import { Global, Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { getToken, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { loadGcsStorageAdapter, loadS3StorageAdapter } from './cloud-adapters';
import {
  InstrumentedStorageProvider,
  STORAGE_ERRORS_TOTAL,
  TEMPORARIES_SWEPT_TOTAL,
} from './instrumented-storage.provider';
import { LocalStorageAdapter } from './local/local.storage-adapter';
import type { ResumableStorage } from './resumable-storage.port';
import type { StorageProvider } from './storage.port';
import { RESUMABLE_STORAGE, STORAGE_PROVIDER } from './storage.tokens';

/** The one place that picks the adapter; an unknown driver fails at boot. */
export async function createStorageProvider(config: AppConfig): Promise<StorageProvider> {
  const { driver, local, s3, gcs } = config.storage;
  switch (driver) {
    case 'local':
      return new LocalStorageAdapter(local.path);
    case 's3': {
      if (!s3) throw new Error('STORAGE_DRIVER=s3 needs the S3_* settings (at least S3_BUCKET)');
      const S3StorageAdapter = await loadS3StorageAdapter();
      return new S3StorageAdapter(s3, { maxObjectSize: config.storage.maxFileSize });
    }
    case 'gcs': {
      if (!gcs)
        throw new Error('STORAGE_DRIVER=gcs needs the GCS_* settings (at least GCS_BUCKET)');
      const GcsStorageAdapter = await loadGcsStorageAdapter();
      return new GcsStorageAdapter(gcs);
    }
    default:
      throw new Error(`STORAGE_DRIVER=${String(driver)} is not available in this build`);
  }
}

/** Resumable uploads' storage of the adapter; null for a driver that has none yet. */
export function resumableStorageOf(adapter: StorageProvider): ResumableStorage | null {
  const candidate = adapter as StorageProvider & { resumable?: () => ResumableStorage };
  return typeof candidate.resumable === 'function' ? candidate.resumable() : null;
}

/** The adapter itself, for the start-up check; everyone else gets the instrumented one. */
const STORAGE_ADAPTER = Symbol('STORAGE_ADAPTER');

@Global()
@Module({
  providers: [
    { provide: STORAGE_ADAPTER, inject: [APP_CONFIG], useFactory: createStorageProvider },
    makeCounterProvider({
      name: STORAGE_ERRORS_TOTAL,
      help: 'Failed storage operations, by driver and operation',
      labelNames: ['driver', 'op'],
    }),
    makeCounterProvider({
      name: TEMPORARIES_SWEPT_TOTAL,
      help: 'Temporaries of interrupted writes removed by the sweeper (local temp files, S3 multipart uploads), by driver',
      labelNames: ['driver'],
    }),
    {
      provide: STORAGE_PROVIDER,
      inject: [STORAGE_ADAPTER, getToken(STORAGE_ERRORS_TOTAL), getToken(TEMPORARIES_SWEPT_TOTAL)],
      useFactory: (
        adapter: StorageProvider,
        errors: Counter<'driver' | 'op'>,
        swept: Counter<'driver'>,
      ) => new InstrumentedStorageProvider(adapter, errors, swept),
    },
    { provide: RESUMABLE_STORAGE, inject: [STORAGE_ADAPTER], useFactory: resumableStorageOf },
  ],
  exports: [STORAGE_PROVIDER, RESUMABLE_STORAGE],
})
export class StorageModule implements OnApplicationBootstrap {
  constructor(@Inject(STORAGE_ADAPTER) private readonly storage: StorageProvider) {}

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
