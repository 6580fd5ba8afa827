import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const CEREMONIES = ['registration', 'sign-in', 'second-factor'] as const;
export type Ceremony = (typeof CEREMONIES)[number];

/**
 * An open WebAuthn ceremony. Kept in the database so any instance can finish what another began;
 * finishing deletes it in the same operation that reads it, so each challenge is answered once.
 */
@Schema({ collection: 'webauthn_challenges', versionKey: false })
export class WebAuthnChallenge {
  /** The challengeId clients send back: random, so nobody can claim (and so spend) another's. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  challenge!: string;

  @Prop({ type: String, required: true, enum: CEREMONIES })
  ceremony!: Ceremony;

  /** The user the ceremony is for; null for password-less sign-in, where nobody is known yet. */
  @Prop({ type: String, default: null })
  userId!: string | null;

  @Prop({ required: true })
  expiresAt!: Date;
}

export const WebAuthnChallengeSchema = SchemaFactory.createForClass(WebAuthnChallenge);
WebAuthnChallengeSchema.index({ expiresAt: 1 });
