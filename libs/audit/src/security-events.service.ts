import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Model } from 'mongoose';
import type { Counter } from 'prom-client';
import type { ClientContext } from '@strongroom/common';
import { SecurityEvent, type SecurityEventType } from './security-event.schema';

export const SECURITY_EVENTS_TOTAL = 'security_events_total';

export interface SecurityEventInput {
  type: SecurityEventType;
  client?: ClientContext;
  actorId?: string;
  subjectId?: string;
  details?: SecurityEvent['details'];
}

/** Records security events three ways: a structured log line, a stored record, a counter. */
@Injectable()
export class SecurityEventsService {
  private readonly logger = new Logger('SecurityEvent');

  constructor(
    @InjectModel(SecurityEvent.name) private readonly events: Model<SecurityEvent>,
    @InjectMetric(SECURITY_EVENTS_TOTAL) private readonly counter: Counter<'type'>,
  ) {}

  async record(input: SecurityEventInput): Promise<void> {
    const event: SecurityEvent = {
      type: input.type,
      at: new Date(),
      actorId: input.actorId,
      subjectId: input.subjectId,
      ip: input.client?.ip,
      requestId: input.client?.requestId,
      details: input.details ?? {},
    };
    this.counter.inc({ type: input.type });
    this.logger.log({ securityEvent: event }, `security event ${input.type}`);
    await this.events.create(event);
  }
}
