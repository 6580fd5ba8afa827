import { ForbiddenException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, type Model, Types } from 'mongoose';
import { SecurityEventsService } from '@strongroom/audit';
import {
  type AuthenticatedUser,
  type ClientContext,
  clientContextOf,
  type KeptRecord,
  findOneRecord,
} from '@strongroom/common';
import { ContentIntegrityError } from '@strongroom/encryption';
import { type DeletionRequester, FileDeletionGuard, heldError } from '@strongroom/retention';
import { STORAGE_PROVIDER, type StorageProvider } from '@strongroom/storage';
import { UsersService } from '@strongroom/users';
import { FileAccessPolicy, type FileAction } from './file-access.policy';
import { sanitizeFileName } from './file-name';
import { nameSearchKeys } from './file-name-search';
import { type FileSearch, fileListQuery } from './file-list-query';
import { readyFilesEstimate } from './ready-files-estimate';
import { SharedFilesService } from './shared-files.service';
import { StoredFile, type StoredFileDocument, type StoredFileRecord } from './file.schema';
import { sendFileContent, type SendOptions } from './download/content-response';
import { FileErasureRegistry } from './file-erasure.registry';
import { FileMetrics } from './file-metrics';
import { FileContentStore } from './file-content.store';
import { guardedFile } from './holds/guarded-file';
import type { Request, Response } from 'express';
import type { Readable } from 'node:stream';

/** Who reads a file's content outside a plain download, for the security event if it is bad. */
export interface ContentReader {
  client: ClientContext;
  actorId?: string;
  /** The share link it is read through. */
  linkId?: string;
  details?: Record<string, string>;
  /** Whether the reader's response has begun (then a failure cuts it). */
  responseStarted: () => boolean;
}
@Injectable()
export class FilesService {
  private readonly logger = new Logger('Files');

  constructor(
    @InjectModel(StoredFile.name) private readonly files: Model<StoredFile>,
    @Inject(STORAGE_PROVIDER) private readonly storage: StorageProvider,
    private readonly users: UsersService,
    private readonly policy: FileAccessPolicy,
    private readonly metrics: FileMetrics,
    private readonly fileErasure: FileErasureRegistry,
    private readonly content: FileContentStore,
    private readonly events: SecurityEventsService,
    private readonly guard: FileDeletionGuard,
    private readonly sharedFiles: SharedFilesService,
  ) {}

  async list(
    user: AuthenticatedUser,
    search: FileSearch,
  ): Promise<{ items: StoredFileDocument[]; total: number }> {
    if (search.scope === 'all' && user.role !== 'admin') {
      throw new ForbiddenException('scope=all is for admins; use scope=mine or scope=shared');
    }
    if (search.scope === 'shared') return this.sharedFiles.page(user.id, search);
    const { filter, sort } = fileListQuery(user.id, { ...search, scope: search.scope });
    const [items, total] = await Promise.all([
      this.files
        .find(filter)
        .sort(sort)
        .skip((search.page - 1) * search.limit)
        .limit(search.limit)
        .exec(),
      search.scope === 'all' && !search.q?.trim()
        ? readyFilesEstimate(this.files)
        : this.files.countDocuments(filter).exec(),
    ]);
    return { items, total };
  }

  /** A ready file the caller may act on; anything else is indistinguishable from absent. */
  async getAccessible(
    user: AuthenticatedUser,
    id: string,
    action: FileAction = 'read',
  ): Promise<StoredFileDocument> {
    const file = isValidObjectId(id)
      ? await this.files.findOne({ _id: id, status: 'ready' }).exec()
      : null;
    return this.allowed(user, action, file);
  }

  /**
   * As getAccessible for reading, as a plain record: building a mongoose document for every
   * metadata read and download was a tenth of their CPU, and nothing here saves it.
   */
  async getReadable(user: AuthenticatedUser, id: string): Promise<StoredFileRecord> {
    const file = isValidObjectId(id)
      ? await findOneRecord<StoredFileRecord>(this.files, {
          _id: new Types.ObjectId(id),
          status: 'ready',
        })
      : null;
    return this.allowed(user, 'read', file);
  }

