import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One sign-in attempt held against an account (`account:<email>`) or a client IP (`ip:<address>`):
 * slot `slot` of the key's LOGIN_LOCKOUT_THRESHOLD (or LOGIN_IP_LOCKOUT_THRESHOLD), taken before
 * the password is checked and kept until `expiresAt` when the attempt failed.
 */
@Schema({ collection: 'login_attempt_slots', versionKey: false })
export class LoginAttemptSlot {
  @Prop({ required: true })
  key!: string;

  @Prop({ required: true })
  slot!: number;

  @Prop({ required: true, index: true })
  expiresAt!: Date;
}

export const LoginAttemptSlotSchema = SchemaFactory.createForClass(LoginAttemptSlot);
/** What makes a slot taken exactly once, across every instance. */
LoginAttemptSlotSchema.index({ key: 1, slot: 1 }, { unique: true });
