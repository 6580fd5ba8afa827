import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';
import { FileGrantFields, indexFileGrantFields } from './file-grant-fields';

/** A file shared by its owner with one registered user, who may then read and download it. */
@Schema({ collection: 'shares', versionKey: false })
export class FileShare extends FileGrantFields {
  @Prop({ type: Types.ObjectId, required: true })
  fileId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true, index: true })
  ownerId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true, index: true })
  userId!: Types.ObjectId;

  @Prop({ required: true })
  email!: string;

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;
}

export type FileShareDocument = HydratedDocument<FileShare>;
export const FileShareSchema = SchemaFactory.createForClass(FileShare);
FileShareSchema.index({ fileId: 1, userId: 1 }, { unique: true });
indexFileGrantFields(FileShareSchema, 'userId');
