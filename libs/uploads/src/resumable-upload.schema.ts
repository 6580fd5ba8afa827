import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';
import type { EncryptionHeader } from '@strongroom/encryption';
import type { ResumableState } from '@strongroom/storage';

export const RESUMABLE_UPLOAD_STATUSES = ['receiving', 'completed'] as const;
export type ResumableUploadStatus = (typeof RESUMABLE_UPLOAD_STATUSES)[number];

/**
 * One tus upload, shared by every instance: its id is also the id of the file it becomes (the
 * encryption binds it into every chunk). The offset counts only whole parts of sealed chunks that
 * are durably stored; `claim` is held by the one request writing, taken and renewed by conditional updates.
 */
@Schema({ collection: 'resumable_uploads', versionKey: false })
export class ResumableUpload {
  @Prop({ type: Types.ObjectId, required: true, index: true })
  owner!: Types.ObjectId;

  /** The file name from the `filename` (or `name`) metadata, sanitised when the file is made. */
  @Prop({ type: String })
  name?: string;

  /** Upload-Metadata as the client sent it, echoed by HEAD. */
  @Prop({ type: MongooseSchema.Types.Mixed, default: {} })
  metadata!: Record<string, string | null>;

  /** Upload-Length: known at creation (deferred length is refused), and reserved from the quota. */
  @Prop({ required: true, min: 0 })
  length!: number;

  @Prop({ required: true, min: 0, default: 0 })
  offset!: number;

  /** Index of the next chunk to seal; every earlier one is stored. */
  @Prop({ required: true, min: 0, default: 0 })
  nextChunk!: number;

  /** Sealed chunks per stored part: one on local storage, enough for S3's 5 MiB minimum there. */
  @Prop({ required: true, min: 1, default: 1 })
  chunksPerPart!: number;

  /** The driver's state (an S3 UploadId). */
  @Prop({ type: MongooseSchema.Types.Mixed, default: {} })
  storageState!: ResumableState;

  /** Each stored part's receipt (S3: its ETag), in order, so completion needs no ListParts. */
  @Prop({ type: [String], default: [] })
  parts!: string[];

  /** The parts were committed to the file's key; only the scan and the record remain. */
  @Prop({ default: false })
  committed!: boolean;

  /** The file's data key, wrapped, and its chunk size. */
  @Prop({ type: MongooseSchema.Types.Mixed })
  encryption?: EncryptionHeader;

  @Prop({ type: String, required: true, enum: RESUMABLE_UPLOAD_STATUSES, default: 'receiving' })
  status!: ResumableUploadStatus;

  @Prop({ type: String })
  claimToken?: string;

  @Prop({ type: Date })
  claimUntil?: Date;

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;

  /** createdAt + UPLOAD_EXPIRY: an upload still receiving then is swept, its quota released. */
  @Prop({ required: true, index: true })
  expiresAt!: Date;
}

export type ResumableUploadDocument = HydratedDocument<ResumableUpload>;
export const ResumableUploadSchema = SchemaFactory.createForClass(ResumableUpload);
