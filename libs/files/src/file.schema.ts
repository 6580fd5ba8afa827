import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

export const FILE_STATUSES = ['pending', 'ready'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

@Schema({ collection: 'files' })
export class StoredFile {
  @Prop({ type: Types.ObjectId, required: true, index: true })
  uploader!: Types.ObjectId;

  /** The original name, sanitised; never used to build a storage path. */
  @Prop({ required: true, maxlength: 255 })
  name!: string;

  @Prop({ required: true, min: 0 })
  size!: number;

  @Prop({ required: true })
  contentType!: string;

  @Prop()
  sha256?: string;

  @Prop({ required: true })
  storageDriver!: string;

  @Prop({ required: true })
  storageKey!: string;

  @Prop({ type: String, required: true, enum: FILE_STATUSES, default: 'pending' })
  status!: FileStatus;

  @Prop({ required: true, default: () => new Date(), index: true })
  uploadedAt!: Date;
}

export type StoredFileDocument = HydratedDocument<StoredFile>;
export const StoredFileSchema = SchemaFactory.createForClass(StoredFile);
