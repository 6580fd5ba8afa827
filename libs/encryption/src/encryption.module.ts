import { Module, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AUDIT_KEY_WRAPPER, AuditSubjectKey, auditSubjectKeyBinding } from '@strongroom/audit';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { EncryptedStorage } from './encrypted-storage.service';
import { KeyRing } from './key-ring';
import { KeyRotation } from './key-rotation/key-rotation.service';
import { MongoSealedKeyStore } from './key-rotation/mongo-sealed-key-store';

@Module({
  providers: [
    {
      provide: KeyRing,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new KeyRing(config.encryptionKeys),
    },
    // Also wraps the per-person keys of the audit trail's personal data (crypto-shredding).
    { provide: AUDIT_KEY_WRAPPER, useExisting: KeyRing },
    EncryptedStorage,
    KeyRotation,
  ],
  exports: [EncryptedStorage, KeyRing, KeyRotation],
})
export class EncryptionModule implements OnModuleInit {
  constructor(
    private readonly keyRotation: KeyRotation,
    @InjectModel(AuditSubjectKey.name) private readonly auditSubjectKeys: Model<AuditSubjectKey>,
  ) {}

  onModuleInit(): void {
    this.keyRotation.register(
      new MongoSealedKeyStore(this.auditSubjectKeys, {
        kind: 'audit subject keys',
        kekIdPath: 'kekId',
        wrappedKeyPath: 'wrappedKey',
        binding: (record) => auditSubjectKeyBinding(record.subjectId),
      }),
    );
  }
}
