import {
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectModel, MongooseModule } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { APP_CONFIG } from '@strongroom/config';
import { EncryptionModule, KeyRotation, MongoSealedKeyStore } from '@strongroom/encryption';
import { FilesModule } from '@strongroom/files';
import { ResumableUpload, ResumableUploadSchema } from './resumable-upload.schema';
import { TusDataStore } from './tus.data-store';
import { TusPatchHandler } from './tus-patch.handler';
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
    TusPatchHandler,
    UploadDigestCache,
    UploadExpirySweeper,
    { provide: TUS_SERVER, inject: [TusDataStore, APP_CONFIG], useFactory: createTusServer },
  ],
  exports: [UploadExpirySweeper],
})
export class UploadsModule implements NestModule, OnModuleInit {
  constructor(
    private readonly keyRotation: KeyRotation,
    @InjectModel(ResumableUpload.name) private readonly uploads: Model<ResumableUpload>,
  ) {}

  onModuleInit(): void {
    this.keyRotation.register(
      new MongoSealedKeyStore(this.uploads, {
        kind: 'resumable upload data keys',
        kekIdPath: 'encryption.kekId',
        wrappedKeyPath: 'encryption.wrappedKey',
        keyProviderPath: 'encryption.keyProvider',
        binding: (upload) => upload._id.toHexString(),
      }),
    );
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(tusResumableHeader).forRoutes(UploadsController);
  }
}
