import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Model } from 'mongoose';
import { nameSearchKeys } from './file-name-search';
import { FILE_STATUSES, StoredFile } from './file.schema';

const BATCH = 500;

/**
 * Files stored before search by name used an index have no `nameKeys`, so a search would not
 * find them. At start-up, before the app serves, each gets the keys of its name. Every write is
 * conditional on the name it read, so a rename meanwhile (which writes its own keys) is never
 * overwritten and instances may race.
 */
@Injectable()
export class FileNameKeysMigration implements OnModuleInit {
  private readonly logger = new Logger('FileNameKeysMigration');

  constructor(@InjectModel(StoredFile.name) private readonly files: Model<StoredFile>) {}

  async onModuleInit(): Promise<void> {
    const missing = { status: { $in: [...FILE_STATUSES] }, nameKeys: { $exists: false } };
    const cursor = this.files.find(missing, { name: 1 }).lean().cursor();
    let batch: AnyBulkWriteOperation<StoredFile>[] = [];
    let done = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await this.files.bulkWrite(batch, { ordered: false });
      done += batch.length;
      batch = [];
    };
    for await (const file of cursor) {
      batch.push({
        updateOne: {
          filter: { _id: file._id, name: file.name, nameKeys: { $exists: false } },
          update: { $set: { nameKeys: nameSearchKeys(file.name) } },
        },
      });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    if (done > 0) this.logger.log(`gave ${done} existing files the keys search by name walks`);
  }
}
