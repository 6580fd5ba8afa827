import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export type OidcAttemptMode = 'login' | 'link';

/**
 * A started single sign-on, kept server-side so any instance can finish it: what the callback
 * must see again (state, nonce) and the PKCE verifier. Found by the hash of the random handle in
 * the browser's cookie, and deleted when used, so it finishes at most once.
 */
@Schema({ collection: 'oidc_attempts', versionKey: false })
export class OidcAttempt {
  @Prop({ required: true, unique: true })
  handleHash!: string;

  @Prop({ required: true })
  state!: string;

  @Prop({ required: true })
  nonce!: string;

  @Prop({ required: true })
  codeVerifier!: string;

  @Prop({ type: String, required: true, enum: ['login', 'link'] })
  mode!: OidcAttemptMode;

  /** The signed-in account a link attempt adds the identity to. */
  @Prop()
  userId?: string;

  /** Read on use; the TTL index only tidies up. */
  @Prop({ required: true, index: { expireAfterSeconds: 0 } })
  expiresAt!: Date;
}

export const OidcAttemptSchema = SchemaFactory.createForClass(OidcAttempt);
