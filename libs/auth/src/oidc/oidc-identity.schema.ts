import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';

/** An identity provider account linked to one of ours: by (issuer, subject), never by email. */
@Schema({ collection: 'oidc_identities', timestamps: true, versionKey: false })
export class OidcIdentity {
  @Prop({ required: true })
  issuer!: string;

  @Prop({ required: true })
  subject!: string;

  @Prop({ required: true, index: true })
  userId!: string;

  /** The provider's address for the account when it was linked; shown, never used to match. */
  @Prop()
  email?: string;

  @Prop()
  lastSignInAt?: Date;

  createdAt!: Date;
}

export type OidcIdentityDocument = HydratedDocument<OidcIdentity>;
export const OidcIdentitySchema = SchemaFactory.createForClass(OidcIdentity);
/** One account per provider identity, and one identity per provider for an account. */
OidcIdentitySchema.index({ issuer: 1, subject: 1 }, { unique: true });
OidcIdentitySchema.index({ userId: 1, issuer: 1 }, { unique: true });
