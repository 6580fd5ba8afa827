import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One spent one-time credential: a TOTP time step (`totp:<step>`), a recovery code
 * (`recovery:<sha256>`) or a sign-in token (`token:<jti>`). The unique index is what makes each
 * usable once: of two concurrent uses only one insert succeeds, with no read-modify-write.
 */
@Schema({ collection: 'mfa_spent_codes', versionKey: false })
export class MfaSpentCode {
  @Prop({ required: true })
  userId!: string;

  @Prop({ required: true })
  ref!: string;

  /** Set for TOTP steps, so a code older than the last accepted one is refused too. */
  @Prop({ type: Number, default: null })
  step!: number | null;

  @Prop({ required: true, default: () => new Date() })
  spentAt!: Date;
}

export const MfaSpentCodeSchema = SchemaFactory.createForClass(MfaSpentCode);
MfaSpentCodeSchema.index({ userId: 1, ref: 1 }, { unique: true });
MfaSpentCodeSchema.index({ userId: 1, step: -1 });
