import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { makeCounterProvider } from '@willsoto/nestjs-prometheus';
import { AuditEvent, AuditEventSchema } from './audit-event.schema';
import { AuditEventsController } from './audit-events.controller';
import { AUDIT_APPEND_CONFLICTS_TOTAL, AuditTrail } from './audit-trail.service';
import { SECURITY_EVENTS_TOTAL, SecurityEventsService } from './security-events.service';

@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: AuditEvent.name, schema: AuditEventSchema }])],
  controllers: [AuditEventsController],
  providers: [
    AuditTrail,
    SecurityEventsService,
    makeCounterProvider({
      name: SECURITY_EVENTS_TOTAL,
      help: 'Audit events recorded, by type (logins, lockouts, account changes, file access)',
      labelNames: ['type'],
    }),
    makeCounterProvider({
      name: AUDIT_APPEND_CONFLICTS_TOTAL,
      help: 'Audit appends that lost the next sequence number to another instance and retried',
    }),
  ],
  exports: [AuditTrail, SecurityEventsService],
})
export class AuditModule {}
