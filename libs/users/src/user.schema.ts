import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument, Types } from 'mongoose';
import { announceWrites, ROLES, type Role } from '@strongroom/common';

@Schema({ collection: 'users', timestamps: true })
export class User {
  /** normalizeEmail: trimmed, NFKC, lower-cased. */
  @Prop({ required: true, unique: true, maxlength: 254 })
  email!: string;

  /**
   * emailSkeleton(email), unique (index built by EmailSkeletonMigration), so no two accounts'
   * addresses look alike. Accounts that did before it existed carry a suffixed one.
   */
  @Prop()
  emailSkeleton?: string;

  @Prop({ maxlength: 100 })
  displayName?: string;

  /** userSearchKeys(email, displayName): what the admin search walks an index of. */
  @Prop({ type: [String], default: undefined })
  searchKeys?: string[];

  @Prop({ required: true })
  passwordHash!: string;

  @Prop({ type: String, required: true, enum: ROLES, default: 'user' })
  role!: Role;

  @Prop({ required: true, default: false })
  disabled!: boolean;

  /** Bumped on password, role or status changes; tokens carrying an older value stop working. */
  @Prop({ required: true, default: 0 })
  tokenVersion!: number;

  /** Bytes; null means no per-user limit. */
  @Prop({ type: Number, default: null })
  quota!: number | null;

  @Prop({ required: true, default: 0, min: 0 })
  storageUsed!: number;

  @Prop()
  lastLoginAt?: Date;

  /** Mail the owner each time one of their links is downloaded; off unless they turn it on. */
  @Prop({ required: true, default: false })
  notifyOnLinkDownload!: boolean;

  createdAt!: Date;
  updatedAt!: Date;
}

export type UserDocument = HydratedDocument<User>;
/** An account as its owner is shown it (UserResponse), with the token version tokens are checked against. */
export type AccountRecord = Pick<
  User,
  | 'email'
  | 'displayName'
  | 'role'
  | 'disabled'
  | 'tokenVersion'
  | 'quota'
  | 'storageUsed'
  | 'lastLoginAt'
  | 'createdAt'
> & { _id: Types.ObjectId };
/** What an AccountRecord is read with: only the fields it holds. */
export const ACCOUNT_FIELDS: Record<Exclude<keyof AccountRecord, '_id'>, 1> = {
  email: 1,
  displayName: 1,
  role: 1,
  disabled: 1,
  tokenVersion: 1,
  quota: 1,
  storageUsed: 1,
  lastLoginAt: 1,
  createdAt: 1,
};
export const UserSchema = SchemaFactory.createForClass(User);
// Cached principals (libs/auth) go stale with any write to an account.
UserSchema.plugin(announceWrites('users', ['_id']));
// The admin list's order (UsersService.search), read a page at a time off the index.
UserSchema.index({ createdAt: 1, _id: 1 });
// The admin search (userSearchQuery): an anchored prefix of one of the keys.
UserSchema.index({ searchKeys: 1 });
