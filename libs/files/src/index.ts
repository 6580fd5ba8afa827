export { FilesModule } from './files.module';
export { type ContentReader, FilesService } from './files.service';
export { FileMetrics } from './file-metrics';
export { readyFilesEstimate } from './ready-files-estimate';
export { FileNameKeysMigration } from './file-name-keys.migration';
export { nameSearchKeys } from './file-name-search';
export { FileAccessPolicy, type FileAction } from './file-access.policy';
export { FileErasureRegistry } from './file-erasure.registry';
export { FileGrantRegistry, type FileGrantSource } from './file-grant.registry';
export { FileShare, FileShareSchema, type FileShareDocument } from './file-share.schema';
export { GroupShare, GroupShareSchema, type GroupShareDocument } from './group-share.schema';
export { FileResponse } from './dto/file.dto';
export { FileSweeper, STALE_PENDING_AGE_MS, type SweepReport } from './file-sweeper.service';
export { sendFileContent, type DownloadableFile } from './download/content-response';
export { releasingAfterSend } from './download/release-after-send';
export {
  StoredFile,
  StoredFileSchema,
  FILE_STATUSES,
  type FileStatus,
  type StoredFileDocument,
} from './file.schema';
export { FileContentStore, type StoredContent } from './file-content.store';
export {
  UploadPipeline,
  type IncomingUpload,
  type StoredUpload,
  type PreparedRecord,
} from './upload/upload-pipeline.service';
export type { UploadRoute } from './file-metrics';
export { FileUploadInterceptor, UPLOAD_FIELD } from './upload/file-upload.interceptor';
export type { UploadedBlob } from './upload/upload-storage-engine';
export { declaredLength, MULTIPART_FRAMING_ALLOWANCE } from './upload/upload-storage-engine';
export { setUploadTarget, type UploadTarget } from './upload/upload-target';
export { fileListQuery, grantPageQuery, type FileSearch } from './file-list-query';
export { fileGrantFields, FileGrantFields, indexFileGrantFields } from './file-grant-fields';
export { type GrantRows, grantRows } from './grant-rows';
export { grantsAmongQuery } from './grants-among-query';
export { backfillGrantFields } from './shared-file-fields.migration';
export { SharedFileFieldsMigration } from './shared-file-fields.migration';
export { EXACT_SHARED_TOTAL_UP_TO } from './shared-files.service';
