import type { FilterQuery } from 'mongoose';
import { FILE_ACCESS_EVENT_TYPES, type AuditEventType } from './audit-event-types';
import type { AuditEvent } from './audit-event.schema';

export interface AuditEventFilters {
  type?: AuditEventType;
  /** A user id or a link id: the events that account or link caused. */
  actor?: string;
  fileId?: string;
  /** Inclusive bounds on the event time. */
  from?: Date;
  to?: Date;
}

/** One page's query: the filter, and the order the page is read in. */
export interface AuditEventQuery {
  filter: FilterQuery<AuditEvent>;
  sort: Record<string, 1 | -1>;
}

/**
 * Events matching every given filter, newest first: by sequence number, or, within a time window,
 * by time with the sequence number breaking ties, so the window is one walk of `{at, seq}` (or
 * `{type, at, seq}`) from its newest end, a page at a time. The two orders differ only where an
 * event was stamped before one appended ahead of it (another instance's clock, a queued append).
 */
export function auditEventsQuery(filters: AuditEventFilters): AuditEventQuery {
  const filter: FilterQuery<AuditEvent> = {};
  if (filters.type) filter.type = filters.type;
  if (filters.actor) {
    filter.$or = [{ 'actor.userId': filters.actor }, { 'actor.linkId': filters.actor }];
  }
  if (filters.fileId) filter['target.fileId'] = filters.fileId;
  if (filters.from || filters.to) {
    filter.at = {
      ...(filters.from && { $gte: filters.from }),
      ...(filters.to && { $lte: filters.to }),
    };
    return { filter, sort: { at: -1, seq: -1 } };
  }
  return { filter, sort: { seq: -1 } };
}

/** The owner's access ledger: who fetched the file's bytes, by account or by link, newest first. */
export function fileLedgerQuery(fileId: string): AuditEventQuery {
  return {
    filter: { 'target.fileId': fileId, type: { $in: [...FILE_ACCESS_EVENT_TYPES] } },
    sort: { seq: -1 },
  };
}
