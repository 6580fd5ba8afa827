import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

/** One attempt at delivering one event to one endpoint: the endpoint's delivery log. */
@Schema({ collection: 'webhook_deliveries', versionKey: false })
export class WebhookDelivery {
  @Prop({ type: Types.ObjectId, required: true })
  endpointId!: Types.ObjectId;

  /** The `webhook-id` header: the same on every attempt at one event. */
  @Prop({ required: true })
  webhookId!: string;

  @Prop({ required: true })
  eventType!: string;

  @Prop({ required: true })
  attempt!: number;

  @Prop({ required: true })
  at!: Date;

  @Prop({ required: true })
  durationMs!: number;

  @Prop({ type: Boolean, required: true })
  delivered!: boolean;

  @Prop({ type: Number })
  statusCode?: number;

  @Prop({ type: String })
  error?: string;
}

export type WebhookDeliveryDocument = HydratedDocument<WebhookDelivery>;
export const WebhookDeliverySchema = SchemaFactory.createForClass(WebhookDelivery);
WebhookDeliverySchema.index({ endpointId: 1, at: -1 });
WebhookDeliverySchema.index({ at: 1 });
