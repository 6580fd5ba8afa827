import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { StoredFile, StoredFileSchema } from './file.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: StoredFile.name, schema: StoredFileSchema }])],
  exports: [MongooseModule],
})
export class FilesModule {}
