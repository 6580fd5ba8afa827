import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EmailSkeletonMigration } from './email-skeleton.migration';
import { UserSearchKeysMigration } from './user-search-keys.migration';

/**
 * The account migrations, one after the other, before the app serves. Both rewrite accounts that
 * lack a field, and Nest starts a module's providers side by side: the embedded database
 * (FerretDB) loses one of two concurrent updates to a document, and an account's skeleton went
 * missing that way. The skeletons go first, since they may normalise the email the search keys
 * are made of.
 */
@Injectable()
export class UserMigrations implements OnModuleInit {
  constructor(
    private readonly skeletons: EmailSkeletonMigration,
    private readonly searchKeys: UserSearchKeysMigration,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.skeletons.run();
    await this.searchKeys.run();
  }
}
