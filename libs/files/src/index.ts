export { FilesModule } from './files.module';
export {
  StoredFile,
  StoredFileSchema,
  FILE_STATUSES,
  type FileStatus,
  type StoredFileDocument,
} from './file.schema';
