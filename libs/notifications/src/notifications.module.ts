import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UsersModule } from '@strongroom/users';
import { LinkDownloadNotifications } from './link-download-notifications';
import { MailTransport } from './mail-transport';
import {
  OutboxClaim,
  OutboxClaimSchema,
  OutboxMessage,
  OutboxMessageSchema,
} from './outbox-message.schema';
import { Outbox } from './outbox.service';
import { OUTBOX_METRIC_PROVIDERS, OutboxWorker } from './outbox.worker';
import { RecipientCodeNotifications } from './recipient-code-notifications';
import { ShareNotifications } from './share-notifications';

@Module({
  imports: [
    UsersModule,
    MongooseModule.forFeature([
      { name: OutboxMessage.name, schema: OutboxMessageSchema },
      { name: OutboxClaim.name, schema: OutboxClaimSchema },
    ]),
  ],
  providers: [
    MailTransport,
    Outbox,
    OutboxWorker,
    ShareNotifications,
    RecipientCodeNotifications,
    LinkDownloadNotifications,
    ...OUTBOX_METRIC_PROVIDERS,
  ],
  exports: [
    ShareNotifications,
    RecipientCodeNotifications,
    LinkDownloadNotifications,
    Outbox,
    OutboxWorker,
  ],
})
export class NotificationsModule {}
