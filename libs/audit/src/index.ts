export { AuditModule } from './audit.module';
export { AuditTrail, type AuditEventInput } from './audit-trail.service';
export {
  auditEventsQuery,
  fileLedgerQuery,
  type AuditEventFilters,
  type AuditEventQuery,
} from './audit-event-queries';
export { AuditEventSchema } from './audit-event.schema';
export { SecurityEventsService, type SecurityEventInput } from './security-events.service';
export {
  AUDIT_EVENT_TYPES,
  AUDIT_OUTCOMES,
  FILE_ACCESS_EVENT_TYPES,
  SECURITY_EVENT_TYPES,
  type AuditEventType,
  type AuditOutcome,
  type FileAccessEventType,
  type SecurityEventType,
} from './audit-event-types';
export { AuditEvent, type AuditDetails } from './audit-event.schema';
export { GENESIS_HASH, canonicalEncode, hashEvent } from './audit-chain';
export { AuditEventPage, AuditEventResponse, ChainVerification } from './dto/audit-event.dto';
export { FileActivityItem, FileActivityPage, FileActivityQuery } from './dto/file-activity.dto';
export { AuditCheckpointer } from './checkpoints/audit-checkpointer.service';
export { AuditVerifier, type AuditVerification } from './checkpoints/audit-verifier.service';
export {
  checkpointsFromFolder,
  checkpointsFromStorage,
  type LoadedCheckpoints,
} from './checkpoints/audit-checkpoint-source';
export {
  type AuditCheckpoint,
  checkpointFields,
  checkpointMessage,
  checkpointStorageKey,
} from './checkpoints/audit-checkpoint';
export {
  AuditKeySet,
  AuditSigner,
  auditKeyId,
  rawPublicKeyOf,
} from './checkpoints/audit-signing-keys';
export {
  AUDIT_KEY_WRAPPER,
  type AuditKeyWrapper,
  type WrappedSubjectKey,
} from './personal-data/audit-key-wrapper.port';
export {
  AuditPersonalData,
  ERASED_SUBJECT,
  PERSONAL_DETAILS,
} from './personal-data/audit-personal-data.service';
export {
  AuditSubjectKeys,
  auditSubjectKeyBinding,
} from './personal-data/audit-subject-keys.service';
export { AuditSubjectKey } from './personal-data/audit-subject-key.schema';
