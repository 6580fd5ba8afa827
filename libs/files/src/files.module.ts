import { Module, type OnModuleInit } from '@nestjs/common';
import { InjectModel, MongooseModule } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ScanningModule } from '@strongroom/scanning';
import { EncryptionModule, KeyRotation, MongoSealedKeyStore } from '@strongroom/encryption';
import { WebhooksModule } from '@strongroom/webhooks';
import { GroupsModule } from '@strongroom/groups';
import { RetentionModule } from '@strongroom/retention';
import { UserErasureRegistry, UsersModule } from '@strongroom/users';
import { FileAccessPolicy } from './file-access.policy';
import { FileContentStore } from './file-content.store';
import { FileErasureRegistry } from './file-erasure.registry';
import { FileGrantRegistry } from './file-grant.registry';
import { FileShare, FileShareSchema } from './file-share.schema';
import { GroupShare, GroupShareSchema } from './group-share.schema';
import { StoredFile, StoredFileSchema } from './file.schema';
import { FilesController } from './files.controller';
import { FILE_METRIC_PROVIDERS, FileMetrics } from './file-metrics';
import { FileNameKeysMigration } from './file-name-keys.migration';
import { FileSweeper } from './file-sweeper.service';
import { SharedFileFieldsMigration } from './shared-file-fields.migration';
import { SharedFilesService } from './shared-files.service';
import { FilesService } from './files.service';
import { FileHoldsService } from './holds/file-holds.service';
import { LegalHoldsController } from './holds/legal-holds.controller';
import { FileUploadInterceptor } from './upload/file-upload.interceptor';
import { UploadPipeline } from './upload/upload-pipeline.service';

@Module({
  imports: [
    UsersModule,
    GroupsModule,
    RetentionModule,
    ScanningModule,
    EncryptionModule,
    WebhooksModule,
    MongooseModule.forFeature([
      { name: StoredFile.name, schema: StoredFileSchema },
      { name: FileShare.name, schema: FileShareSchema },
      { name: GroupShare.name, schema: GroupShareSchema },
    ]),
  ],
  controllers: [FilesController, LegalHoldsController],
  providers: [
    FilesService,
    FileAccessPolicy,
    FileErasureRegistry,
    FileGrantRegistry,
    FileUploadInterceptor,
    UploadPipeline,
    FileSweeper,
    FileMetrics,
    FileContentStore,
    FileHoldsService,
    FileNameKeysMigration,
    SharedFilesService,
    SharedFileFieldsMigration,
    ...FILE_METRIC_PROVIDERS,
  ],
  exports: [
    FilesService,
    FileAccessPolicy,
    FileErasureRegistry,
    FileGrantRegistry,
    FileSweeper,
    FileMetrics,
    FileContentStore,
    UploadPipeline,
    MongooseModule,
  ],
})
export class FilesModule implements OnModuleInit {
  constructor(
    private readonly erasure: UserErasureRegistry,
    private readonly files: FilesService,
    private readonly keyRotation: KeyRotation,
    @InjectModel(StoredFile.name) private readonly fileRecords: Model<StoredFile>,
  ) {}

  onModuleInit(): void {
    this.erasure.register('files', (userId) => this.files.deleteAllOwnedBy(userId), 'first');
    this.keyRotation.register(
      new MongoSealedKeyStore(this.fileRecords, {
        kind: 'file data keys',
        kekIdPath: 'encryption.kekId',
        wrappedKeyPath: 'encryption.wrappedKey',
        keyProviderPath: 'encryption.keyProvider',
        binding: (file) => file._id.toHexString(),
      }),
    );
  }
}
