import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { randomBytes } from 'node:crypto';
import { isValidObjectId, type Model, Types, type UpdateQuery } from 'mongoose';
import { SecurityEventsService } from '@strongroom/audit';
import {
  type AuthenticatedUser,
  type ClientContext,
  DeletionHeldError,
  KeyedMutex,
  type KeptRecord,
  type Role,
  isDuplicateKeyError,
  pageTotal,
  findOneRecord,
} from '@strongroom/common';
import type { UpdateUserRequest } from './dto/user-input.dto';
import { emailSkeleton, invisibleCharactersProblem, normalizeEmail } from './email';
import { PasswordChangeListeners } from './password/password-change.listeners';
import { PasswordHasher } from './password/password-hasher';
import { PasswordPolicy } from './password/password-policy';
import { UserErasureRegistry } from './user-erasure.registry';
import { ACCOUNT_FIELDS, type AccountRecord, User, type UserDocument } from './user.schema';
import { userSearchKeys, userSearchQuery } from './user-search';

export interface NewUser {
  email: string;
  password: string;
  displayName?: string;
  role?: Role;
}

export interface UserSearch {
  page: number;
  limit: number;
  q?: string;
}

@Injectable()
export class UsersService {
  private readonly storageLocks = new KeyedMutex();

  constructor(
    @InjectModel(User.name) private readonly users: Model<User>,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly erasure: UserErasureRegistry,
    private readonly events: SecurityEventsService,
    private readonly passwordChanges: PasswordChangeListeners,
  ) {}

  /** Validates the password against the policy, hashes it and stores the account. */
  async create(input: NewUser): Promise<UserDocument> {
    const email = normalizeEmail(input.email);
    const invisible = invisibleCharactersProblem(email);
    if (invisible) throw new BadRequestException(invisible);
    await this.assertAcceptablePassword(input.password, email, input.displayName);
    return this.insert({ ...input, email }, input.password);
  }

  /**
   * An account that signs in through single sign-on (just-in-time provisioning): the same address
   * rules as any other, and a random password nobody is told, so password sign-in cannot succeed.
   */
  async createFederated(input: Omit<NewUser, 'password'>): Promise<UserDocument> {
    const email = normalizeEmail(input.email);
    const invisible = invisibleCharactersProblem(email);
    if (invisible) throw new BadRequestException(invisible);
    return this.insert({ ...input, email }, randomBytes(32).toString('base64url'));
  }

  private async insert(input: Omit<NewUser, 'password'>, password: string): Promise<UserDocument> {
    const email = input.email;
    try {
      return await this.users.create({
        email,
        emailSkeleton: emailSkeleton(email),
        displayName: input.displayName,
        searchKeys: userSearchKeys(email, input.displayName),
        passwordHash: await this.hasher.hash(password),
        role: input.role ?? 'user',
      });
    } catch (error) {
      // The same answer for the same address and for one that only looks the same.
      if (isDuplicateKeyError(error)) {
        throw new ConflictException('An account with this email already exists');
      }
      throw error;
    }
  }

  recordCreation(
    user: UserDocument,
    client: ClientContext | undefined,
    actorId?: string,
  ): Promise<void> {
    return this.events.record({
      type: 'user_created',
      client,
      actorId: actorId ?? (user.id as string),
      subjectId: user.id as string,
      details: { role: user.role },
    });
  }

  findByEmail(email: string): Promise<UserDocument | null> {
    return this.users.findOne({ email: normalizeEmail(email) }).exec();
  }

  /** Unknown and malformed ids alike are "not found". */
  async findById(id: string): Promise<UserDocument | null> {
    return isValidObjectId(id) ? this.users.findById(id).exec() : null;
  }

  /** Email addresses by user id, in one query; ids without an account are left out. */
  async emailsByIds(ids: string[]): Promise<Map<string, string>> {
    const valid = [...new Set(ids)].filter((id) => isValidObjectId(id));
    const users = await this.users
      .find({ _id: { $in: valid } }, { email: 1 })
      .lean()
      .exec();
    return new Map(users.map((user) => [String(user._id), user.email]));
  }

  /**
   * The account as its owner sees it, as a plain record of the fields answered: building a
   * mongoose document on every `GET /users/me` cost more CPU than the lookup itself.
   */
  async getProfile(id: string): Promise<AccountRecord> {
    const user = await this.findAccount(id);
    if (!user) throw new NotFoundException('User not found');
    return user;
  }

