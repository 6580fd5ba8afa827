import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { fileGrantFields } from './file-grant-fields';
import { FileShare } from './file-share.schema';
import { StoredFile } from './file.schema';
import type { GrantRow } from './grant-rows';
import { GroupShare } from './group-share.schema';

const BATCH = 500;

/**
 * Gives each row of `grants` that keeps none of its file's sort fields those fields, from the
 * file; rows whose file is gone are left alone. Every write is conditional on the fields still
 * missing (a rename meanwhile writes its own), so instances may race. Answers how many it gave.
 */
export async function backfillGrantFields<T extends GrantRow>(
  grants: Model<T>,
  files: Model<StoredFile>,
): Promise<number> {
  const cursor = grants
    .find({ uploadedAt: { $exists: false } }, { fileId: 1 })
    .lean<{ _id: Types.ObjectId; fileId: Types.ObjectId }>()
    .cursor();
  let batch: { _id: Types.ObjectId; fileId: Types.ObjectId }[] = [];
  let done = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const found = await files
      .find(
        { _id: { $in: batch.map((grant) => grant.fileId) } },
        { name: 1, size: 1, uploadedAt: 1 },
      )
      .lean<(StoredFile & { _id: Types.ObjectId })[]>()
      .exec();
    const byId = new Map(found.map((file) => [file._id.toHexString(), file]));
    const updates = batch.flatMap((grant) => {
      const file = byId.get(grant.fileId.toHexString());
      if (!file) return [];
      return [
        {
          updateOne: {
            filter: { _id: grant._id, uploadedAt: { $exists: false } },
            update: { $set: fileGrantFields(file) },
          },
        },
      ];
    });
    if (updates.length > 0) {
      await (grants as unknown as Model<GrantRow>).bulkWrite(updates, { ordered: false });
    }
    done += updates.length;
    batch = [];
  };
  for await (const grant of cursor) {
    batch.push(grant);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return done;
}

/**
 * Shares made before `scope=shared` was read off the shares' own indexes keep none of their
 * file's sort fields, so the list would leave them out. At start-up, before the app serves, each
 * gets them from its file (backfillGrantFields).
 */
@Injectable()
export class SharedFileFieldsMigration implements OnModuleInit {
  private readonly logger = new Logger('SharedFileFieldsMigration');

  constructor(
    @InjectModel(FileShare.name) private readonly shares: Model<FileShare>,
    @InjectModel(GroupShare.name) private readonly groupShares: Model<GroupShare>,
    @InjectModel(StoredFile.name) private readonly files: Model<StoredFile>,
  ) {}

  async onModuleInit(): Promise<void> {
    const done =
      (await backfillGrantFields(this.shares, this.files)) +
      (await backfillGrantFields(this.groupShares, this.files));
    if (done > 0) this.logger.log(`gave ${done} existing shares their file's sort fields`);
  }
}
