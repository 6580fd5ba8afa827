export { NotificationsModule } from './notifications.module';
export { LinkDownloadNotifications } from './link-download-notifications';
export { ShareNotifications, type ShareReceived } from './share-notifications';
export {
  UploadRequestNotifications,
  type UploadRequestDelivery,
} from './upload-request-notifications';
export { Outbox } from './outbox.service';
export { OutboxWorker } from './outbox.worker';
export { GiveUpDelivery, type OutboxChannel, OutboxChannels } from './outbox-channel';
export type { OutboxMessageDocument } from './outbox-message.schema';
export type { OutgoingMail } from './mail-transport';
export { RecipientCodeNotifications, type RecipientCode } from './recipient-code-notifications';
