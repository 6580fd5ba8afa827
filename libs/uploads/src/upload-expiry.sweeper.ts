import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { FileMetrics, UploadPipeline } from '@strongroom/files';
import { RESUMABLE_STORAGE, type ResumableStorage } from '@strongroom/storage';
import { ResumableUpload } from './resumable-upload.schema';

const SWEEP_INTERVAL_MS = 15 * 60 * 1000;

type Removable = Pick<ResumableUpload, 'owner' | 'length' | 'storageState'> & {
  _id: Types.ObjectId;
};

/**
 * Ends abandoned resumable uploads: past UPLOAD_EXPIRY, an upload still receiving loses its
 * temporary object and gives back the quota it reserved; a completed one's record goes (its file
 * stays). Termination (DELETE) and infected uploads end the same way.
 */
@Injectable()
export class UploadExpirySweeper implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('UploadExpiry');
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectModel(ResumableUpload.name) private readonly uploads: Model<ResumableUpload>,
    @Inject(RESUMABLE_STORAGE) private readonly storage: ResumableStorage | null,
    private readonly pipeline: UploadPipeline,
    private readonly metrics: FileMetrics,
  ) {
    this.intervalMs = Math.min(SWEEP_INTERVAL_MS, Math.max(1000, config.uploads.expiryMs / 4));
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweepQuietly(), this.intervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Removes expired uploads; returns how many were still receiving. */
  async sweep(now = new Date()): Promise<number> {
    const expired = await this.uploads
      .find({ status: 'receiving', expiresAt: { $lte: now } })
      .exec();
    let removed = 0;
    for (const upload of expired) {
      if (await this.removeReceiving(upload)) removed += 1;
    }
    await this.uploads.deleteMany({ status: 'completed', expiresAt: { $lte: now } }).exec();
    if (removed > 0) this.metrics.uploadsExpired(removed);
    return removed;
  }

  /**
   * The record goes first, by a conditional delete, so only one caller releases the quota; then
   * the temporary. False when the upload was no longer receiving.
   */
  async removeReceiving(upload: Removable): Promise<boolean> {
    const { deletedCount } = await this.uploads
      .deleteOne({ _id: upload._id, status: 'receiving' })
      .exec();
    if (deletedCount !== 1) return false;
    await this.pipeline.release(upload.owner.toHexString(), upload.length);
    const target = {
      uploadId: upload._id.toHexString(),
      key: this.pipeline.keyOf(upload._id),
      state: upload.storageState ?? {},
    };
    await this.storage?.discard(target).catch((error: Error) => {
      this.logger.warn(`could not remove an ended upload's temporary object: ${error.message}`);
    });
    return true;
  }

  private async sweepQuietly(): Promise<void> {
    try {
      const removed = await this.sweep();
      if (removed > 0) this.logger.log(`swept ${removed} expired resumable uploads`);
    } catch (error) {
      this.logger.warn(`upload expiry sweep failed, will retry: ${(error as Error).message}`);
    }
  }
}
