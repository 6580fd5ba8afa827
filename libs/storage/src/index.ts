export type {
  ByteRange,
  ObjectLock,
  StorageProvider,
  StoredObject,
  StoredSize,
  WriteOptions,
} from './storage.port';
export { RESUMABLE_STORAGE, STORAGE_PROVIDER } from './storage.tokens';
export type {
  PartPlacement,
  ResumableState,
  ResumableStorage,
  ResumableTarget,
} from './resumable-storage.port';
export { createHashingStream, type HashingStream } from './hashing-stream';
export { releaseBuffer } from './release-buffer';
export {
  chunkHandedOver,
  chunksHandedOver,
  handOverChunk,
  handOverChunks,
} from './handed-over-chunks';
export { pipeWatchingSource } from './source-failure';
export * from './storage.errors';
export { StorageModule, createStorageProvider } from './storage.module';
export { LocalStorageAdapter } from './local/local.storage-adapter';
export type {
  S3StorageAdapter,
  S3StorageAdapterOptions,
  S3StorageConfig,
} from './s3/s3.storage-adapter';
export type {
  GcsStorageAdapter,
  GcsStorageAdapterOptions,
  GcsStorageConfig,
} from './gcs/gcs.storage-adapter';
export { loadGcsStorageAdapter, loadS3StorageAdapter } from './cloud-adapters';
export { AUDIT_CHECKPOINT_PREFIX, isReservedStorageKey } from './reserved-keys';
