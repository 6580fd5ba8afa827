import { session } from './session';

export interface AuditEvent {
  seq: number;
  at: string;
  type: string;
  actor: { userId?: string; linkId?: string; ip?: string };
  target: { userId?: string; fileId?: string; shareId?: string; linkId?: string };
  outcome: 'success' | 'failure';
  details: Record<string, string | number | boolean | null>;
}

export interface AuditPage {
  items: AuditEvent[];
  page: number;
  limit: number;
  total: number;
}

export interface AuditFilters {
  type: string;
  actor: string;
  /** `YYYY-MM-DD` days in the person's time zone, as a date input gives them; both inclusive. */
  from: string;
  to: string;
}

export interface ChainVerification {
  valid: boolean;
  count: number;
  firstInvalidSeq?: number;
}

export const AUDIT_PAGE_SIZE = 50;

export function listAuditEvents(filters: AuditFilters, page: number): Promise<AuditPage> {
  const params = new URLSearchParams({ page: String(page), limit: String(AUDIT_PAGE_SIZE) });
  if (filters.type) params.set('type', filters.type);
  if (filters.actor.trim()) params.set('actor', filters.actor.trim());
  if (filters.from) params.set('from', new Date(`${filters.from}T00:00:00`).toISOString());
  if (filters.to) params.set('to', new Date(`${filters.to}T23:59:59.999`).toISOString());
  return session.request(`/api/v1/audit-events?${params}`) as Promise<AuditPage>;
}

export const verifyChain = () =>
  session.request('/api/v1/audit-events/verify') as Promise<ChainVerification>;
