/** The events an endpoint may subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'file.uploaded',
  'file.scan_failed',
  'link.downloaded',
  'share.created',
  'upload_request.fulfilled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_SCOPES = ['user', 'instance'] as const;
/** `user`: the owner's own events; `instance`: every user's events (admins only). */
export type WebhookScope = (typeof WEBHOOK_SCOPES)[number];
