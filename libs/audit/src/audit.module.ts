import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import { AuditEvent, AuditEventSchema } from './audit-event.schema';
import { AuditEventsController } from './audit-events.controller';
import { AUDIT_APPEND_CONFLICTS_TOTAL, AuditTrail } from './audit-trail.service';
import {
  AuditCheckpointRecord,
  AuditCheckpointSchema,
} from './checkpoints/audit-checkpoint.schema';
import {
  AUDIT_CHECKPOINT_AGE,
  AUDIT_CHECKPOINTS_TOTAL,
  AuditCheckpointer,
} from './checkpoints/audit-checkpointer.service';
import { AuditExport } from './checkpoints/audit-export.service';
import { AuditVerifier } from './checkpoints/audit-verifier.service';
import { AuditPersonalData } from './personal-data/audit-personal-data.service';
import { AuditSubjectKey, AuditSubjectKeySchema } from './personal-data/audit-subject-key.schema';
import { AuditSubjectKeyCacheSync } from './personal-data/audit-subject-key-cache.sync';
import { AuditSubjectKeys } from './personal-data/audit-subject-keys.service';
import { SECURITY_EVENTS_TOTAL, SecurityEventsService } from './security-events.service';

const MODELS = MongooseModule.forFeature([
  { name: AuditEvent.name, schema: AuditEventSchema },
  { name: AuditCheckpointRecord.name, schema: AuditCheckpointSchema },
  { name: AuditSubjectKey.name, schema: AuditSubjectKeySchema },
]);

@Global()
@Module({
  imports: [MODELS],
  controllers: [AuditEventsController],
  providers: [
    AuditTrail,
    AuditCheckpointer,
    AuditVerifier,
    AuditExport,
    AuditSubjectKeyCacheSync,
    AuditSubjectKeys,
    AuditPersonalData,
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
    makeGaugeProvider({
      name: AUDIT_CHECKPOINT_AGE,
      help: 'Seconds the oldest audit event not yet covered by a signed checkpoint has waited (0 when the head is checkpointed)',
    }),
    makeCounterProvider({
      name: AUDIT_CHECKPOINTS_TOTAL,
      help: 'Signed audit checkpoints this instance wrote to storage and the log',
    }),
  ],
  exports: [
    // The subject keys' model, for rotate-keys to re-wrap them (libs/encryption registers it).
    MODELS,
    AuditTrail,
    AuditCheckpointer,
    AuditVerifier,
    AuditPersonalData,
    AuditSubjectKeys,
    SecurityEventsService,
  ],
})
export class AuditModule {}
