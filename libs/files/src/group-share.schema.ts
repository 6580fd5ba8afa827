import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';
import { FileGrantFields, indexFileGrantFields } from './file-grant-fields';

/** A file shared by its owner with a group: every current member may read and download it. */
@Schema({ collection: 'group_shares', versionKey: false })
export class GroupShare extends FileGrantFields {
  @Prop({ type: Types.ObjectId, required: true })
  fileId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true, index: true })
  ownerId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true, index: true })
  groupId!: Types.ObjectId;

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;
}

export type GroupShareDocument = HydratedDocument<GroupShare>;
export const GroupShareSchema = SchemaFactory.createForClass(GroupShare);
GroupShareSchema.index({ fileId: 1, groupId: 1 }, { unique: true });
indexFileGrantFields(GroupShareSchema, 'groupId');
