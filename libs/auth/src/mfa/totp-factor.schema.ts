import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A user's TOTP factor: pending until a first code confirms it. The secret is sealed with the
 * server's key ring (AES-256-GCM, bound to the user id); recovery codes are kept as SHA-256 only.
 */
@Schema({ collection: 'mfa_totp_factors', versionKey: false })
export class TotpFactor {
  @Prop({ required: true, unique: true })
  userId!: string;

  @Prop({ required: true })
  kekId!: string;

  @Prop({ required: true })
  sealedSecret!: string;

  @Prop({ type: Date, default: null })
  confirmedAt!: Date | null;

  @Prop({ type: [String], default: [] })
  recoveryCodeHashes!: string[];

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;
}

export const TotpFactorSchema = SchemaFactory.createForClass(TotpFactor);
