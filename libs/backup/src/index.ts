export { BackupModule } from './backup.module';
export { BackupService, type BackupReport } from './backup.service';
export {
  RestoreKeysMissingError,
  RestoreService,
  RestoreTargetNotEmptyError,
  RESTORE_MARKER_COLLECTION,
  type RestoreOptions,
  type RestoreReport,
} from './restore.service';
export {
  ARCHIVE_FORMAT_VERSION,
  BLOB_LIST_FILE,
  InvalidArchiveError,
  MANIFEST_FILE,
  type Manifest,
} from './archive-manifest';
