import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import {
  STORAGE_PROVIDER,
  StorageObjectHeldError,
  type StorageProvider,
} from '@strongroom/storage';
import { FILE_KEY_PREFIX } from './file-storage-key';
import { StoredFile } from './file.schema';

export interface SweepReport {
  stalePending: number;
  orphanBlobs: number;
  /** Left by writes a crash cut short: temp files, unfinished multipart uploads. */
  temporaries: number;
  /** Objects the storage refused to delete because they are under legal hold or retention. */
  held: number;
}

/** Uploads still pending after this long were abandoned (a crash or a killed request). */
export const STALE_PENDING_AGE_MS = 60 * 60 * 1000;
const SWEEP_INTERVAL_MS = 15 * 60 * 1000;
const KEY_BATCH = 200;

/**
 * Cleans what an interrupted upload or deletion can leave: `pending` records past their age, with
 * their blobs, blobs no record points at, and the storage's own temporaries past
 * TEMP_OBJECT_MAX_AGE. Records are created before blobs, so a blob without a record is never an
 * upload in progress.
 */
@Injectable()
export class FileSweeper implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('FileSweeper');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectModel(StoredFile.name) private readonly files: Model<StoredFile>,
    @Inject(STORAGE_PROVIDER) private readonly storage: StorageProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweepQuietly(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async sweep(
    pendingOlderThanMs: number = STALE_PENDING_AGE_MS,
    temporariesOlderThanMs: number = this.config.storage.tempObjectMaxAgeMs,
  ): Promise<SweepReport> {
    const held = { count: 0 };
    return {
      stalePending: await this.removeStalePending(pendingOlderThanMs, held),
      orphanBlobs: await this.removeOrphanBlobs(held),
      temporaries: await this.storage.sweepTemporaries(temporariesOlderThanMs),
      held: held.count,
    };
  }

  /**
   * The sweeper never decides a hold away: an object the storage keeps (S3 Object Lock) stays,
   * counted, and the sweep goes on. The app's own holds cover ready files, which it never sweeps.
   */
  private async removeBlob(key: string, held: { count: number }): Promise<boolean> {
    try {
      await this.storage.delete(key);
      return true;
    } catch (error) {
      if (!(error instanceof StorageObjectHeldError)) throw error;
      held.count += 1;
      this.logger.warn(`kept ${key}: the storage holds it (legal hold or retention)`);
      return false;
    }
  }

  private async sweepQuietly(): Promise<void> {
    try {
      const report = await this.sweep();
      if (report.stalePending + report.orphanBlobs + report.temporaries > 0)
        this.logger.log(report, 'swept abandoned uploads');
    } catch (error) {
      this.logger.warn(`sweep failed, will retry: ${(error as Error).message}`);
    }
  }

  private async removeStalePending(olderThanMs: number, held: { count: number }): Promise<number> {
    const stale = await this.files
      .find(
        { status: 'pending', createdAt: { $lt: new Date(Date.now() - olderThanMs) } },
        { storageKey: 1 },
      )
      .lean()
      .exec();
    let removed = 0;
    for (const record of stale) {
      if (!(await this.removeBlob(record.storageKey, held))) continue;
      await this.files.deleteOne({ _id: record._id, status: 'pending' }).exec();
      removed += 1;
    }
    return removed;
  }

  private async removeOrphanBlobs(held: { count: number }): Promise<number> {
    let removed = 0;
    let batch: string[] = [];
    const flush = async () => {
      const known = await this.files
        .find({ storageKey: { $in: batch } }, { storageKey: 1 })
        .lean()
        .exec();
      const referenced = new Set(known.map((record) => record.storageKey));
      for (const key of batch.filter((candidate) => !referenced.has(candidate))) {
        if (await this.removeBlob(key, held)) removed += 1;
      }
      batch = [];
    };
    for await (const key of this.storage.list(FILE_KEY_PREFIX)) {
      batch.push(key);
      if (batch.length === KEY_BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    return removed;
  }
}