  /**
   * What authenticating a request needs of an account, on every request whose principal is not
   * cached, and what the owner is shown of it (PrincipalAccounts keeps it for the request): read
   * plain, without building a mongoose Query and document or reading the hash.
   */
  async findAccount(id: string): Promise<AccountRecord | null> {
    if (!isValidObjectId(id)) return null;
    const user = await findOneRecord<AccountRecord>(
      this.users,
      { _id: new Types.ObjectId(id) },
      ACCOUNT_FIELDS,
    );
    return user && { ...user, role: user.role ?? 'user', disabled: user.disabled ?? false };
  }

  async getById(id: string): Promise<UserDocument> {
    const user = await this.findById(id);
    if (!user) throw new NotFoundException('User not found');
    return user;
  }

  async search({ page, limit, q }: UserSearch): Promise<{ items: UserDocument[]; total: number }> {
    const { filter, sort } = userSearchQuery(q);
    const [items, total] = await Promise.all([
      this.users
        .find(filter)
        .sort(sort)
        .skip((page - 1) * limit)
        .limit(limit)
        .exec(),
      pageTotal(this.users, filter),
    ]);
    return { items, total };
  }

  recordLogin(id: string): Promise<unknown> {
    return this.users.updateOne({ _id: id }, { $set: { lastLoginAt: new Date() } }).exec();
  }

  async changePassword(
    caller: AuthenticatedUser,
    currentPassword: string,
    newPassword: string,
    client: ClientContext,
    options: { revokeApiKeys?: boolean } = {},
  ): Promise<void> {
    const user = await this.getById(caller.id);
    if (!(await this.hasher.verify(user.passwordHash, currentPassword))) {
      throw new BadRequestException('currentPassword is not your current password');
    }
    await this.setPassword(user, newPassword);
    await this.events.record({
      type: 'password_changed',
      client,
      actorId: caller.id,
      subjectId: caller.id,
      details: { revokeApiKeys: options.revokeApiKeys === true },
    });
    await this.passwordChanges.notify({
      userId: caller.id,
      revokeApiKeys: options.revokeApiKeys === true,
      client,
    });
  }

  /** Sets a new password and ends every existing session of the user. */
  async setPassword(user: UserDocument, newPassword: string): Promise<void> {
    await this.assertAcceptablePassword(newPassword, user.email, user.displayName);
    const passwordHash = await this.hasher.hash(newPassword);
    await this.users
      .updateOne({ _id: user._id }, { $set: { passwordHash }, $inc: { tokenVersion: 1 } })
      .exec();
  }

  /** The owner's own settings; only the fields given change. */
  async updatePreferences(
    id: string,
    change: Partial<Pick<User, 'notifyOnLinkDownload'>>,
  ): Promise<UserDocument> {
    const set = Object.fromEntries(
      Object.entries(change).filter(([, value]) => value !== undefined),
    );
    const updated = await this.users.findByIdAndUpdate(id, { $set: set }, { new: true }).exec();
    if (!updated) throw new NotFoundException('User not found');
    return updated;
  }

