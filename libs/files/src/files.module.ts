import { Module, type OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ScanningModule } from '@strongroom/scanning';
import { EncryptionModule } from '@strongroom/encryption';
import { UserErasureRegistry, UsersModule } from '@strongroom/users';
import { FileAccessPolicy } from './file-access.policy';
import { FileContentStore } from './file-content.store';
import { FileKeyRotation } from './file-key-rotation.service';
import { FileErasureRegistry } from './file-erasure.registry';
import { FileShare, FileShareSchema } from './file-share.schema';
import { StoredFile, StoredFileSchema } from './file.schema';
import { FilesController } from './files.controller';
import { FILE_METRIC_PROVIDERS, FileMetrics } from './file-metrics';
import { FileSweeper } from './file-sweeper.service';
import { FilesService } from './files.service';
import { FileUploadInterceptor } from './upload/file-upload.interceptor';
import { UploadPipeline } from './upload/upload-pipeline.service';

@Module({
  imports: [
    UsersModule,
    ScanningModule,
    EncryptionModule,
    MongooseModule.forFeature([
      { name: StoredFile.name, schema: StoredFileSchema },
      { name: FileShare.name, schema: FileShareSchema },
    ]),
  ],
  controllers: [FilesController],
  providers: [
    FilesService,
    FileAccessPolicy,
    FileErasureRegistry,
    FileUploadInterceptor,
    UploadPipeline,
    FileSweeper,
    FileMetrics,
    FileContentStore,
    FileKeyRotation,
    ...FILE_METRIC_PROVIDERS,
  ],
  exports: [
    FilesService,
    FileAccessPolicy,
    FileErasureRegistry,
    FileSweeper,
    FileMetrics,
    FileContentStore,
    FileKeyRotation,
    UploadPipeline,
    MongooseModule,
  ],
})
export class FilesModule implements OnModuleInit {
  constructor(
    private readonly erasure: UserErasureRegistry,
    private readonly files: FilesService,
  ) {}

  onModuleInit(): void {
    this.erasure.register('files', (userId) => this.files.deleteAllOwnedBy(userId));
  }
}
