import { Global, Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { LocalStorageAdapter } from './local/local.storage-adapter';
import type { StorageProvider } from './storage.port';
import { STORAGE_PROVIDER } from './storage.tokens';

/** The one place that picks the adapter; an unknown driver fails at boot. */
export function createStorageProvider(config: AppConfig): StorageProvider {
  const { driver } = config.storage;
  switch (driver) {
    case 'local':
      return new LocalStorageAdapter(config.storage.local.path);
    default:
      throw new Error(`STORAGE_DRIVER=${driver} is not available in this build`);
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

  async onApplicationBootstrap(): Promise<void> {
    if (this.storage instanceof LocalStorageAdapter) await this.storage.verifyRoot();
  }
}
