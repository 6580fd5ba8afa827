import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { SecurityEventsService } from '@strongroom/audit';
import { EncryptedStorage } from '@strongroom/encryption';
import { StoredFile } from './file.schema';

export interface KeyRotationProgress {
  /** Data keys now wrapped under the current key by this run. */
  rewrapped: number;
  /** Records another process re-wrapped or deleted first: nothing to do. */
  skipped: number;
  /** Data keys that could not be unwrapped (their key is missing or wrong); left as they were. */
  failed: number;
  /** Records still under an older key when the run started. */
  total: number;
}

export interface KeyRotationReport extends KeyRotationProgress {
  currentKeyId: string;
}

const BATCH_SIZE = 200;

/**
 * Re-wraps every file's data key under the current key-encryption key; blobs are not touched.
 * Each record is updated only if it still holds the wrapped key that was read, so the run is
 * safe next to a running server and next to another run, and an interrupted run is resumed by
 * simply running it again: what is done no longer matches.
 */
@Injectable()
export class FileKeyRotation {
  private readonly logger = new Logger('KeyRotation');

  constructor(
    @InjectModel(StoredFile.name) private readonly files: Model<StoredFile>,
    private readonly encrypted: EncryptedStorage,
    private readonly events: SecurityEventsService,
  ) {}

  async rotate(onProgress?: (progress: KeyRotationProgress) => void): Promise<KeyRotationReport> {
    const currentKeyId = this.encrypted.currentKeyId;
    const outdated = { encryption: { $exists: true }, 'encryption.kekId': { $ne: currentKeyId } };
    const progress: KeyRotationProgress = {
      rewrapped: 0,
      skipped: 0,
      failed: 0,
      total: await this.files.countDocuments(outdated).exec(),
    };
    let after: Types.ObjectId | undefined;
    for (;;) {
      const batch = await this.files
        .find(after ? { ...outdated, _id: { $gt: after } } : outdated, { encryption: 1 })
        .sort({ _id: 1 })
        .limit(BATCH_SIZE)
        .lean()
        .exec();
      if (batch.length === 0) break;
      for (const file of batch) await this.rewrapOne(file, progress);
      after = batch[batch.length - 1]._id;
      onProgress?.({ ...progress });
    }
    await this.events.record({
      type: 'keys_rotated',
      outcome: progress.failed === 0 ? 'success' : 'failure',
      details: {
        currentKeyId,
        rewrapped: progress.rewrapped,
        skipped: progress.skipped,
        failed: progress.failed,
      },
    });
    return { currentKeyId, ...progress };
  }

  private async rewrapOne(
    file: Pick<StoredFile, 'encryption'> & { _id: Types.ObjectId },
    progress: KeyRotationProgress,
  ): Promise<void> {
    const header = file.encryption!;
    const fileId = file._id.toHexString();
    let rewrapped;
    try {
      rewrapped = this.encrypted.rewrap(fileId, header);
    } catch (error) {
      progress.failed += 1;
      this.logger.warn(`file ${fileId}: ${(error as Error).message}`);
      return;
    }
    if (!rewrapped) {
      progress.skipped += 1;
      return;
    }
    const { modifiedCount } = await this.files
      .updateOne(
        {
          _id: file._id,
          'encryption.kekId': header.kekId,
          'encryption.wrappedKey': header.wrappedKey,
        },
        {
          $set: {
            'encryption.kekId': rewrapped.kekId,
            'encryption.wrappedKey': rewrapped.wrappedKey,
          },
        },
      )
      .exec();
    if (modifiedCount === 1) progress.rewrapped += 1;
    else progress.skipped += 1;
  }
}
