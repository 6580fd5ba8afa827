export { WebhooksModule } from './webhooks.module';
export { WebhookEvents, type WebhookEvent } from './webhook-events.publisher';
export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-event-types';
