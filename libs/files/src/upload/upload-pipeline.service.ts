import { Inject, Injectable, Logger, PayloadTooLargeException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { SecurityEventsService } from '@strongroom/audit';
import type { AuthenticatedUser, ClientContext } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import type { EncryptionHeader } from '@strongroom/encryption';
import { UploadInfectedException, VirusScanner, type UploadScan } from '@strongroom/scanning';
import { pipeWatchingSource, STORAGE_PROVIDER, type StorageProvider } from '@strongroom/storage';
import { UsersService } from '@strongroom/users';
import { WebhookEvents } from '@strongroom/webhooks';
import { FileContentStore, type StoredContent } from '../file-content.store';
import { FileMetrics, type UploadRoute } from '../file-metrics';
import { sanitizeFileName } from '../file-name';
import { nameSearchKeys } from '../file-name-search';
import { fileStorageKey } from '../file-storage-key';
import { FileHoldsService } from '../holds/file-holds.service';
import { StoredFile, type StoredFileDocument } from '../file.schema';
import { ContentSniffer, SNIFF_BYTES } from './content-sniffer';

export interface StoredUpload {
  size: number;
  sha256: string;
  contentType: string;
}

/** Who uploads what, as far as the route knows before the bytes. */
export interface IncomingUpload {
  owner: AuthenticatedUser;
  name: string | undefined;
  client: ClientContext;
  route: UploadRoute;
  /** Set when someone else sends the file to `owner` through an upload request. */
  uploadRequestId?: string;
}

/** A stored, scanned upload whose record is still `pending`. */
export interface ReceivedUpload extends StoredUpload {
  record: StoredFileDocument;
}

/** The record of an upload whose bytes were stored by its route (a resumable upload). */
export interface PreparedRecord {
  id: Types.ObjectId;
  encryption: EncryptionHeader | undefined;
}

/** What a `file.uploaded` webhook says about the file. */
const fileData = (file: StoredFileDocument) => ({
  fileId: file.id as string,
  name: file.name,
  size: file.size,
  contentType: file.contentType,
  sha256: file.sha256,
  uploadedAt: file.uploadedAt,
});

/**
 * The one way a file comes into being, whatever route its bytes take: the limits checked before
 * any byte, a `pending` record, the bytes sniffed, encrypted, hashed and scanned, then the quota
 * charged, the record made `ready`, the audit event and the metrics. Nothing is visible before
 * it is complete and clean, and a failed upload leaves nothing behind.
 */
@Injectable()
export class UploadPipeline {
  private readonly logger = new Logger('Uploads');
  readonly maxFileSize: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectModel(StoredFile.name) private readonly files: Model<StoredFile>,
    @Inject(STORAGE_PROVIDER) private readonly storage: StorageProvider,
    private readonly users: UsersService,
    private readonly metrics: FileMetrics,
    private readonly content: FileContentStore,
    private readonly events: SecurityEventsService,
    private readonly scanner: VirusScanner,
    private readonly holds: FileHoldsService,
    private readonly webhooks: WebhookEvents,
  ) {
    this.maxFileSize = config.storage.maxFileSize;
  }

  /**
   * Refuses, before any byte, an upload whose declared size is over MAX_FILE_SIZE or the owner's
   * remaining quota. `framing` is what the route's encoding adds around the file (multipart).
   */
  async admit(ownerId: string, declaredSize: number | undefined, framing = 0): Promise<void> {
    if (declaredSize === undefined) return;
    if (declaredSize - framing > this.maxFileSize) throw this.tooLarge();
    const remaining = await this.users.remainingQuota(ownerId);
    if (remaining !== undefined && declaredSize - framing > remaining) throw this.quotaExceeded();
  }

  /** Charges an exact size up front, for a route that knows it before the bytes (tus). */
  async reserve(ownerId: string, size: number): Promise<void> {
    if (size > this.maxFileSize) throw this.tooLarge();
    if (!(await this.users.chargeStorage(ownerId, size))) throw this.quotaExceeded();
  }

  release(ownerId: string, size: number): Promise<void> {
    return this.users.releaseStorage(ownerId, size);
  }

  /** The encryption header a new upload gets, kept on its record before any byte is stored. */
  newHeader(fileId: Types.ObjectId): Promise<EncryptionHeader | undefined> {
    return this.content.headerForNewFile(fileId.toHexString());
  }

  /** Storage key of a file id. */
  keyOf(fileId: Types.ObjectId): string {
    return fileStorageKey(fileId);
  }

  /**
   * A whole upload in one stream (multipart): scanned side by side with storage, so the verdict
   * is ready with the last byte. `truncated` tells whether the route cut the body at its limit.
   */
  async receive(
    upload: IncomingUpload,
    source: Readable,
    truncated: () => boolean,
  ): Promise<ReceivedUpload> {
    let record: StoredFileDocument | undefined;
    let scan: UploadScan | undefined;
    try {
      scan = await this.scanner.begin();
      record = await this.begin(upload);
      // Scanned, the request's chunks are also written to the scanner's socket, later: only
      // unscanned are they the store's alone, to free once encrypted.
      const stored = scan
        ? await this.store(record, scan.inspect(source), upload.route)
        : await this.store(record, source, upload.route, { ownedChunks: true });
      if (truncated()) throw this.tooLarge();
      await this.conclude(scan, upload, { id: record.id as string, name: record.name });
      return { ...stored, record };
    } catch (error) {
      scan?.abort();
      if (record) await this.discard(record);
      throw scan?.stoppedUpload ?? error;
    }
  }

  /**
   * The plaintext of an upload stored by its route, read back for its type: in full through the
   * virus scan when scanning is on (failing closed: throws unless the file may become ready) or
   * when its SHA-256 is asked for (hashed on the way, natively), otherwise only its first bytes.
   */
  async inspectStored(
    upload: IncomingUpload,
    file: StoredContent,
    wanted: { sha256: boolean } = { sha256: false },
  ): Promise<{ contentType: string; sha256?: string }> {
    const sniffer = new ContentSniffer();
    const scan = await this.scanner.begin();
    const whole = scan !== undefined || wanted.sha256;
    const head = { start: 0, end: Math.min(file.size, SNIFF_BYTES) - 1 };
    const hash = wanted.sha256 ? createHash('sha256') : undefined;
    if (!whole && head.end < 0) return { contentType: sniffer.contentType() };
    const plaintext = await this.content.read(file, whole ? undefined : head);
    try {
      const sniffed = plaintext.pipe(sniffer);
      const body = scan ? scan.inspect(sniffed) : sniffed;
      for await (const chunk of body) hash?.update(chunk as Buffer);
      await this.conclude(scan, upload, { id: file.id, name: sanitizeFileName(upload.name) });
      return { contentType: sniffer.contentType(), sha256: hash?.digest('hex') };
    } catch (error) {
      scan?.abort();
      plaintext.destroy();
      throw scan?.stoppedUpload ?? error;
    }
  }

  /** Counts an upload begun; a resumable one begins at its creation, long before its record. */
  started(route: UploadRoute): void {
    this.metrics.uploadStarted(route);
  }

  /** Counts bytes a route took in, for uploads that store them piece by piece. */
  countBytes(route: UploadRoute, bytes: number): void {
    this.metrics.uploadReceived(route, bytes);
  }

  /**
   * A `pending` record; its id may have been chosen earlier (a resumable upload binds it into its
   * encryption), and then calling again returns the same record.
   */
  async begin(upload: IncomingUpload, prepared?: PreparedRecord): Promise<StoredFileDocument> {
    const id = prepared?.id ?? new Types.ObjectId();
    const name = sanitizeFileName(upload.name);
    const fields = {
      _id: id,
      uploader: new Types.ObjectId(upload.owner.id),
      name,
      nameKeys: nameSearchKeys(name),
      storageDriver: this.storage.driver,
      storageKey: fileStorageKey(id),
      encryption: prepared ? prepared.encryption : await this.newHeader(id),
      status: 'pending' as const,
      ...(upload.uploadRequestId
        ? { uploadRequestId: new Types.ObjectId(upload.uploadRequestId) }
        : {}),
    };
    if (!prepared) {
      this.started(upload.route);
      return this.files.create(fields);
    }
    // A completion retried after a crash finds the record it made the first time.
    return this.files
      .findOneAndUpdate(
        { _id: id },
        { $setOnInsert: fields },
        { upsert: true, new: true, setDefaultsOnInsert: true },
      )
      .orFail()
      .exec();
  }

  /**
   * Makes the file visible: charges the quota (unless the route reserved it), turns the record
   * `ready` and writes the audit event. A refused charge removes the upload.
   */
  async finish(
    upload: IncomingUpload,
    record: StoredFileDocument,
    stored: StoredUpload,
    options: { quotaReserved?: boolean } = {},
  ): Promise<StoredFileDocument> {
    const owner = record.uploader.toHexString();
    if (!options.quotaReserved && !(await this.users.chargeStorage(owner, stored.size))) {
      await this.discard(record);
      throw this.quotaExceeded();
    }
    const ready = await this.files
      .findOneAndUpdate(
        { _id: record._id, status: 'pending' },
        {
          $set: {
            status: 'ready',
            size: stored.size,
            sha256: stored.sha256,
            contentType: stored.contentType,
            uploadedAt: new Date(),
          },
        },
        { new: true },
      )
      .exec();
    if (!ready) {
      if (!options.quotaReserved) await this.users.releaseStorage(owner, stored.size);
      throw new Error(`pending upload ${record.id as string} vanished before completion`);
    }
    this.metrics.uploadCompleted(upload.route);
    await this.holds.mirrorNewUpload(ready);
    await this.events.record({
      type: 'file_uploaded',
      client: upload.client,
      // Through an upload request an anonymous visitor acts; the owner is whom it concerns.
      ...(upload.uploadRequestId ? { subjectId: upload.owner.id } : { actorId: upload.owner.id }),
      fileId: ready.id as string,
      details: {
        size: ready.size,
        route: upload.route,
        ...(upload.uploadRequestId ? { uploadRequestId: upload.uploadRequestId } : {}),
      },
    });
    await this.webhooks.publish({ type: 'file.uploaded', ownerId: owner, data: fileData(ready) });
    return ready;
  }

  /** Removes whatever an upload left behind; safe to call at any step. */
  async discard(record: Pick<StoredFile, 'storageKey'> & { _id: Types.ObjectId }): Promise<void> {
    await this.storage.delete(record.storageKey).catch((error: Error) => {
      this.logger.warn(
        `could not remove the blob of a failed upload (the sweeper will): ${error.message}`,
      );
    });
    await this.files.deleteOne({ _id: record._id, status: 'pending' }).exec();
  }

  tooLarge(): PayloadTooLargeException {
    return new PayloadTooLargeException(
      `The file is larger than the limit of ${this.maxFileSize} bytes (MAX_FILE_SIZE)`,
    );
  }

  quotaExceeded(): PayloadTooLargeException {
    return new PayloadTooLargeException(
      'This upload would exceed your storage quota; delete files or ask an admin for more',
    );
  }

  /** Streams the bytes to storage, sniffing the type and hashing on the way. */
  private async store(
    record: StoredFileDocument,
    source: Readable,
    route: UploadRoute,
    ownership: { ownedChunks?: boolean } = {},
  ): Promise<StoredUpload> {
    const sniffer = new ContentSniffer();
    const done = this.metrics.uploadTimer(this.storage.driver);
    const body = pipeWatchingSource(source, sniffer);
    try {
      const stored = await this.content.write(
        { id: record.id as string, storageKey: record.storageKey, encryption: record.encryption },
        body.stream,
        ownership,
      );
      done('ok', stored.size);
      this.countBytes(route, stored.size);
      return { ...stored, contentType: sniffer.contentType() };
    } catch (error) {
      done(body.sourceFailed() ? 'aborted' : 'error');
      throw error;
    }
  }

  /** The scan's verdict; an infected upload is also an event for the owner's webhooks. */
  private async conclude(
    scan: UploadScan | undefined,
    upload: IncomingUpload,
    file: { id: string; name: string },
  ): Promise<void> {
    try {
      await scan?.conclude({
        fileId: file.id,
        ownerId: upload.owner.id,
        fileName: file.name,
        client: upload.client,
        uploadRequestId: upload.uploadRequestId,
      });
    } catch (error) {
      if (error instanceof UploadInfectedException) {
        await this.webhooks.publish({
          type: 'file.scan_failed',
          ownerId: upload.owner.id,
          data: {
            fileId: file.id,
            name: file.name,
            reason: 'infected',
            signature: error.signature,
          },
        });
      }
      throw error;
    }
  }
}
