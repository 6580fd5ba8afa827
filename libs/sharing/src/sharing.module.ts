import { Module, type OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuthModule } from '@strongroom/auth';
import { BundleErasureRegistry, BundleGrantRegistry, BundlesModule } from '@strongroom/bundles';
import { FileErasureRegistry, FileGrantRegistry, FilesModule } from '@strongroom/files';
import { GroupErasureRegistry, GroupsModule } from '@strongroom/groups';
import { LinkPolicyModule } from '@strongroom/link-policy';
import { NotificationsModule } from '@strongroom/notifications';
import { UserErasureRegistry, UsersModule } from '@strongroom/users';
import { WebhooksModule } from '@strongroom/webhooks';
import { BundleLinksController } from './bundle-links.controller';
import { BundleShare, BundleShareSchema } from './bundle-share.schema';
import { BundleSharesController } from './bundle-shares.controller';
import { BundleSharesService } from './bundle-shares.service';
import { LinkDownloadSlot, LinkDownloadSlotSchema } from './link-download-slot.schema';
import { LinkDownloadSlots } from './link-download-slots';
import { LinkPageController } from './link-page.controller';
import { PublicLinksController } from './public-links.controller';
import {
  LinkRecipientCode,
  LinkRecipientCodeAttempt,
  LinkRecipientCodeAttemptSchema,
  LinkRecipientCodeSchema,
} from './recipient-verification/recipient-code.schema';
import { RecipientCodes } from './recipient-verification/recipient-codes';
import { ShareLink, ShareLinkSchema } from './share-link.schema';
import { ShareLinksService } from './share-links.service';
import { ShareRecipients } from './share-recipients';
import { SharesService } from './shares.service';
import { SharingController } from './sharing.controller';

@Module({
  imports: [
    UsersModule,
    FilesModule,
    BundlesModule,
    GroupsModule,
    LinkPolicyModule,
    NotificationsModule,
    WebhooksModule,
    AuthModule,
    MongooseModule.forFeature([
      { name: ShareLink.name, schema: ShareLinkSchema },
      { name: LinkDownloadSlot.name, schema: LinkDownloadSlotSchema },
      { name: BundleShare.name, schema: BundleShareSchema },
      { name: LinkRecipientCode.name, schema: LinkRecipientCodeSchema },
      { name: LinkRecipientCodeAttempt.name, schema: LinkRecipientCodeAttemptSchema },
    ]),
  ],
  controllers: [
    SharingController,
    BundleLinksController,
    BundleSharesController,
    PublicLinksController,
    LinkPageController,
  ],
  providers: [
    SharesService,
    ShareRecipients,
    ShareLinksService,
    LinkDownloadSlots,
    BundleSharesService,
    RecipientCodes,
  ],
})
export class SharingModule implements OnModuleInit {
  constructor(
    private readonly fileErasure: FileErasureRegistry,
    private readonly userErasure: UserErasureRegistry,
    private readonly groupErasure: GroupErasureRegistry,
    private readonly bundleErasure: BundleErasureRegistry,
    private readonly fileGrants: FileGrantRegistry,
    private readonly bundleGrants: BundleGrantRegistry,
    private readonly shares: SharesService,
    private readonly links: ShareLinksService,
    private readonly bundleShares: BundleSharesService,
  ) {}

  onModuleInit(): void {
    this.fileErasure.register('shares', (fileId) => this.shares.deleteForFile(fileId));
    this.fileErasure.register('links', (fileId) => this.links.deleteForFile(fileId));
    this.userErasure.register('received shares', (userId) => this.shares.deleteReceivedBy(userId));
    this.userErasure.register('links', (userId) => this.links.deleteOwnedBy(userId));
    this.groupErasure.register('shares', (groupId) => this.shares.deleteForGroup(groupId));
    this.bundleErasure.register('links', (bundleId) => this.links.deleteForBundle(bundleId));
    this.bundleErasure.register('shares', (bundleId) =>
      this.bundleShares.deleteForBundle(bundleId),
    );
    this.userErasure.register('received bundle shares', (userId) =>
      this.bundleShares.deleteReceivedBy(userId),
    );
    this.groupErasure.register('bundle shares', (groupId) =>
      this.bundleShares.deleteForGroup(groupId),
    );
    this.fileGrants.register('bundle shares', this.bundleShares);
    this.bundleGrants.register('bundle shares', this.bundleShares);
  }
}
