import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { fileGrantFields } from './file-grant-fields';
import { FileShare } from './file-share.schema';
import { StoredFile } from './file.schema';
import { GroupShare } from './group-share.schema';

const BATCH = 500;

type GrantModel = Model<{ fileId: Types.ObjectId; uploadedAt?: Date }>;

/**
 * Shares made before `scope=shared` was read off the shares' own indexes keep none of their
 * file's sort fields, so the list would leave them out. At start-up, before the app serves, each
 * gets them from its file. Every write is conditional on the fields still missing (a rename
 * meanwhile writes its own), so instances may race.
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
      (await this.backfill(this.shares as unknown as GrantModel)) +
      (await this.backfill(this.groupShares as unknown as GrantModel));
    if (done > 0) this.logger.log(`gave ${done} existing shares their file's sort fields`);
  }

  private async backfill(grants: GrantModel): Promise<number> {
    const cursor = grants
      .find({ uploadedAt: { $exists: false } }, { fileId: 1 })
      .lean()
      .cursor();
    let batch: { _id: Types.ObjectId; fileId: Types.ObjectId }[] = [];
    let done = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const files = await this.files
        .find(
          { _id: { $in: batch.map((grant) => grant.fileId) } },
          { name: 1, size: 1, uploadedAt: 1 },
        )
        .lean<(StoredFile & { _id: Types.ObjectId })[]>()
        .exec();
      const byId = new Map(files.map((file) => [file._id.toHexString(), file]));
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
      if (updates.length > 0) await grants.bulkWrite(updates, { ordered: false });
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
}
