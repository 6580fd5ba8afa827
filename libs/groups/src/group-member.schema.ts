import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

/**
 * One user's membership of one group: a document of its own under a unique index, so adding and
 * removing members are single inserts and deletes that never race on a shared member list.
 */
@Schema({ collection: 'group_members', versionKey: false })
export class GroupMember {
  @Prop({ type: Types.ObjectId, required: true })
  groupId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true, index: true })
  userId!: Types.ObjectId;

  @Prop({ required: true })
  email!: string;

  @Prop({ type: Types.ObjectId, required: true })
  addedBy!: Types.ObjectId;

  @Prop({ required: true, default: () => new Date() })
  addedAt!: Date;
}

export type GroupMemberDocument = HydratedDocument<GroupMember>;
export const GroupMemberSchema = SchemaFactory.createForClass(GroupMember);
GroupMemberSchema.index({ groupId: 1, userId: 1 }, { unique: true });
