import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A WebAuthn credential registered by a user: its public key (COSE, base64url) and what the spec
 * asks a relying party to remember of it. Nothing here is secret; the private key never leaves
 * the authenticator.
 */
@Schema({ collection: 'passkeys', versionKey: false })
export class Passkey {
  @Prop({ required: true, index: true })
  userId!: string;

  /** The credential id (base64url), unique across all users as the spec requires. */
  @Prop({ required: true, unique: true })
  credentialId!: string;

  @Prop({ required: true })
  publicKey!: string;

  /** The authenticator's signature counter; 0 for authenticators that keep none. */
  @Prop({ required: true, default: 0 })
  counter!: number;

  @Prop({ type: [String], default: [] })
  transports!: string[];

  @Prop({ required: true })
  name!: string;

  /** singleDevice or multiDevice (synced passkey). */
  @Prop({ required: true })
  deviceType!: string;

  @Prop({ required: true, default: false })
  backedUp!: boolean;

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;

  @Prop({ type: Date, default: null })
  lastUsedAt!: Date | null;
}

export const PasskeySchema = SchemaFactory.createForClass(Passkey);
