import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { setTimeout } from 'node:timers/promises';
import { isValidObjectId, type Model, Types } from 'mongoose';
import { SecurityEventsService } from '@strongroom/audit';
import type { AuthenticatedUser, ClientContext } from '@strongroom/common';
import {
  FileDeletionGuard,
  type HoldSubject,
  type LegalHoldDocument,
  LegalHoldsService,
} from '@strongroom/retention';
import { STORAGE_PROVIDER, type StorageProvider } from '@strongroom/storage';
import { UsersService } from '@strongroom/users';
import { StoredFile, type StoredFileDocument } from '../file.schema';
import { guardedFile } from './guarded-file';

/** How long a hold waits for a file whose deletion it raced to put the file back: 2 s. */
const FILE_RETURN_WAITS = 40;
const FILE_RETURN_WAIT_MS = 50;

const NO_HOLD: Record<HoldSubject, string> = {
  file: 'This file has no legal hold to release',
  user: "This user's files have no legal hold to release",
};

/**
 * Places and releases legal holds on a file or on all of a user's files, audits them, and mirrors
 * them onto the stored objects when the storage enforces holds itself (S3 Object Lock).
 */
@Injectable()
export class FileHoldsService {
  private readonly logger = new Logger('LegalHolds');

  constructor(
    @InjectModel(StoredFile.name) private readonly files: Model<StoredFile>,
    @Inject(STORAGE_PROVIDER) private readonly storage: StorageProvider,
    private readonly holds: LegalHoldsService,
    private readonly guard: FileDeletionGuard,
    private readonly users: UsersService,
    private readonly events: SecurityEventsService,
  ) {}

  async place(
    subject: HoldSubject,
    id: string,
    reason: string,
    actor: AuthenticatedUser,
    client: ClientContext,
  ): Promise<LegalHoldDocument> {
    await this.filesOf(subject, id);
    const hold = await this.holds.place(subject, id, reason, actor);
    // Looked up after the hold is written: see FileDeletionGuard.heldSinceCheck.
    const files = await this.filesStillThere(subject, id);
    for (const file of files) await this.mirrorHold(file);
    await this.events.record({
      type: 'legal_hold_placed',
      client,
      actorId: actor.id,
      ...(subject === 'file' ? { fileId: id } : { subjectId: id }),
      details: { subject, reason },
    });
    return hold;
  }

  async release(
    subject: HoldSubject,
    id: string,
    reason: string | undefined,
    actor: AuthenticatedUser,
    client: ClientContext,
  ): Promise<void> {
    const files = await this.filesOf(subject, id);
    const released = await this.holds.release(subject, id);
    if (!released) throw new NotFoundException(NO_HOLD[subject]);
    for (const file of files) await this.mirrorHold(file);
    await this.events.record({
      type: 'legal_hold_released',
      client,
      actorId: actor.id,
      ...(subject === 'file' ? { fileId: id } : { subjectId: id }),
      details: { subject, reason: reason ?? '', heldSince: released.placedAt.toISOString() },
    });
  }

  /**
   * Gives the stored object the legal hold its record has now (on while any hold covers it).
   * Without an object lock there is nothing to mirror.
   */
  private async mirrorHold(file: StoredFileDocument): Promise<void> {
    const lock = this.storage.objectLock;
    if (!lock) return;
    const covering = await this.holds.covering(file.id as string, file.uploader.toHexString());
    await lock.setLegalHold(file.storageKey, covering.length > 0);
  }

  /**
   * A new upload's object gets the hold and the retention that already apply to it (a hold on
   * all of its owner's files, the instance's and groups' retention). Retention is set only here:
   * an object's retention can be extended but never shortened. A failure is logged, not the
   * upload's: the app's guard protects the file either way.
   */
  async mirrorNewUpload(file: StoredFileDocument): Promise<void> {
    const lock = this.storage.objectLock;
    if (!lock) return;
    try {
      // A new object has no hold: only one already covering its owner's files needs a call.
      const covering = await this.holds.covering(file.id as string, file.uploader.toHexString());
      if (covering.length > 0) await lock.setLegalHold(file.storageKey, true);
      const retention = await this.guard.retentionOf(guardedFile(file));
      if (retention) await lock.retainUntil(file.storageKey, retention.until);
    } catch (error) {
      this.logger.warn(
        `could not set the object lock of a new upload: ${(error as Error).message}`,
      );
    }
  }

  /**
   * The files a just-placed hold covers. A file being deleted at this very moment is out of its
   * record for a few milliseconds until the deletion sees the hold and puts it back; when it does
   * not come back, the deletion won the race and the hold on a file that is gone is taken back.
   */
  private async filesStillThere(subject: HoldSubject, id: string): Promise<StoredFileDocument[]> {
    if (subject === 'user') return this.filesOf(subject, id);
    for (let wait = 0; wait < FILE_RETURN_WAITS; wait++) {
      const file = await this.files.findOne({ _id: id, status: 'ready' }).exec();
      if (file) return [file];
      await setTimeout(FILE_RETURN_WAIT_MS);
    }
    await this.holds.release(subject, id);
    throw new NotFoundException('File not found: it was deleted as the hold was placed');
  }

  /** The ready files a hold covers; 404 for an unknown file or user. */
  private async filesOf(subject: HoldSubject, id: string): Promise<StoredFileDocument[]> {
    if (subject === 'user') {
      await this.users.getById(id);
      return this.files.find({ uploader: new Types.ObjectId(id), status: 'ready' }).exec();
    }
    const file = isValidObjectId(id)
      ? await this.files.findOne({ _id: id, status: 'ready' }).exec()
      : null;
    if (!file) throw new NotFoundException('File not found');
    return [file];
  }
}
