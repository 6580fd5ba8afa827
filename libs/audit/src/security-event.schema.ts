import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';

export const SECURITY_EVENT_TYPES = [
  'login_succeeded',
  'login_failed',
  'account_locked',
  'refresh_token_reused',
  'password_changed',
  'user_created',
  'role_changed',
  'user_disabled',
  'user_enabled',
  'quota_changed',
  'user_deleted',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/** One security-relevant fact, append-only; the audit trail builds on these records. */
@Schema({ collection: 'security_events', versionKey: false })
export class SecurityEvent {
  @Prop({ type: String, required: true, enum: SECURITY_EVENT_TYPES, index: true })
  type!: SecurityEventType;

  @Prop({ required: true, default: () => new Date(), index: true })
  at!: Date;

  /** Who acted; absent for anonymous callers (a failed login). */
  @Prop({ type: String, index: true })
  actorId?: string;

  /** Whom or what it concerns (a user id). */
  @Prop({ type: String, index: true })
  subjectId?: string;

  @Prop({ type: String })
  ip?: string;

  @Prop({ type: String })
  requestId?: string;

  @Prop({ type: Object, default: {} })
  details!: Record<string, string | number | boolean | null>;
}

export type SecurityEventDocument = HydratedDocument<SecurityEvent>;
export const SecurityEventSchema = SchemaFactory.createForClass(SecurityEvent);
