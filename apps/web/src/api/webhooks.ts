import { jsonRequest } from './json-request';
import { session } from './session';

/** The events an endpoint may subscribe to, as libs/webhooks lists them. */
export const WEBHOOK_EVENTS = [
  'file.uploaded',
  'file.scan_failed',
  'link.downloaded',
  'share.created',
  'upload_request.fulfilled',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEvent[];
  scope: 'user' | 'instance';
  enabled: boolean;
  disabledAt: string | null;
  disabledReason: string | null;
  createdAt: string;
}

export interface WebhookDelivery {
  webhookId: string;
  event: WebhookEvent;
  attempt: number;
  at: string;
  durationMs: number;
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
}

export interface DeliveryPage {
  items: WebhookDelivery[];
  page: number;
  limit: number;
  total: number;
}

const WEBHOOKS = '/api/v1/webhooks';
const one = (id: string) => `${WEBHOOKS}/${encodeURIComponent(id)}`;

export const listWebhooks = () => session.request(WEBHOOKS) as Promise<WebhookEndpoint[]>;

/** The signing secret is in `secret`, in this answer only. `instance`: admins only. */
export const createWebhook = (
  url: string,
  events: WebhookEvent[],
  scope: WebhookEndpoint['scope'] = 'user',
) =>
  session.request(WEBHOOKS, jsonRequest('POST', { url, events, scope })) as Promise<
    WebhookEndpoint & { secret: string }
  >;

/** `enabled: true` also re-enables an endpoint the server disabled after failed deliveries. */
export async function setWebhookEnabled(id: string, enabled: boolean): Promise<void> {
  await session.request(one(id), jsonRequest('PATCH', { enabled }));
}

export async function deleteWebhook(id: string): Promise<void> {
  await session.request(one(id), { method: 'DELETE' });
}

export const listDeliveries = (id: string, page: number, limit: number) =>
  session.request(`${one(id)}/deliveries?page=${page}&limit=${limit}`) as Promise<DeliveryPage>;
