import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';
import {
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_SCOPES,
  type WebhookEventType,
  type WebhookScope,
} from './webhook-event-types';

/** A URL that receives signed event notifications. */
@Schema({ collection: 'webhook_endpoints', versionKey: false, timestamps: true })
export class WebhookEndpoint {
  @Prop({ type: Types.ObjectId, required: true, index: true })
  ownerId!: Types.ObjectId;

  @Prop({ type: String, required: true, enum: WEBHOOK_SCOPES, default: 'user' })
  scope!: WebhookScope;

  @Prop({ required: true })
  url!: string;

  @Prop({ default: '' })
  description!: string;

  @Prop({ type: [String], required: true, enum: WEBHOOK_EVENT_TYPES })
  events!: WebhookEventType[];

  /** The signing secret (`whsec_…` without the prefix), sealed with the key ring. */
  @Prop({ required: true })
  kekId!: string;

  @Prop({ required: true })
  sealedSecret!: string;

  /** Set when deliveries kept failing (or by its owner); a disabled endpoint gets nothing. */
  @Prop({ type: Date })
  disabledAt?: Date;

  @Prop({ type: String })
  disabledReason?: string;

  createdAt!: Date;
  updatedAt!: Date;
}

export type WebhookEndpointDocument = HydratedDocument<WebhookEndpoint>;
export const WebhookEndpointSchema = SchemaFactory.createForClass(WebhookEndpoint);
WebhookEndpointSchema.index({ scope: 1, events: 1 });
