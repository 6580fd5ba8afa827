export { NotificationsModule } from './notifications.module';
export { ShareNotifications, type ShareReceived } from './share-notifications';
export { Outbox } from './outbox.service';
export { OutboxWorker } from './outbox.worker';
export { RecipientCodeNotifications, type RecipientCode } from './recipient-code-notifications';
