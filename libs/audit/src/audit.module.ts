import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { makeCounterProvider } from '@willsoto/nestjs-prometheus';
import { SecurityEvent, SecurityEventSchema } from './security-event.schema';
import { SECURITY_EVENTS_TOTAL, SecurityEventsService } from './security-events.service';

@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: SecurityEvent.name, schema: SecurityEventSchema }])],
  providers: [
    SecurityEventsService,
    makeCounterProvider({
      name: SECURITY_EVENTS_TOTAL,
      help: 'Security events by type (logins, lockouts, token reuse, account changes)',
      labelNames: ['type'],
    }),
  ],
  exports: [SecurityEventsService],
})
export class AuditModule {}
