import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

/**
 * A bundle shared by its owner with one user (`userId`) or with a group (`groupId`): they may read
 * every file the bundle holds now (FileAccessPolicy, through FileGrantRegistry).
 */
@Schema({ collection: 'bundle_shares', versionKey: false })
export class BundleShare {
  @Prop({ type: Types.ObjectId, required: true })
  bundleId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true, index: true })
  ownerId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, default: null, index: true })
  userId!: Types.ObjectId | null;

  @Prop({ type: String, default: null })
  email!: string | null;

  @Prop({ type: Types.ObjectId, default: null, index: true })
  groupId!: Types.ObjectId | null;

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;
}

export type BundleShareDocument = HydratedDocument<BundleShare>;
export const BundleShareSchema = SchemaFactory.createForClass(BundleShare);
/** One share per bundle and recipient; the other recipient field is null. */
BundleShareSchema.index({ bundleId: 1, userId: 1, groupId: 1 }, { unique: true });
