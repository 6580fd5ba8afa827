import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';
import { API_KEY_SCOPES, type ApiKeyScope } from '@strongroom/common';

/** A personal API key, stored only as the SHA-256 of its secret; revoking one deletes it. */
@Schema({ collection: 'api_keys', versionKey: false })
export class ApiKey {
  @Prop({ required: true, unique: true })
  secretHash!: string;

  /** The secret's first characters, so an owner can tell keys apart in a list. */
  @Prop({ required: true })
  hint!: string;

  @Prop({ required: true, index: true })
  userId!: string;

  @Prop({ required: true, maxlength: 100 })
  name!: string;

  @Prop({ type: [String], enum: API_KEY_SCOPES, required: true })
  scopes!: ApiKeyScope[];

  @Prop({ required: true, index: true })
  expiresAt!: Date;

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;

  /** Written at most once a minute, so a busy script does not turn every request into a write. */
  @Prop({ type: Date, default: null })
  lastUsedAt!: Date | null;

  @Prop({ type: String, default: null })
  lastUsedIp!: string | null;
}

export type ApiKeyDocument = HydratedDocument<ApiKey>;
export const ApiKeySchema = SchemaFactory.createForClass(ApiKey);
