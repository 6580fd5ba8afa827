import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { EncryptedStorage } from './encrypted-storage.service';
import { KeyRing } from './key-ring';
import { KeyInventory } from './key-rotation/key-inventory.service';
import { KeyRotation } from './key-rotation/key-rotation.service';

@Module({
  providers: [
    {
      provide: KeyRing,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new KeyRing(config.encryptionKeys),
    },
    EncryptedStorage,
    KeyRotation,
    KeyInventory,
  ],
  exports: [EncryptedStorage, KeyRing, KeyRotation, KeyInventory],
})
export class EncryptionModule {}
