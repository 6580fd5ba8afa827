import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Model } from 'mongoose';
import { userSearchKeys } from './user-search';
import { User } from './user.schema';

const BATCH = 500;

/**
 * Accounts created before the admin search used an index have no `searchKeys`, so a search would
 * not find them. At start-up, before the app serves, each gets the keys of its email and display
 * name. Every write is conditional on what it read, so instances may race.
 */
@Injectable()
export class UserSearchKeysMigration {
  private readonly logger = new Logger('UserSearchKeysMigration');

  constructor(@InjectModel(User.name) private readonly users: Model<User>) {}

  async run(): Promise<void> {
    const cursor = this.users
      .find({ searchKeys: { $exists: false } }, { email: 1, displayName: 1 })
      .lean()
      .cursor();
    let batch: AnyBulkWriteOperation<User>[] = [];
    let done = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await this.users.bulkWrite(batch, { ordered: false });
      done += batch.length;
      batch = [];
    };
    for await (const user of cursor) {
      batch.push({
        updateOne: {
          filter: {
            _id: user._id,
            email: user.email,
            displayName: user.displayName ?? null,
            searchKeys: { $exists: false },
          },
          update: { $set: { searchKeys: userSearchKeys(user.email, user.displayName) } },
        },
      });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    if (done > 0) this.logger.log(`gave ${done} existing accounts the keys the admin search walks`);
  }
}
