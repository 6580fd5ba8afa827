import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { isDuplicateKeyError } from '@strongroom/common';
import { emailSkeleton, normalizeEmail } from './email';
import { User } from './user.schema';

const SKELETON_INDEX = 'emailSkeleton_1';

/**
 * Before the first start with lookalike protection, accounts have no `emailSkeleton` and the
 * unique index on it does not exist. At start-up, before the app serves, this gives every account
 * its normalised email (where that collides with nobody) and its skeleton, then builds the index.
 * Accounts whose addresses already looked like an older account's keep working: they get a
 * suffixed skeleton, so the index can be built, and are named by id in a warning. Runs again
 * only while the index is missing or an account lacks a skeleton (one written by an older
 * instance during a rolling upgrade); every step is idempotent, so instances may race.
 */
@Injectable()
export class EmailSkeletonMigration {
  private readonly logger = new Logger('EmailSkeletonMigration');

  constructor(@InjectModel(User.name) private readonly users: Model<User>) {}

  async run(): Promise<void> {
    await this.users.init(); // the schema's own indexes first, so we never race their build
    const indexed = await this.users.collection.indexExists(SKELETON_INDEX).catch(() => false);
    if (indexed && !(await this.users.exists({ emailSkeleton: { $exists: false } }))) return;
    await this.backfill();
    try {
      await this.buildIndex();
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // An account written meanwhile by an instance that sets no skeleton: once more.
      await this.backfill();
      await this.buildIndex();
    }
  }

  private async backfill(): Promise<void> {
    const seen = new Set<string>();
    const lookalikes: string[] = [];
    const accounts = this.users
      .find({}, { email: 1, emailSkeleton: 1 })
      .sort({ _id: 1 })
      .lean()
      .cursor();
    for await (const account of accounts) {
      const id = account._id;
      const email = await this.normalize(id, account.email);
      const skeleton = emailSkeleton(email);
      if (!seen.has(skeleton) && (await this.setSkeleton(id, account.emailSkeleton, skeleton))) {
        seen.add(skeleton);
        continue;
      }
      lookalikes.push(id.toHexString());
      // A space never occurs in a valid address, so no real skeleton can take this one.
      await this.setSkeleton(id, account.emailSkeleton, `${skeleton} ${id.toHexString()}`);
    }
    if (lookalikes.length > 0) {
      this.logger.warn(
        `${lookalikes.length} existing accounts have an email that looks like an older account's ` +
          `(ids ${lookalikes.join(', ')}); they keep working, and no new lookalike can register`,
      );
    }
  }

  /** Stores the normalised form of an older address, unless another account already has it. */
  private async normalize(id: Types.ObjectId, email: string): Promise<string> {
    const normalized = normalizeEmail(email);
    if (normalized === email) return email;
    try {
      await this.users.updateOne({ _id: id }, { $set: { email: normalized } }).exec();
      return normalized;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return email;
    }
  }

  /** Sets the skeleton; false when the unique index already gives it to another account. */
  private async setSkeleton(
    id: Types.ObjectId,
    current: string | undefined,
    skeleton: string,
  ): Promise<boolean> {
    if (current === skeleton) return true;
    try {
      await this.users.updateOne({ _id: id }, { $set: { emailSkeleton: skeleton } }).exec();
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return false;
    }
  }

  private async buildIndex(): Promise<void> {
    await this.users.collection.createIndex(
      { emailSkeleton: 1 },
      { unique: true, name: SKELETON_INDEX },
    );
  }
}
