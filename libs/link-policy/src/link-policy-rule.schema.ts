import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';
import { ROLES, type Role } from '@strongroom/common';

/**
 * An admin's rule for the links and shares of one role or one group's members. Unset fields
 * (null) leave that limit to the other rules and the LINK_* defaults.
 */
@Schema({ collection: 'link_policies', versionKey: false })
export class LinkPolicyRule {
  /** `role:<role>` or `group:<id>`: at most one rule per role and per group. */
  @Prop({ required: true, unique: true })
  subjectKey!: string;

  @Prop({ type: String, enum: ROLES })
  role?: Role;

  @Prop({ type: Types.ObjectId, index: true })
  groupId?: Types.ObjectId;

  @Prop({ type: Number, default: null })
  maxTtlSeconds!: number | null;

  @Prop({ type: Boolean, default: null })
  requirePassword!: boolean | null;

  @Prop({ type: Number, default: null })
  maxDownloads!: number | null;

  @Prop({ type: Boolean, default: null })
  publicLinks!: boolean | null;

  @Prop({ type: Boolean, default: null })
  verifyRecipients!: boolean | null;

  @Prop({ type: [String], default: null })
  allowedRecipientDomains!: string[] | null;

  @Prop({ required: true, default: () => new Date() })
  updatedAt!: Date;
}

export type LinkPolicyRuleDocument = HydratedDocument<LinkPolicyRule>;
export const LinkPolicyRuleSchema = SchemaFactory.createForClass(LinkPolicyRule);

export const roleSubject = (role: Role) => `role:${role}`;
export const groupSubject = (groupId: string) => `group:${groupId}`;
