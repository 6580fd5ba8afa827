import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';
import { announceWrites } from '@strongroom/common';

/**
 * A signed-in session: one refresh-token family, whose id it shares, and the `sid` claim of its
 * access tokens. Revoked sessions stay until they expire, so a refresh racing the revocation
 * cannot bring them back.
 */
@Schema({ collection: 'sessions', versionKey: false })
export class Session {
  /** The refresh-token family id. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true, index: true })
  userId!: string;

  /** The user's tokenVersion at sign-in; a password change or logout everywhere ends it. */
  @Prop({ required: true })
  tokenVersion!: number;

  @Prop({ required: true })
  createdAt!: Date;

  /** Sign-in, then each refresh. */
  @Prop({ required: true })
  lastUsedAt!: Date;

  /** The client address of the last sign-in or refresh, as resolved through TRUST_PROXY. */
  @Prop({ required: true })
  ip!: string;

  @Prop({ type: String, default: null })
  userAgent!: string | null;

  @Prop({ type: Object, required: true })
  device!: { label: string; browser: string | null; os: string | null; type: string | null };

  /** When its newest refresh token expires. */
  @Prop({ required: true, index: true })
  expiresAt!: Date;

  @Prop({ type: Date, default: null })
  revokedAt!: Date | null;
}

export type SessionDocument = HydratedDocument<Session>;
export const SessionSchema = SchemaFactory.createForClass(Session);
// Cached principals (PrincipalCache) go stale with any write to a session.
SessionSchema.plugin(announceWrites('sessions', ['_id', 'userId']));
