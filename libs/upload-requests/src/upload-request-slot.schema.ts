import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

/**
 * One file received through an upload request, numbered 0, 1, 2… under a unique index on
 * (request, number), so `maxFiles` holds without a counter (see UploadRequestSlots). It also
 * records which visit sent the file: the only thing a visitor is ever shown is their own slots.
 */
@Schema({ collection: 'upload_request_slots', versionKey: false })
export class UploadRequestSlot {
  @Prop({ type: Types.ObjectId, required: true })
  requestId!: Types.ObjectId;

  @Prop({ required: true, min: 0 })
  slot!: number;

  @Prop({ required: true, min: 0 })
  size!: number;

  @Prop({ type: Types.ObjectId, required: true, index: true })
  visitId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true, index: true })
  fileId!: Types.ObjectId;

  @Prop({ required: true })
  name!: string;

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;
}

export type UploadRequestSlotDocument = HydratedDocument<UploadRequestSlot>;
export const UploadRequestSlotSchema = SchemaFactory.createForClass(UploadRequestSlot);
UploadRequestSlotSchema.index({ requestId: 1, slot: 1 }, { unique: true });