  /** Admin changes; role and status changes end the user's sessions at once. */
  async update(
    id: string,
    patch: UpdateUserRequest,
    actor: AuthenticatedUser,
    client: ClientContext,
  ): Promise<UserDocument> {
    const user = await this.getById(id);
    const losesAdmin =
      user.role === 'admin' &&
      !user.disabled &&
      ((patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true);
    if (losesAdmin) await this.assertAnotherActiveAdmin(user);

    const set: Partial<User> = {};
    const events: Array<Parameters<SecurityEventsService['record']>[0]> = [];
    const base = { client, actorId: actor.id, subjectId: id };
    if (patch.role !== undefined && patch.role !== user.role) {
      set.role = patch.role;
      events.push({ ...base, type: 'role_changed', details: { from: user.role, to: patch.role } });
    }
    if (patch.disabled !== undefined && patch.disabled !== user.disabled) {
      set.disabled = patch.disabled;
      events.push({ ...base, type: patch.disabled ? 'user_disabled' : 'user_enabled' });
    }
    if (patch.quota !== undefined && patch.quota !== user.quota) {
      set.quota = patch.quota;
      events.push({
        ...base,
        type: 'quota_changed',
        details: { from: user.quota, to: patch.quota },
      });
    }
    if (events.length === 0) return user;

    const endsSessions = set.role !== undefined || set.disabled !== undefined;
    const update: UpdateQuery<User> = endsSessions
      ? { $set: set, $inc: { tokenVersion: 1 } }
      : { $set: set };
    const updated = await this.users.findByIdAndUpdate(id, update, { new: true }).exec();
    if (!updated) throw new NotFoundException('User not found');
    for (const event of events) await this.events.record(event);
    return updated;
  }

  /**
   * Deletes the account and, through the erasure registry, everything it owns. Files under legal
   * hold or retention stay (the GDPR's legal-obligation exception), and so does the account that
   * owns them, disabled: everything else is erased and the 409 lists what was kept and why.
   * Deleting again once the holds are released finishes the erasure.
   */
  async delete(id: string, actor: AuthenticatedUser, client: ClientContext): Promise<void> {
    const user = await this.getById(id);
    if (user.role === 'admin' && !user.disabled) await this.assertAnotherActiveAdmin(user);
    const kept = await this.erasure.eraseAll(id);
    if (kept.length > 0) {
      await this.users
        .updateOne({ _id: user._id }, { $set: { disabled: true }, $inc: { tokenVersion: 1 } })
        .exec();
      if (!user.disabled) {
        await this.events.record({
          type: 'user_disabled',
          client,
          actorId: actor.id,
          subjectId: id,
        });
      }
      throw new DeletionHeldError(erasureKeptMessage(kept), kept);
    }
    await this.users.deleteOne({ _id: user._id }).exec();
    await this.events.record({
      type: 'user_deleted',
      client,
      actorId: actor.id,
      subjectId: id,
      details: { email: user.email },
    });
  }

  /**
   * Adds bytes to the user's storage if they fit the quota, in one conditional update, so
   * concurrent uploads on any instance cannot together overshoot it (MongoDB's single-document
   * atomicity). Returns false when they do not fit. The in-process lock is for the embedded
   * database, whose concurrent updates to one document can be lost.
   */
  chargeStorage(userId: string, bytes: number): Promise<boolean> {
    return this.storageLocks.run(userId, () => this.chargeStorageUnlocked(userId, bytes));
  }

  private async chargeStorageUnlocked(userId: string, bytes: number): Promise<boolean> {
    const user = await this.getById(userId);
    const filter =
      user.quota === null
        ? { _id: user._id, quota: null }
        : { _id: user._id, quota: user.quota, storageUsed: { $lte: user.quota - bytes } };
    const { modifiedCount } = await this.users
      .updateOne(filter, { $inc: { storageUsed: bytes } })
      .exec();
    if (modifiedCount === 1) return true;
    const now = await this.getById(userId);
    // The quota itself changed under us: decide again against the new value.
    return now.quota !== user.quota ? this.chargeStorageUnlocked(userId, bytes) : false;
  }

  releaseStorage(userId: string, bytes: number): Promise<void> {
    return this.storageLocks.run(userId, async () => {
      await this.users.updateOne({ _id: userId }, { $inc: { storageUsed: -bytes } }).exec();
    });
  }

  /** Bytes the user may still store; undefined for no limit. */
  async remainingQuota(userId: string): Promise<number | undefined> {
    const user = await this.getById(userId);
    return user.quota === null ? undefined : Math.max(0, user.quota - user.storageUsed);
  }

  /** False only on a fresh installation, before the first account. */
  anyExists(): Promise<boolean> {
    return this.users.exists({}).then(Boolean);
  }

  adminExists(): Promise<boolean> {
    return this.users.exists({ role: 'admin' }).then(Boolean);
  }

  private async assertAnotherActiveAdmin(user: UserDocument): Promise<void> {
    const others = await this.users
      .countDocuments({ role: 'admin', disabled: false, _id: { $ne: user._id } })
      .exec();
    if (others === 0) {
      throw new ConflictException('This is the last active admin: promote another admin first');
    }
  }

  private async assertAcceptablePassword(
    password: string,
    email: string,
    displayName?: string,
  ): Promise<void> {
    const problems = await this.policy.problems(password, { email, displayName });
    if (problems.length > 0) throw new BadRequestException(problems);
  }
}

function erasureKeptMessage(kept: readonly KeptRecord[]): string {
  const files = kept.map((record) => `"${record.name}" (${record.id}) is ${record.why}`);
  return [
    `Erased everything of this user except ${kept.length} file(s) a legal hold or retention rule requires us to keep, and the account that owns them, now disabled:`,
    ...files.map((line) => `${line};`),
    'release the holds (DELETE /api/v1/users/:id/hold, DELETE /api/v1/files/:id/hold) or wait for the retention to end, then delete the user again to finish.',
  ].join(' ');
}
