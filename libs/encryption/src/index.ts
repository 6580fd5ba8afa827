export { EncryptionModule } from './encryption.module';
export { EncryptedStorage, type EncryptedFile } from './encrypted-storage.service';
export { KeyRing, type WrappedKey } from './key-ring';
export {
  KeyRotation,
  type KeyRotationProgress,
  type KeyRotationReport,
} from './key-rotation/key-rotation.service';
export type { SealedKey, SealedKeyStore } from './key-rotation/sealed-key-store';
export { MongoSealedKeyStore } from './key-rotation/mongo-sealed-key-store';
export {
  KeyInventory,
  LOCAL_KEY_PROVIDER,
  type KeyProbe,
  type UnopenableKey,
} from './key-rotation/key-inventory.service';
export { ContentIntegrityError, UnknownEncryptionKeyError } from './encryption.errors';
export { type EncryptionHeader, FORMAT_VERSION, DEFAULT_CHUNK_SIZE } from './encryption-header';
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
