import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

export const MAX_BUNDLE_NAME_LENGTH = 200;

/** A named set of its owner's files; which files, in which order, is in `bundle_items`. */
@Schema({ collection: 'bundles', versionKey: false })
export class Bundle {
  @Prop({ type: Types.ObjectId, required: true, index: true })
  ownerId!: Types.ObjectId;

  @Prop({ required: true, maxlength: MAX_BUNDLE_NAME_LENGTH })
  name!: string;

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;

  @Prop({ required: true, default: () => new Date() })
  updatedAt!: Date;
}

export type BundleDocument = HydratedDocument<Bundle>;
export const BundleSchema = SchemaFactory.createForClass(Bundle);
