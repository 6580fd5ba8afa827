export type { ByteRange, StorageProvider, StoredObject } from './storage.port';
export { STORAGE_PROVIDER } from './storage.tokens';
export * from './storage.errors';
export { createHashingStream, type HashingStream } from './hashing-stream';
export { StorageModule, createStorageProvider } from './storage.module';
export { LocalStorageAdapter } from './local/local.storage-adapter';
export {
  S3StorageAdapter,
  type S3StorageAdapterOptions,
  type S3StorageConfig,
} from './s3/s3.storage-adapter';
export {
  GcsStorageAdapter,
  type GcsStorageAdapterOptions,
  type GcsStorageConfig,
} from './gcs/gcs.storage-adapter';
