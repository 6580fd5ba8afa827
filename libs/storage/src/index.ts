export type { ByteRange, StorageProvider, StoredObject } from './storage.port';
export { STORAGE_PROVIDER } from './storage.tokens';
export * from './storage.errors';
export { StorageModule, createStorageProvider } from './storage.module';
export { LocalStorageAdapter } from './local/local.storage-adapter';
