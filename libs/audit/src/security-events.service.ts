import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import type { ClientContext } from '@strongroom/common';
import { AUDIT_EVENT_TYPES, type AuditEventType, type AuditOutcome } from './audit-event-types';
import type { AuditDetails } from './audit-event.schema';
import { AuditTrail } from './audit-trail.service';

export const SECURITY_EVENTS_TOTAL = 'security_events_total';

export interface SecurityEventInput {
  type: AuditEventType;
  /** Where the request came from: the actor's IP and the request id. */
  client?: ClientContext;
  /** The account that acted; absent for anonymous callers (a failed login, a link download). */
  actorId?: string;
  /** The share link that acted (a download through a link). */
  linkId?: string;
  /** The account the event concerns. */
  subjectId?: string;
  fileId?: string;
  shareId?: string;
  /** The share link the event concerns (created, revoked). */
  targetLinkId?: string;
  /** Defaults to 'failure' for failures by nature (login_failed, …), else 'success'. */
  outcome?: AuditOutcome;
  details?: AuditDetails;
}

/**
 * Records what happened three ways: an event appended to the tamper-evident audit trail, a
 * structured log line (carrying the event's hash, a copy of the chain kept outside the database),
 * and a counter on /metrics.
 */
@Injectable()
export class SecurityEventsService implements OnModuleInit {
  private readonly logger = new Logger('SecurityEvent');

  constructor(
    private readonly trail: AuditTrail,
    @InjectMetric(SECURITY_EVENTS_TOTAL) private readonly counter: Counter<'type'>,
  ) {}

  /** Every type starts at 0, so the first event of a kind is an increase that alerts can see. */
  onModuleInit(): void {
    for (const type of AUDIT_EVENT_TYPES) this.counter.inc({ type }, 0);
  }

  async record(input: SecurityEventInput): Promise<void> {
    this.counter.inc({ type: input.type });
    const event = {
      type: input.type,
      actor: { userId: input.actorId, linkId: input.linkId, ip: input.client?.ip },
      target: {
        userId: input.subjectId,
        fileId: input.fileId,
        shareId: input.shareId,
        linkId: input.targetLinkId,
      },
      outcome: input.outcome,
      requestId: input.client?.requestId,
      details: input.details,
    };
    const stored = await this.trail.append(event).catch((error: unknown) => {
      // The log line is then the only record; it must not be lost with the failed append.
      this.logger.warn(
        { securityEvent: event, reason: (error as Error).message },
        `security event ${input.type} could not be stored`,
      );
      throw error;
    });
    this.logger.log({ securityEvent: stored }, `security event ${input.type}`);
  }
}
