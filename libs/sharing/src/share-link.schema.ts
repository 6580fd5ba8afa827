import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

/**
 * A public link to one file or to one bundle (exactly one of `fileId` and `bundleId` is set). The
 * token itself is never stored: only its SHA-256.
 */
@Schema({ collection: 'share_links', versionKey: false })
export class ShareLink {
  @Prop({ type: Types.ObjectId, default: null, index: true })
  fileId!: Types.ObjectId | null;

  @Prop({ type: Types.ObjectId, default: null, index: true })
  bundleId!: Types.ObjectId | null;

  @Prop({ type: Types.ObjectId, required: true, index: true })
  ownerId!: Types.ObjectId;

  @Prop({ required: true, unique: true })
  tokenHash!: string;

  @Prop({ required: true })
  expiresAt!: Date;

  /** null: unlimited. */
  @Prop({ type: Number, default: null })
  maxDownloads!: number | null;

  @Prop({ type: String, default: null })
  passwordHash!: string | null;

  /** Normalised addresses that unlock the link with a one-time code; empty: anyone with it. */
  @Prop({ type: [String], default: [] })
  recipients!: string[];

  @Prop({ type: Date, default: null })
  revokedAt!: Date | null;

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;
}

export type ShareLinkDocument = HydratedDocument<ShareLink>;
export const ShareLinkSchema = SchemaFactory.createForClass(ShareLink);
