import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import escapeHtml from 'escape-html';
import { isValidObjectId, type Model, Types } from 'mongoose';
import { Webhook } from 'standardwebhooks';
import { SecurityEventsService } from '@strongroom/audit';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import {
  GiveUpDelivery,
  Outbox,
  type OutboxChannel,
  type OutboxMessageDocument,
} from '@strongroom/notifications';
import { UsersService } from '@strongroom/users';
import { webhookRetryDelay } from './webhook-backoff';
import { WebhookDelivery } from './webhook-delivery.schema';
import { WebhookEndpoint, type WebhookEndpointDocument } from './webhook-endpoint.schema';
import { WebhookHttpClient, WebhookTargetRefused } from './webhook-http.client';
import { type WebhookAttemptOutcome, WebhookMetrics } from './webhook-metrics';
import { WebhookSecretSealer } from './webhook-secret.sealer';

/** What a queued webhook message carries; fixed at publishing, so every retry sends the same. */
export interface WebhookPayload {
  endpointId: string;
  webhookId: string;
  eventType: string;
  body: string;
}

/** The delivery log is for recent questions; a month of attempts is plenty. */
const DELIVERY_RETENTION_MS = 30 * 24 * 3_600_000;
const MAX_ERROR_LENGTH = 300;

/** Webhook calls through the outbox: signed per attempt, logged per attempt, retried for days. */
@Injectable()
export class WebhookOutboxChannel implements OutboxChannel {
  readonly name = 'webhook';
  readonly enabled = true;
  readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly logger = new Logger('Webhooks');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectModel(WebhookEndpoint.name) private readonly endpoints: Model<WebhookEndpoint>,
    @InjectModel(WebhookDelivery.name) private readonly deliveries: Model<WebhookDelivery>,
    private readonly http: WebhookHttpClient,
    private readonly sealer: WebhookSecretSealer,
    private readonly metrics: WebhookMetrics,
    private readonly outbox: Outbox,
    private readonly users: UsersService,
    private readonly events: SecurityEventsService,
  ) {
    this.maxAttempts = config.webhooks.maxAttempts;
    this.retryBaseMs = config.webhooks.retryBaseMs;
  }

  retryDelay(attemptsMade: number): number {
    return webhookRetryDelay(attemptsMade, this.retryBaseMs);
  }

  async deliver(message: OutboxMessageDocument, attempt: number): Promise<void> {
    const payload = message.payload as unknown as WebhookPayload;
    const endpoint = await this.endpointOf(payload);
    if (!endpoint) throw new GiveUpDelivery('the endpoint was deleted');
    if (endpoint.disabledAt) throw new GiveUpDelivery('the endpoint is disabled');
    const secret = this.sealer.open(endpoint.id as string, endpoint);
    const sentAt = new Date();
    const headers = {
      'webhook-id': payload.webhookId,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(payload.webhookId, sentAt, payload.body),
    };
    const started = performance.now();
    let outcome: WebhookAttemptOutcome;
    let statusCode: number | undefined;
    let error: string | undefined;
    try {
      ({ statusCode } = await this.http.post(endpoint.url, headers, payload.body));
      outcome = statusCode >= 200 && statusCode < 300 ? 'delivered' : 'rejected';
      if (outcome === 'rejected') {
        error =
          statusCode >= 300 && statusCode < 400
            ? `answered ${statusCode}; redirects are not followed`
            : `answered ${statusCode}`;
      }
    } catch (failure) {
      outcome = failure instanceof WebhookTargetRefused ? 'refused' : 'error';
      error = (failure as Error).message.slice(0, MAX_ERROR_LENGTH);
    }
    const durationMs = Math.round(performance.now() - started);
    this.metrics.attempted(payload.eventType, outcome, durationMs);
    await this.deliveries.create({
      endpointId: endpoint._id,
      webhookId: payload.webhookId,
      eventType: payload.eventType,
      attempt,
      at: sentAt,
      durationMs,
      delivered: outcome === 'delivered',
      statusCode,
      error,
    });
    if (error) throw new Error(error);
  }

  /** The last attempt failed: the endpoint is disabled, once, and its owner told. */
  async gaveUp(message: OutboxMessageDocument, reason: string): Promise<void> {
    const payload = message.payload as unknown as WebhookPayload;
    if (!isValidObjectId(payload.endpointId)) return;
    const disabledReason = `${this.maxAttempts} attempts at ${payload.eventType} ${payload.webhookId} failed; the last: ${reason}`;
    const endpoint = await this.endpoints
      .findOneAndUpdate(
        { _id: new Types.ObjectId(payload.endpointId), disabledAt: null },
        { $set: { disabledAt: new Date(), disabledReason } },
        { new: true },
      )
      .exec();
    // Given up because it was already disabled or deleted: nothing new to tell.
    if (!endpoint) return;
    this.logger.warn(`webhook endpoint ${endpoint.id as string} disabled after repeated failures`);
    await this.events.record({
      type: 'webhook_disabled',
      subjectId: endpoint.ownerId.toHexString(),
      details: { endpointId: endpoint.id as string, reason: disabledReason.slice(0, 500) },
    });
    await this.noticeTo(endpoint, disabledReason);
  }

  async prune(now: Date): Promise<void> {
    await this.deliveries
      .deleteMany({ at: { $lt: new Date(now.getTime() - DELIVERY_RETENTION_MS) } })
      .exec();
  }

  private async endpointOf(payload: WebhookPayload): Promise<WebhookEndpointDocument | null> {
    if (!isValidObjectId(payload.endpointId)) return null;
    return this.endpoints.findById(payload.endpointId).exec();
  }

  private async noticeTo(endpoint: WebhookEndpointDocument, reason: string): Promise<void> {
    const owner = await this.users.findById(endpoint.ownerId.toHexString());
    if (!owner) return;
    const text = [
      `Strongroom stopped sending webhooks to ${endpoint.url}: deliveries kept failing.`,
      '',
      reason,
      '',
      `Fix the receiver, then enable the endpoint again: PATCH ${this.config.http.publicUrl}/api/v1/webhooks/${endpoint.id as string} with {"enabled": true}.`,
      'Its delivery log shows every attempt.',
    ].join('\n');
    const html = [
      '<!doctype html><html><body>',
      `<p>Strongroom stopped sending webhooks to <strong>${escapeHtml(endpoint.url)}</strong>: deliveries kept failing.</p>`,
      `<p>${escapeHtml(reason)}</p>`,
      `<p>Fix the receiver, then enable the endpoint again. Its delivery log shows every attempt.</p>`,
      '</body></html>',
    ].join('');
    await this.outbox.enqueue('webhook_disabled', [
      { to: owner.email, subject: 'A webhook endpoint was disabled', text, html },
    ]);
  }
}
