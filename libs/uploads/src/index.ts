export { UploadsModule } from './uploads.module';
export { UploadExpirySweeper } from './upload-expiry.sweeper';
export { FILE_ID_HEADER, UPLOADS_PATH } from './tus-server.provider';
