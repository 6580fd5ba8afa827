import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { announceWrites } from '@strongroom/common';

export const AUDIT_SUBJECT_KEYS_COLLECTION = 'audit_subject_keys';

/**
 * The key that seals one person's personal data in the audit trail. Erasing the person destroys
 * the wrapped key and leaves the tombstone (`erasedAt`), so their sealed fields stay unreadable
 * and events recorded afterwards about them store no personal data at all.
 */
@Schema({ collection: AUDIT_SUBJECT_KEYS_COLLECTION, versionKey: false })
export class AuditSubjectKey {
  @Prop({ required: true, unique: true })
  subjectId!: string;

  @Prop({ type: String })
  kekId?: string;

  @Prop({ type: String })
  wrappedKey?: string;

  @Prop({ required: true })
  createdAt!: Date;

  @Prop({ type: Date })
  erasedAt?: Date;
}

export const AuditSubjectKeySchema = SchemaFactory.createForClass(AuditSubjectKey);
// Instances cache these records (AuditSubjectKeyCacheSync): an erasure must reach every cache.
AuditSubjectKeySchema.plugin(announceWrites(AUDIT_SUBJECT_KEYS_COLLECTION, ['subjectId']));