  private async allowed<T extends StoredFileRecord>(
    user: AuthenticatedUser,
    action: FileAction,
    file: T | null,
  ): Promise<T> {
    if (!file || !(await this.policy.can(user, action, file))) {
      throw new NotFoundException('File not found');
    }
    return file;
  }

  async rename(user: AuthenticatedUser, id: string, name: string): Promise<StoredFileDocument> {
    const file = await this.getAccessible(user, id, 'modify');
    file.name = sanitizeFileName(name);
    file.nameKeys = nameSearchKeys(file.name);
    const saved = await file.save();
    await this.sharedFiles.renamed(saved);
    return saved;
  }

  /**
   * Unless a hold or retention keeps the file (409), the record goes first (the file vanishes at
   * once), then the quota, then the blob.
   */
  async delete(user: AuthenticatedUser, id: string, client?: ClientContext): Promise<void> {
    const file = await this.getAccessible(user, id, 'modify');
    const requester: DeletionRequester = {
      actorId: user.id,
      client,
      path: user.id === file.uploader.toHexString() ? 'owner' : 'admin',
    };
    await this.guard.assertDeletable(guardedFile(file), requester);
    const removed = await this.removeRecordUnlessHeld(
      { _id: file._id, status: 'ready' },
      requester,
    );
    if (!removed) throw new NotFoundException('File not found');
    if ('kept' in removed) throw heldError(removed.kept);
    await this.fileErasure.eraseAll(file.id as string);
    await this.users.releaseStorage(removed.uploader.toHexString(), removed.size);
    await this.removeBlob(removed.storageKey);
  }

  /**
   * Erasure step for a deleted user: every file they own, in any state, except those a hold or
   * retention keeps, which it returns. A file kept for retention gets its date stamped on the
   * record, because the group memberships that may impose it are erased with the user.
   */
  async deleteAllOwnedBy(userId: string): Promise<KeptRecord[]> {
    const owned = await this.files
      .find(
        { uploader: new Types.ObjectId(userId) },
        { storageKey: 1, name: 1, uploader: 1, uploadedAt: 1, retainedUntil: 1, status: 1 },
      )
      .lean()
      .exec();
    const ready = owned.filter((file) => file.status === 'ready').map(guardedFile);
    const kept = await this.guard.keptAmong(ready, { path: 'user erasure' });
    const keptIds = new Set(kept.map((record) => record.id));
    for (const file of ready.filter((candidate) => keptIds.has(candidate.id))) {
      const retention = await this.guard.retentionOf(file);
      if (retention && retention.until > new Date()) {
        await this.files
          .updateOne({ _id: file.id }, { $max: { retainedUntil: retention.until } })
          .exec();
      }
    }
    for (const file of owned.filter((candidate) => !keptIds.has(candidate._id.toHexString()))) {
      const removed = await this.removeRecordUnlessHeld(
        { _id: file._id },
        { path: 'user erasure' },
      );
      if (!removed) continue;
      if ('kept' in removed) {
        kept.push(removed.kept);
        continue;
      }
      await this.fileErasure.eraseAll(file._id.toHexString());
      await this.removeBlob(file.storageKey);
    }
    return kept;
  }

  /**
   * Removes a file's record, and puts it back when a hold placed after the guard's first check
   * covers it now (see FileDeletionGuard.heldSinceCheck). Null when the record was already gone.
   */
  private async removeRecordUnlessHeld(
    filter: { _id: Types.ObjectId; status?: 'ready' },
    requester: DeletionRequester,
  ): Promise<StoredFile | { kept: KeptRecord } | null> {
    const removed = await this.files
      .findOneAndDelete(filter)
      .lean<StoredFile & { _id: Types.ObjectId }>()
      .exec();
    if (!removed) return null;
    // Holds keep what people can see; an unfinished upload goes whatever covers its owner.
    if (removed.status !== 'ready') return removed;
    const kept = await this.guard.heldSinceCheck(guardedFile(removed), requester);
    if (!kept) return removed;
    await this.files.collection.insertOne(removed);
    return { kept };
  }

