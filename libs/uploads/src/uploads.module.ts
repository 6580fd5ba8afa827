import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { APP_CONFIG } from '@strongroom/config';
import { EncryptionModule } from '@strongroom/encryption';
import { FilesModule } from '@strongroom/files';
import { ResumableUpload, ResumableUploadSchema } from './resumable-upload.schema';
import { TusDataStore } from './tus.data-store';
import { createTusServer, TUS_SERVER } from './tus-server.provider';
import { tusResumableHeader } from './tus-resumable.middleware';
import { UploadDigestCache } from './upload-digest.cache';
import { UploadExpirySweeper } from './upload-expiry.sweeper';
import { UploadsController } from './uploads.controller';

@Module({
  imports: [
    FilesModule,
    EncryptionModule,
    MongooseModule.forFeature([{ name: ResumableUpload.name, schema: ResumableUploadSchema }]),
  ],
  controllers: [UploadsController],
  providers: [
    TusDataStore,
    UploadDigestCache,
    UploadExpirySweeper,
    { provide: TUS_SERVER, inject: [TusDataStore, APP_CONFIG], useFactory: createTusServer },
  ],
  exports: [UploadExpirySweeper],
})
export class UploadsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(tusResumableHeader).forRoutes(UploadsController);
  }
}
