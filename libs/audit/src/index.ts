export { AuditModule } from './audit.module';
export { SecurityEventsService, type SecurityEventInput } from './security-events.service';
export {
  SecurityEvent,
  SECURITY_EVENT_TYPES,
  type SecurityEventType,
} from './security-event.schema';
