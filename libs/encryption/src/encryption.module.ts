import { Inject, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AUDIT_KEY_WRAPPER, AuditSubjectKey, auditSubjectKeyBinding } from '@strongroom/audit';
import { APP_CONFIG, type AppConfig, type KeyProviderName } from '@strongroom/config';
import { EncryptedStorage } from './encrypted-storage.service';
import { KeyRing } from './key-ring';
import { KeyInventory } from './key-rotation/key-inventory.service';
import { KeyRotation } from './key-rotation/key-rotation.service';
import { AwsKmsKeyWrapper } from './key-wrapping/aws-kms.key-wrapper';
import { DataKeyCache } from './key-wrapping/data-key.cache';
import {
  KEY_SERVICE_METRIC_PROVIDERS,
  KeyServiceMetrics,
} from './key-wrapping/key-service.metrics';
import type { KeyWrapper } from './key-wrapping/key-wrapper.port';
import { KEY_WRAPPER } from './key-wrapping/key-wrapping.tokens';
import { LocalKeyWrapper } from './key-wrapping/local.key-wrapper';
import { RoutingKeyWrapper } from './key-wrapping/routing.key-wrapper';

/** Every provider the configuration has settings for; KEY_PROVIDER's wraps the new keys. */
function createKeyWrapper(
  config: AppConfig,
  keyRing: KeyRing,
  cache: DataKeyCache,
  metrics: KeyServiceMetrics,
): RoutingKeyWrapper {
  const adapters = new Map<KeyProviderName, KeyWrapper>([['local', new LocalKeyWrapper(keyRing)]]);
  if (config.keys.awsKms) adapters.set('aws-kms', new AwsKmsKeyWrapper(config.keys.awsKms));
  const current = adapters.get(config.keys.provider);
  // The config schema requires the provider's settings; this guards a config built by hand.
  if (!current) throw new Error(`KEY_PROVIDER=${config.keys.provider} has no settings`);
  return new RoutingKeyWrapper(current, adapters, cache, metrics);
}
import { MongoSealedKeyStore } from './key-rotation/mongo-sealed-key-store';

@Module({
  providers: [
    {
      provide: KeyRing,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new KeyRing(config.encryptionKeys),
    },
    {
      provide: DataKeyCache,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new DataKeyCache(config.keys.cache),
    },
    ...KEY_SERVICE_METRIC_PROVIDERS,
    KeyServiceMetrics,
    {
      provide: KEY_WRAPPER,
      inject: [APP_CONFIG, KeyRing, DataKeyCache, KeyServiceMetrics],
      useFactory: createKeyWrapper,
    },
    // Also wraps the per-person keys of the audit trail's personal data (crypto-shredding).
    { provide: AUDIT_KEY_WRAPPER, useExisting: KeyRing },
    EncryptedStorage,
    KeyRotation,
    KeyInventory,
  ],
  exports: [EncryptedStorage, KeyRing, KeyRotation, KEY_WRAPPER, KeyInventory],
})
export class EncryptionModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly cache: DataKeyCache,
    @Inject(KEY_WRAPPER) private readonly keys: RoutingKeyWrapper,
    private readonly keyRotation: KeyRotation,
    @InjectModel(AuditSubjectKey.name) private readonly auditSubjectKeys: Model<AuditSubjectKey>,
  ) {}

  onModuleInit(): void {
    // Audit subject keys are opened synchronously by the audit trail: they stay under local keys.
    this.keyRotation.register(
      new MongoSealedKeyStore(this.auditSubjectKeys, {
        kind: 'audit subject keys',
        kekIdPath: 'kekId',
        wrappedKeyPath: 'wrappedKey',
        binding: (record) => auditSubjectKeyBinding(record.subjectId),
      }),
    );
  }

  onModuleDestroy(): void {
    this.cache.clear();
    this.keys.destroy();
  }
}
