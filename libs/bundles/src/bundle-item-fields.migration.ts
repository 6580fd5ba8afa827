import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { backfillGrantFields, StoredFile } from '@strongroom/files';
import { BundleItem } from './bundle-item.schema';

/**
 * Bundle items made before `scope=shared` read them off their own indexes keep none of their
 * file's sort fields, so the list would leave their files out. At start-up, before the app serves,
 * each gets them from its file.
 */
@Injectable()
export class BundleItemFieldsMigration implements OnModuleInit {
  private readonly logger = new Logger('BundleItemFieldsMigration');

  constructor(
    @InjectModel(BundleItem.name) private readonly items: Model<BundleItem>,
    @InjectModel(StoredFile.name) private readonly files: Model<StoredFile>,
  ) {}

  async onModuleInit(): Promise<void> {
    const done = await backfillGrantFields(this.items, this.files);
    if (done > 0) this.logger.log(`gave ${done} existing bundle items their file's sort fields`);
  }
}
