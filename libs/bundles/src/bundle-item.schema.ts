import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';
import { FileGrantFields, indexFileGrantFields } from '@strongroom/files';

/**
 * One file in a bundle, at a position. A record per file rather than an array on the bundle: the
 * embedded database can lose one of two concurrent updates to a document, and deleting a file
 * then removes its items with one deleteMany instead of rewriting every bundle that holds it. It
 * keeps its file's sort fields (FileGrantFields), so the files of the bundles shared with a user
 * are listed (`scope=shared`) a page at a time off the items' indexes.
 */
@Schema({ collection: 'bundle_items', versionKey: false })
export class BundleItem extends FileGrantFields {
  @Prop({ type: Types.ObjectId, required: true })
  bundleId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true, index: true })
  fileId!: Types.ObjectId;

  /** The bundle's owner, so an account's items are found without the bundle (export, erasure). */
  @Prop({ type: Types.ObjectId, required: true, index: true })
  ownerId!: Types.ObjectId;

  @Prop({ required: true })
  position!: number;
}

export type BundleItemDocument = HydratedDocument<BundleItem>;
export const BundleItemSchema = SchemaFactory.createForClass(BundleItem);
BundleItemSchema.index({ bundleId: 1, fileId: 1 }, { unique: true });
BundleItemSchema.index({ bundleId: 1, position: 1 });
indexFileGrantFields(BundleItemSchema, 'bundleId');
