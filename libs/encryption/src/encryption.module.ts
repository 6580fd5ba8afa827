import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
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
    EncryptedStorage,
    KeyRotation,
    KeyInventory,
  ],
  exports: [EncryptedStorage, KeyRing, KeyRotation, KEY_WRAPPER, KeyInventory],
})
export class EncryptionModule implements OnModuleDestroy {
  constructor(
    private readonly cache: DataKeyCache,
    @Inject(KEY_WRAPPER) private readonly keys: RoutingKeyWrapper,
  ) {}

  onModuleDestroy(): void {
    this.cache.clear();
    this.keys.destroy();
  }
}
