export { NotificationsModule } from './notifications.module';
export { LinkDownloadNotifications } from './link-download-notifications';
export { ShareNotifications, type ShareReceived } from './share-notifications';
export {
  UploadRequestNotifications,
  type UploadRequestDelivery,
} from './upload-request-notifications';
export { Outbox } from './outbox.service';
export { OutboxWorker } from './outbox.worker';
