export { EncryptionModule } from './encryption.module';
export { EncryptedStorage, type EncryptedFile } from './encrypted-storage.service';
export { KeyRing, type WrappedKey } from './key-ring';
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
