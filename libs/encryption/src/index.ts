export { EncryptionModule } from './encryption.module';
export { EncryptedStorage, type EncryptedFile } from './encrypted-storage.service';
export { KeyRing } from './key-ring';
export {
  type GeneratedDataKey,
  type KeyWrapper,
  providerOf,
  type WrappedKey,
} from './key-wrapping/key-wrapper.port';
export { KEY_WRAPPER } from './key-wrapping/key-wrapping.tokens';
export { AwsKmsKeyWrapper } from './key-wrapping/aws-kms.key-wrapper';
export { LocalKeyWrapper } from './key-wrapping/local.key-wrapper';
export { DataKeyCache } from './key-wrapping/data-key.cache';
export { RoutingKeyWrapper } from './key-wrapping/routing.key-wrapper';
export {
  KeyRotation,
  type KeyRotationProgress,
  type KeyRotationReport,
} from './key-rotation/key-rotation.service';
export type { KeyRef, SealedKey, SealedKeyStore } from './key-rotation/sealed-key-store';
export { MongoSealedKeyStore } from './key-rotation/mongo-sealed-key-store';
export {
  ContentIntegrityError,
  UnconfiguredKeyProviderError,
  UnknownEncryptionKeyError,
} from './encryption.errors';
export {
  KeyInventory,
  LOCAL_KEY_PROVIDER,
  type KeyProbe,
  type UnopenableKey,
} from './key-rotation/key-inventory.service';
export {
  type EncryptionHeader,
  FORMAT_VERSION,
  DEFAULT_CHUNK_SIZE,
  TAG_BYTES,
} from './encryption-header';
export {
  chunkCount,
  chunkPlainLength,
  chunkSpan,
  sealedChunkStart,
  storedSize,
  type ChunkSpan,
} from './chunk-layout';
export { ChunkSealer, type ChunkKey } from './chunk-cipher';
export { EncryptStream } from './encrypt-stream';
export { DecryptStream } from './decrypt-stream';
