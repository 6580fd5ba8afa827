import { Module, type OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuthModule } from '@strongroom/auth';
import { BundleErasureRegistry, BundlesModule } from '@strongroom/bundles';
import { FileErasureRegistry, FilesModule } from '@strongroom/files';
import { GroupErasureRegistry, GroupsModule } from '@strongroom/groups';
import { LinkPolicyModule } from '@strongroom/link-policy';
import { NotificationsModule } from '@strongroom/notifications';
import { UserErasureRegistry, UsersModule } from '@strongroom/users';
import { BundleLinksController } from './bundle-links.controller';
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
    AuthModule,
    MongooseModule.forFeature([
      { name: ShareLink.name, schema: ShareLinkSchema },
      { name: LinkDownloadSlot.name, schema: LinkDownloadSlotSchema },
      { name: LinkRecipientCode.name, schema: LinkRecipientCodeSchema },
      { name: LinkRecipientCodeAttempt.name, schema: LinkRecipientCodeAttemptSchema },
    ]),
  ],
  controllers: [
    SharingController,
    BundleLinksController,
    PublicLinksController,
    LinkPageController,
  ],
  providers: [SharesService, ShareLinksService, LinkDownloadSlots, RecipientCodes],
})
export class SharingModule implements OnModuleInit {
  constructor(
    private readonly fileErasure: FileErasureRegistry,
    private readonly userErasure: UserErasureRegistry,
    private readonly groupErasure: GroupErasureRegistry,
    private readonly bundleErasure: BundleErasureRegistry,
    private readonly shares: SharesService,
    private readonly links: ShareLinksService,
  ) {}

  onModuleInit(): void {
    this.fileErasure.register('shares', (fileId) => this.shares.deleteForFile(fileId));
    this.fileErasure.register('links', (fileId) => this.links.deleteForFile(fileId));
    this.userErasure.register('received shares', (userId) => this.shares.deleteReceivedBy(userId));
    this.userErasure.register('links', (userId) => this.links.deleteOwnedBy(userId));
    this.groupErasure.register('shares', (groupId) => this.shares.deleteForGroup(groupId));
    this.bundleErasure.register('links', (bundleId) => this.links.deleteForBundle(bundleId));
  }
}
