import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The database's copy of each checkpoint, and the claim that keeps writers apart: `number` is
 * unique, so when several instances find a checkpoint due at once only one insert of the next
 * number succeeds, and only that instance signs and stores it. Verification never trusts this
 * copy; it reads the ones kept outside the database.
 */
@Schema({ collection: 'audit_checkpoints', versionKey: false })
export class AuditCheckpointRecord {
  @Prop({ required: true, unique: true })
  number!: number;

  @Prop({ required: true })
  seq!: number;

  @Prop({ required: true })
  hash!: string;

  @Prop({ required: true })
  at!: Date;

  @Prop({ required: true })
  keyId!: string;

  @Prop({ required: true })
  signature!: string;
}

export const AuditCheckpointSchema = SchemaFactory.createForClass(AuditCheckpointRecord);
AuditCheckpointSchema.index({ seq: 1 });
