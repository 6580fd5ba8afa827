import { Module, type OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UsersModule } from '@strongroom/users';
import { LinkDownloadNotifications } from './link-download-notifications';
import { MailOutboxChannel } from './mail.outbox-channel';
import { MailTransport } from './mail-transport';
import { OutboxChannels } from './outbox-channel';
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
import { UploadRequestNotifications } from './upload-request-notifications';

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
    MailOutboxChannel,
    OutboxChannels,
    Outbox,
    OutboxWorker,
    ShareNotifications,
    RecipientCodeNotifications,
    LinkDownloadNotifications,
    UploadRequestNotifications,
    ...OUTBOX_METRIC_PROVIDERS,
  ],
  exports: [
    ShareNotifications,
    LinkDownloadNotifications,
    UploadRequestNotifications,
    RecipientCodeNotifications,
    Outbox,
    OutboxWorker,
    OutboxChannels,
  ],
})
export class NotificationsModule implements OnModuleInit {
  constructor(
    private readonly channels: OutboxChannels,
    private readonly mail: MailOutboxChannel,
  ) {}

  onModuleInit(): void {
    this.channels.register(this.mail);
  }
}
