import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

/**
 * One visitor's session on one upload request: the handle in their HttpOnly cookie, stored only as
 * its SHA-256. For a request with a password it exists only once the password was right.
 */
@Schema({ collection: 'upload_request_visits', versionKey: false })
export class UploadRequestVisit {
  @Prop({ type: Types.ObjectId, required: true, index: true })
  requestId!: Types.ObjectId;

  @Prop({ required: true, unique: true })
  handleHash!: string;

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;

  /** Gone with its request's expiry (a TTL index), so abandoned visits do not pile up. */
  @Prop({ required: true, index: { expireAfterSeconds: 0 } })
  expiresAt!: Date;
}

export type UploadRequestVisitDocument = HydratedDocument<UploadRequestVisit>;
export const UploadRequestVisitSchema = SchemaFactory.createForClass(UploadRequestVisit);
