export { FilesModule } from './files.module';
export { FilesService } from './files.service';
export { FileAccessPolicy } from './file-access.policy';
export { sendFileContent, type DownloadableFile } from './download/content-response';
export {
  StoredFile,
  StoredFileSchema,
  FILE_STATUSES,
  type FileStatus,
  type StoredFileDocument,
} from './file.schema';
