export { UploadRequestsModule } from './upload-requests.module';
export { UploadRequestsService } from './upload-requests.service';
