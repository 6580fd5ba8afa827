import type { GcsStorageAdapter } from './gcs/gcs.storage-adapter';
import type { S3StorageAdapter } from './s3/s3.storage-adapter';

/*
 * A cloud SDK is loaded only when its driver is used. Together they hold about 10 MB of live
 * heap, and every full garbage collection traces it: moving a file's bytes triggers one per
 * ~64 MB of buffers, so a smaller heap is faster transfers.
 */

export async function loadS3StorageAdapter(): Promise<typeof S3StorageAdapter> {
  return (await import('./s3/s3.storage-adapter')).S3StorageAdapter;
}

export async function loadGcsStorageAdapter(): Promise<typeof GcsStorageAdapter> {
  return (await import('./gcs/gcs.storage-adapter')).GcsStorageAdapter;
}