  /** Serves a file's bytes on the response; true when the whole body went out. */
  async sendContent(
    req: Request,
    res: Response,
    file: StoredFileRecord,
    options: Omit<SendOptions, 'onComplete'> = {},
  ): Promise<boolean> {
    const done = this.metrics.downloadTimer(file.storageDriver);
    try {
      return await sendFileContent(
        req,
        res,
        file,
        (range) => this.content.read(this.contentOf(file), range),
        {
          ...options,
          onComplete: (bytes) => done('ok', bytes),
        },
      );
    } catch (error) {
      done('error');
      if (error instanceof ContentIntegrityError) {
        this.reportIntegrityFailure(file, error, {
          client: clientContextOf(req),
          actorId: (req as Request & { user?: AuthenticatedUser }).user?.id,
          responseStarted: () => res.headersSent,
        });
      }
      throw error;
    }
  }

  /**
   * Bad ciphertext is never served: the failing chunk is withheld, and a response that has begun
   * is cut (the global filter destroys it). Either way it is an incident worth a security event.
   */
  private reportIntegrityFailure(
    file: StoredFileRecord,
    error: ContentIntegrityError,
    reader: ContentReader,
  ): void {
    this.events
      .record({
        type: 'file_integrity_failed',
        client: reader.client,
        actorId: reader.actorId,
        linkId: reader.linkId,
        fileId: file._id.toHexString(),
        details: {
          ...reader.details,
          reason: error.message,
          ...(error.chunk === undefined ? {} : { chunk: error.chunk }),
          responseStarted: reader.responseStarted(),
        },
      })
      .catch((failure: Error) =>
        this.logger.error(`could not record a file integrity failure: ${failure.message}`),
      );
  }

  /**
   * A ready file's plaintext, whole, for callers that frame it themselves (a bundle's ZIP); it
   * counts in the download metrics as a download of its own once it has been read to the end.
   * Content that fails its integrity check, at the start or mid-way, is reported for `reader`
   * as a download's is.
   */
  async openContent(file: StoredFileRecord, reader: ContentReader): Promise<Readable> {
    const done = this.metrics.downloadTimer(file.storageDriver);
    const failed = (error: unknown) => {
      if (error instanceof ContentIntegrityError) this.reportIntegrityFailure(file, error, reader);
    };
    let body: Readable;
    try {
      body = await this.content.read(this.contentOf(file));
    } catch (error) {
      done('error');
      failed(error);
      throw error;
    }
    let settled = false;
    const settle = (outcome: 'ok' | 'error' | 'aborted') => {
      if (settled) return;
      settled = true;
      done(outcome, file.size);
    };
    body.once('end', () => settle('ok'));
    body.once('error', (error) => {
      settle('error');
      failed(error);
    });
    body.once('close', () => settle('aborted'));
    return body;
  }

  private contentOf(file: StoredFileRecord) {
    return {
      id: file._id.toHexString(),
      storageKey: file.storageKey,
      size: file.size,
      encryption: file.encryption,
    };
  }

  /** A ready file by id, for callers that decided access another way (public links). */
  findReady(id: Types.ObjectId): Promise<StoredFileDocument | null> {
    return this.files.findOne({ _id: id, status: 'ready' }).exec();
  }

  private async removeBlob(key: string): Promise<void> {
    await this.storage.delete(key).catch((error: Error) => {
      this.logger.warn(
        `could not remove a deleted file's blob (the sweeper will): ${error.message}`,
      );
    });
  }
}
