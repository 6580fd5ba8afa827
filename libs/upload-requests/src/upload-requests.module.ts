import { Module, type OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuthModule } from '@strongroom/auth';
import { FilesModule } from '@strongroom/files';
import { LinkPolicyModule } from '@strongroom/link-policy';
import { NotificationsModule } from '@strongroom/notifications';
import { UserErasureRegistry, UsersModule } from '@strongroom/users';
import { WebhooksModule } from '@strongroom/webhooks';
import { PublicUploadRequestsController } from './public-upload-requests.controller';
import { UploadRequestPageController } from './upload-request-page.controller';
import { UploadRequestPageFilter } from './upload-request-page.filter';
import { UploadRequestPages } from './upload-request-pages';
import { UploadRequestSlot, UploadRequestSlotSchema } from './upload-request-slot.schema';
import { UploadRequestSlots } from './upload-request-slots';
import { UploadRequestUploadGuard } from './upload-request-upload.guard';
import { UploadRequestVisit, UploadRequestVisitSchema } from './upload-request-visit.schema';
import { UploadRequestVisits } from './upload-request-visits';
import { UploadRequest, UploadRequestSchema } from './upload-request.schema';
import { UploadRequestsController } from './upload-requests.controller';
import { UploadRequestsService } from './upload-requests.service';

@Module({
  imports: [
    UsersModule,
    FilesModule,
    LinkPolicyModule,
    NotificationsModule,
    WebhooksModule,
    AuthModule,
    MongooseModule.forFeature([
      { name: UploadRequest.name, schema: UploadRequestSchema },
      { name: UploadRequestSlot.name, schema: UploadRequestSlotSchema },
      { name: UploadRequestVisit.name, schema: UploadRequestVisitSchema },
    ]),
  ],
  controllers: [
    UploadRequestsController,
    PublicUploadRequestsController,
    UploadRequestPageController,
  ],
  providers: [
    UploadRequestsService,
    UploadRequestSlots,
    UploadRequestVisits,
    UploadRequestPages,
    UploadRequestPageFilter,
    UploadRequestUploadGuard,
  ],
  exports: [UploadRequestsService],
})
export class UploadRequestsModule implements OnModuleInit {
  constructor(
    private readonly userErasure: UserErasureRegistry,
    private readonly requests: UploadRequestsService,
  ) {}

  onModuleInit(): void {
    this.userErasure.register('upload requests', (userId) => this.requests.deleteOwnedBy(userId));
  }
}
