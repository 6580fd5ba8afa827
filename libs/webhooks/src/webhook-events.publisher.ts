import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { Outbox } from '@strongroom/notifications';
import { WebhookEndpoint } from './webhook-endpoint.schema';
import type { WebhookEventType } from './webhook-event-types';
import type { WebhookPayload } from './webhook.outbox-channel';

export interface WebhookEvent {
  type: WebhookEventType;
  /** The user whose event it is: their endpoints get it, and instance-wide ones. */
  ownerId: string;
  /** The event's fields, as receivers read them under `data`. */
  data: Record<string, unknown>;
}

/**
 * The port producers call when something happened ("a file was uploaded"). It queues one signed
 * call per subscribed endpoint in the outbox and returns; it never fails the caller's request.
 */
@Injectable()
export class WebhookEvents {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @InjectModel(WebhookEndpoint.name) private readonly endpoints: Model<WebhookEndpoint>,
    private readonly outbox: Outbox,
  ) {}

  async publish(event: WebhookEvent): Promise<void> {
    try {
      await this.queue(event);
    } catch (error) {
      this.logger.warn(`could not queue ${event.type} webhooks: ${(error as Error).message}`);
    }
  }

  private async queue(event: WebhookEvent): Promise<void> {
    const owner = Types.ObjectId.isValid(event.ownerId) ? new Types.ObjectId(event.ownerId) : null;
    const endpoints = await this.endpoints
      .find(
        {
          disabledAt: null,
          events: event.type,
          $or: [{ scope: 'instance' }, ...(owner ? [{ scope: 'user', ownerId: owner }] : [])],
        },
        { _id: 1 },
      )
      .lean()
      .exec();
    if (endpoints.length === 0) return;
    const timestamp = new Date().toISOString();
    const payloads = endpoints.map(
      ({ _id }): { payload: WebhookPayload & Record<string, unknown> } => {
        const webhookId = `msg_${randomUUID().replaceAll('-', '')}`;
        const body = JSON.stringify({ type: event.type, timestamp, data: event.data });
        return {
          payload: { endpointId: _id.toHexString(), webhookId, eventType: event.type, body },
        };
      },
    );
    await this.outbox.enqueueOn('webhook', `webhook:${event.type}`, payloads);
  }
}
