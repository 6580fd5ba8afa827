import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsString,
  Length,
  MaxLength,
} from 'class-validator';
import { OptionalProperty } from '@strongroom/common';
import type { WebhookDeliveryDocument } from '../webhook-delivery.schema';
import type { WebhookEndpointDocument } from '../webhook-endpoint.schema';
import {
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_SCOPES,
  type WebhookEventType,
  type WebhookScope,
} from '../webhook-event-types';

const EVENTS_MESSAGE = `events must be a non-empty list of: ${WEBHOOK_EVENT_TYPES.join(', ')}`;

export class CreateWebhookRequest {
  @ApiProperty({
    example: 'https://hooks.example.com/strongroom',
    format: 'uri',
    maxLength: 2000,
    description:
      'http(s); its host must resolve to public addresses only, unless an admin lists it in WEBHOOK_ALLOWED_HOSTS',
  })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiProperty({
    enum: WEBHOOK_EVENT_TYPES,
    isArray: true,
    example: ['file.uploaded'],
    minItems: 1,
    maxItems: WEBHOOK_EVENT_TYPES.length,
    uniqueItems: true,
  })
  @ArrayMinSize(1, { message: EVENTS_MESSAGE })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: EVENTS_MESSAGE })
  events!: WebhookEventType[];

  @ApiPropertyOptional({ example: 'CI pipeline', maxLength: 200 })
  @OptionalProperty()
  @IsString()
  @Length(0, 200)
  description?: string;

  @ApiPropertyOptional({
    enum: WEBHOOK_SCOPES,
    default: 'user',
    description: "`user`: your own events; `instance`: every user's events (admins only)",
  })
  @OptionalProperty()
  @IsIn(WEBHOOK_SCOPES)
  scope?: WebhookScope;
}

export class UpdateWebhookRequest {
  @ApiPropertyOptional({ format: 'uri', maxLength: 2000 })
  @OptionalProperty()
  @IsString()
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({
    enum: WEBHOOK_EVENT_TYPES,
    isArray: true,
    minItems: 1,
    maxItems: WEBHOOK_EVENT_TYPES.length,
    uniqueItems: true,
  })
  @OptionalProperty()
  @ArrayMinSize(1, { message: EVENTS_MESSAGE })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: EVENTS_MESSAGE })
  events?: WebhookEventType[];

  @ApiPropertyOptional({ maxLength: 200 })
  @OptionalProperty()
  @IsString()
  @Length(0, 200)
  description?: string;

  @ApiPropertyOptional({
    description:
      'false disables the endpoint; true enables it again (after it was disabled for failures too)',
  })
  @OptionalProperty()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  url!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  events!: WebhookEventType[];

  @ApiProperty({ enum: WEBHOOK_SCOPES })
  scope!: WebhookScope;

  @ApiProperty()
  ownerId!: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  disabledAt!: Date | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why it was disabled' })
  disabledReason!: string | null;

  @ApiProperty()
  createdAt!: Date;

  static from(endpoint: WebhookEndpointDocument): WebhookResponse {
    return {
      id: endpoint.id as string,
      url: endpoint.url,
      description: endpoint.description,
      events: endpoint.events,
      scope: endpoint.scope,
      ownerId: endpoint.ownerId.toHexString(),
      enabled: !endpoint.disabledAt,
      disabledAt: endpoint.disabledAt ?? null,
      disabledReason: endpoint.disabledReason ?? null,
      createdAt: endpoint.createdAt,
    };
  }
}

export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description:
      'The signing secret (Standard Webhooks), shown only here: verify the webhook-signature header with it',
  })
  secret!: string;
}

export class WebhookDeliveryResponse {
  @ApiProperty({ description: 'The webhook-id header, the same on every attempt at one event' })
  webhookId!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES })
  event!: string;

  @ApiProperty({ type: 'integer', description: '1 for the first attempt' })
  attempt!: number;

  @ApiProperty()
  at!: Date;

  @ApiProperty({ type: 'integer' })
  durationMs!: number;

  @ApiProperty({ description: 'A 2xx answer came' })
  delivered!: boolean;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The status the receiver answered' })
  statusCode!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'What went wrong: a status, a timeout, a refused address',
  })
  error!: string | null;

  static from(delivery: WebhookDeliveryDocument): WebhookDeliveryResponse {
    return {
      webhookId: delivery.webhookId,
      event: delivery.eventType,
      attempt: delivery.attempt,
      at: delivery.at,
      durationMs: delivery.durationMs,
      delivered: delivery.delivered,
      statusCode: delivery.statusCode ?? null,
      error: delivery.error ?? null,
    };
  }
}

export class WebhookDeliveryPage {
  @ApiProperty({ type: [WebhookDeliveryResponse] })
  items!: WebhookDeliveryResponse[];

  @ApiProperty({ example: 1 })
  page!: number;

  @ApiProperty({ example: 20 })
  limit!: number;

  @ApiProperty({ example: 42 })
  total!: number;
}
