export { NotificationsModule } from './notifications.module';
export { LinkDownloadNotifications } from './link-download-notifications';
export { ShareNotifications, type ShareReceived } from './share-notifications';
export { Outbox } from './outbox.service';
export { OutboxWorker } from './outbox.worker';
export { RecipientCodeNotifications, type RecipientCode } from './recipient-code-notifications';
