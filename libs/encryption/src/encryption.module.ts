import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { EncryptedStorage } from './encrypted-storage.service';
import { KeyRing } from './key-ring';

@Module({
  providers: [
    {
      provide: KeyRing,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new KeyRing(config.encryptionKeys),
    },
    EncryptedStorage,
  ],
  exports: [EncryptedStorage, KeyRing],
})
export class EncryptionModule {}
