import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

/**
 * A reverse share: a link through which anyone holding it sends files into the owner's space.
 * The token itself is never stored, only its SHA-256, as for share links.
 */
@Schema({ collection: 'upload_requests', versionKey: false })
export class UploadRequest {
  @Prop({ type: Types.ObjectId, required: true, index: true })
  ownerId!: Types.ObjectId;

  @Prop({ required: true, unique: true })
  tokenHash!: string;

  @Prop({ required: true })
  title!: string;

  @Prop({ type: String, default: null })
  message!: string | null;

  @Prop({ required: true })
  expiresAt!: Date;

  /** null: no limit. */
  @Prop({ type: Number, default: null })
  maxFiles!: number | null;

  /** Bytes; null: no limit but the owner's quota and MAX_FILE_SIZE per file. */
  @Prop({ type: Number, default: null })
  maxTotalSize!: number | null;

  @Prop({ type: String, default: null })
  passwordHash!: string | null;

  @Prop({ type: Date, default: null })
  closedAt!: Date | null;

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;
}

export type UploadRequestDocument = HydratedDocument<UploadRequest>;
export const UploadRequestSchema = SchemaFactory.createForClass(UploadRequest);
