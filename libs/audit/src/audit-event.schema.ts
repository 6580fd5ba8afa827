import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument, MongooseQueryMiddleware } from 'mongoose';
import {
  AUDIT_EVENT_TYPES,
  AUDIT_OUTCOMES,
  type AuditEventType,
  type AuditOutcome,
} from './audit-event-types';

export type AuditDetails = Record<string, string | number | boolean | null>;

/** Who acted: an account, or the holder of a share link; and from where. */
@Schema({ _id: false, versionKey: false })
export class AuditActor {
  @Prop({ type: String })
  userId?: string;

  @Prop({ type: String })
  linkId?: string;

  /** As Express resolves it through `TRUST_PROXY`. */
  @Prop({ type: String })
  ip?: string;
}

/** What the event concerns. */
@Schema({ _id: false, versionKey: false })
export class AuditTarget {
  @Prop({ type: String })
  userId?: string;

  @Prop({ type: String })
  fileId?: string;

  @Prop({ type: String })
  shareId?: string;

  @Prop({ type: String })
  linkId?: string;
}

/**
 * One link of the tamper-evident audit chain. The app only ever inserts these: `seq` is unique,
 * so two writers can never both claim the next number, and `hash` covers `prevHash` and the rest
 * of the event (see audit-chain.ts), so an edit, deletion or reordering shows in `verify`.
 */
@Schema({ collection: 'audit_events', versionKey: false })
export class AuditEvent {
  @Prop({ required: true, unique: true })
  seq!: number;

  @Prop({ required: true })
  at!: Date;

  @Prop({ type: String, required: true, enum: AUDIT_EVENT_TYPES })
  type!: AuditEventType;

  @Prop({ type: SchemaFactory.createForClass(AuditActor), default: {} })
  actor!: AuditActor;

  @Prop({ type: SchemaFactory.createForClass(AuditTarget), default: {} })
  target!: AuditTarget;

  @Prop({ type: String, required: true, enum: AUDIT_OUTCOMES })
  outcome!: AuditOutcome;

  @Prop({ type: String })
  requestId?: string;

  @Prop({ type: Object, default: {} })
  details!: AuditDetails;

  @Prop({ required: true })
  prevHash!: string;

  @Prop({ required: true })
  hash!: string;
}

export type AuditEventDocument = HydratedDocument<AuditEvent>;
export const AuditEventSchema = SchemaFactory.createForClass(AuditEvent);

// The query filters, each ending in seq so "newest first" pages come straight off the index.
AuditEventSchema.index({ type: 1, seq: -1 });
AuditEventSchema.index({ 'actor.userId': 1, seq: -1 });
AuditEventSchema.index({ 'actor.linkId': 1, seq: -1 });
AuditEventSchema.index({ 'target.userId': 1, seq: -1 });
AuditEventSchema.index({ 'target.fileId': 1, seq: -1 });
// The owner's access ledger: the file's download types, merged newest first.
AuditEventSchema.index({ 'target.fileId': 1, type: 1, seq: -1 });
// A time window, alone or with a type, an actor or a file, is read in time order
// (auditEventsQuery): an actor's window merges its two branches (account, link), each walked here.
AuditEventSchema.index({ at: -1, seq: -1 });
AuditEventSchema.index({ type: 1, at: -1, seq: -1 });
AuditEventSchema.index({ 'actor.userId': 1, at: -1, seq: -1 });
AuditEventSchema.index({ 'actor.linkId': 1, at: -1, seq: -1 });
AuditEventSchema.index({ 'target.fileId': 1, at: -1, seq: -1 });

// Append-only, also for code that holds the model: no update, replace or delete goes through it.
const CHANGES: MongooseQueryMiddleware[] = [
  'updateOne',
  'updateMany',
  'replaceOne',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
  'deleteOne',
  'deleteMany',
];
AuditEventSchema.pre(CHANGES, { document: false, query: true }, () => {
  throw new Error('audit events are append-only');
});
AuditEventSchema.pre(['updateOne', 'deleteOne'], { document: true, query: false }, () => {
  throw new Error('audit events are append-only');
});
AuditEventSchema.pre('save', function () {
  if (!this.isNew) throw new Error('audit events are append-only');
});
AuditEventSchema.pre('bulkWrite', () => {
  throw new Error('audit events are append-only');
});
