import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument } from 'mongoose';

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * A message waiting to go out: an e-mail or a webhook call. Requests only insert these; the outbox
 * worker sends them, so a slow or unreachable receiver never holds up a request, and a message
 * survives a restart.
 */
@Schema({ collection: 'outbox_messages', versionKey: false })
export class OutboxMessage {
  /** Which channel sends it (`mail`, `webhook`); messages from before channels are mail. */
  @Prop({ required: true, default: 'mail' })
  channel!: string;

  /** Mail only: the recipient, subject and bodies. */
  @Prop({ type: String })
  to?: string;

  @Prop({ type: String })
  subject?: string;

  @Prop({ type: String })
  text?: string;

  @Prop({ type: String })
  html?: string;

  /** Other channels: what their sender needs, as the channel defines it. */
  @Prop({ type: Object })
  payload?: Record<string, unknown>;

  /** What it is about, for metrics and the log (never the content): `share_received`. */
  @Prop({ required: true })
  topic!: string;

  @Prop({ type: String, required: true, enum: OUTBOX_STATUSES, default: 'pending' })
  status!: OutboxStatus;

  /** Attempts made so far; each attempt is claimed once, by (message, attempt), across instances. */
  @Prop({ required: true, default: 0 })
  attempts!: number;

  @Prop({ required: true, default: () => new Date() })
  nextAttemptAt!: Date;

  @Prop({ type: String })
  lastError?: string;

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;

  @Prop({ type: Date })
  sentAt?: Date;
}

export type OutboxMessageDocument = HydratedDocument<OutboxMessage>;
export const OutboxMessageSchema = SchemaFactory.createForClass(OutboxMessage);
OutboxMessageSchema.index({ status: 1, nextAttemptAt: 1 });
OutboxMessageSchema.index({ status: 1, createdAt: 1 });
OutboxMessageSchema.index({ 'payload.endpointId': 1 }, { sparse: true });

/** One attempt at one message, taken by a unique insert, so two instances never send it twice. */
@Schema({ collection: 'outbox_claims', versionKey: false })
export class OutboxClaim {
  /** `<message id>:<attempt>`. */
  @Prop({ required: true, unique: true })
  key!: string;

  @Prop({ required: true, default: () => new Date(), index: true })
  claimedAt!: Date;
}

export const OutboxClaimSchema = SchemaFactory.createForClass(OutboxClaim);
