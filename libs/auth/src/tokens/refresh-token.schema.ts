import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';

/**
 * One refresh token, stored only as its SHA-256. Tokens rotated from one login share a family;
 * presenting a used one revokes the family, since either the holder or a thief replayed it.
 */
@Schema({ collection: 'refresh_tokens', versionKey: false })
export class RefreshToken {
  @Prop({ required: true, unique: true })
  tokenHash!: string;

  @Prop({ required: true, index: true })
  familyId!: string;

  @Prop({ required: true, index: true })
  userId!: string;

  /** The user's tokenVersion at issue; a password or role change makes the token useless. */
  @Prop({ required: true })
  tokenVersion!: number;

  @Prop({ required: true, index: true })
  expiresAt!: Date;

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;

  @Prop({ type: Date, default: null })
  usedAt!: Date | null;

  @Prop({ type: Date, default: null })
  revokedAt!: Date | null;
}

export type RefreshTokenDocument = HydratedDocument<RefreshToken>;
export const RefreshTokenSchema = SchemaFactory.createForClass(RefreshToken);
