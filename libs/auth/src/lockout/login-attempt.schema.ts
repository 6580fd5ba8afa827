import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** Failed-login bookkeeping for one account (`account:<email>`) or client IP (`ip:<address>`). */
@Schema({ collection: 'login_attempts', versionKey: false })
export class LoginAttempt {
  @Prop({ required: true, unique: true })
  key!: string;

  @Prop({ required: true, default: 0 })
  failures!: number;

  @Prop({ required: true })
  windowStart!: Date;

  @Prop({ type: Date, default: null })
  lockedUntil!: Date | null;
}

export const LoginAttemptSchema = SchemaFactory.createForClass(LoginAttempt);
