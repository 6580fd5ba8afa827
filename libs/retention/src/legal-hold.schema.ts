import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

export const HOLD_SUBJECTS = ['file', 'user'] as const;
/** A hold on one file, or on every file a user owns (today's and those uploaded later). */
export type HoldSubject = (typeof HOLD_SUBJECTS)[number];

/**
 * One legal hold: a document of its own under a unique index on its subject, so placing a hold
 * twice is one upsert and releasing it one delete, never a counter two requests could race on.
 */
@Schema({ collection: 'legal_holds', versionKey: false })
export class LegalHold {
  @Prop({ type: String, required: true, enum: HOLD_SUBJECTS })
  subject!: HoldSubject;

  @Prop({ type: Types.ObjectId, required: true })
  subjectId!: Types.ObjectId;

  @Prop({ required: true })
  reason!: string;

  @Prop({ type: Types.ObjectId, required: true })
  placedBy!: Types.ObjectId;

  /** Kept so a refusal can say who placed the hold without another lookup. */
  @Prop({ required: true })
  placedByEmail!: string;

  @Prop({ required: true, default: () => new Date() })
  placedAt!: Date;
}

export type LegalHoldDocument = HydratedDocument<LegalHold>;
export const LegalHoldSchema = SchemaFactory.createForClass(LegalHold);
LegalHoldSchema.index({ subjectId: 1, subject: 1 }, { unique: true });
