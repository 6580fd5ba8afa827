import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

/**
 * A one-time code sent to a link's named recipient, stored only as an HMAC. Once the right code is
 * entered it becomes the verification a download grant points at (`verifiedAt` set); the record
 * goes when it expires.
 */
@Schema({ collection: 'link_recipient_codes', versionKey: false })
export class LinkRecipientCode {
  @Prop({ type: Types.ObjectId, required: true })
  linkId!: Types.ObjectId;

  @Prop({ required: true })
  email!: string;

  @Prop({ required: true })
  codeHash!: string;

  @Prop({ type: Date, default: null })
  verifiedAt!: Date | null;

  @Prop({ required: true })
  expiresAt!: Date;

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;
}

export type LinkRecipientCodeDocument = HydratedDocument<LinkRecipientCode>;
export const LinkRecipientCodeSchema = SchemaFactory.createForClass(LinkRecipientCode);
LinkRecipientCodeSchema.index({ linkId: 1, email: 1, createdAt: -1 });
LinkRecipientCodeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/**
 * One try at one code: numbered slots under a unique index, so at most five tries ever reach the
 * comparison, however many instances and requests race (no counter to lose an update).
 */
@Schema({ collection: 'link_recipient_code_attempts', versionKey: false })
export class LinkRecipientCodeAttempt {
  @Prop({ type: Types.ObjectId, required: true })
  codeId!: Types.ObjectId;

  @Prop({ required: true })
  slot!: number;

  @Prop({ required: true })
  expiresAt!: Date;
}

export const LinkRecipientCodeAttemptSchema =
  SchemaFactory.createForClass(LinkRecipientCodeAttempt);
LinkRecipientCodeAttemptSchema.index({ codeId: 1, slot: 1 }, { unique: true });
LinkRecipientCodeAttemptSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
