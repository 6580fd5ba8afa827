import {
  BadRequestException,
  Inject,
  Injectable,
  Logger,
  NotImplementedException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DataStore, Upload } from '@tus/server';
import { createSHA256, type IHasher } from 'hash-wasm';
import { isValidObjectId, type Model, Types } from 'mongoose';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import {
  chunkCount,
  chunkPlainLength,
  type ChunkSealer,
  EncryptedStorage,
  type EncryptionHeader,
  sealedChunkStart,
} from '@strongroom/encryption';
import { FilesService, type IncomingUpload, UploadPipeline } from '@strongroom/files';
import { UploadInfectedException } from '@strongroom/scanning';
import { RESUMABLE_STORAGE, type ResumableStorage } from '@strongroom/storage';
import { ResumableUpload, type ResumableUploadDocument } from './resumable-upload.schema';
import { offsetConflict, uploadExpired, uploadNotFound } from './tus-errors';
import { currentUploader } from './uploader-context';
import { UploadExpirySweeper } from './upload-expiry.sweeper';

/**
 * How long a write may go without storing a chunk before another request may take over: the
 * claim of a writer whose instance died (SIGKILL) blocks resumption for at most this long. A
 * client slower than 1 MiB per this period loses its claim to a newer request, and gets 409.
 */
const CLAIM_MS = 15_000;

/** The claim a request holds while it writes, and the state it advances chunk by chunk. */
interface WriteSession {
  upload: ResumableUploadDocument;
  token: string;
  sealer: ChunkSealer;
  hasher: IHasher;
  header: EncryptionHeader;
}

/**
 * tus over our storage and records, through the one upload pipeline: creation checks the limits
 * and reserves the quota before any byte; PATCH seals whole chunks only, so the offset reported
 * is what is durably stored; the last chunk completes the upload (scan, atomic commit, ready
 * file). All state is in MongoDB, so any instance continues any upload.
 */
@Injectable()
export class TusDataStore extends DataStore {
  private readonly logger = new Logger('TusUploads');
  private readonly expiryMs: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectModel(ResumableUpload.name) private readonly uploads: Model<ResumableUpload>,
    @Inject(RESUMABLE_STORAGE) private readonly storage: ResumableStorage | null,
    private readonly pipeline: UploadPipeline,
    private readonly files: FilesService,
    private readonly encrypted: EncryptedStorage,
    private readonly sweeper: UploadExpirySweeper,
  ) {
    super();
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
    this.expiryMs = config.uploads.expiryMs;
  }

  /** Upload ids are the ids of the files they become. */
  newUploadId(): string {
    return new Types.ObjectId().toHexString();
  }

  override async create(upload: Upload): Promise<Upload> {
    const { user } = currentUploader();
    const storage = this.resumableStorage();
    if (upload.size === undefined) {
      throw new BadRequestException(
        'Send Upload-Length: uploads of deferred length are not accepted',
      );
    }
    await this.pipeline.reserve(user.id, upload.size);
    const id = new Types.ObjectId(upload.id);
    const createdAt = new Date();
    try {
      await this.uploads.create({
        _id: id,
        owner: new Types.ObjectId(user.id),
        name: upload.metadata?.filename ?? upload.metadata?.name ?? undefined,
        metadata: upload.metadata ?? {},
        length: upload.size,
        encryption: this.pipeline.newHeader(id),
        createdAt,
        expiresAt: new Date(createdAt.getTime() + this.expiryMs),
      });
    } catch (error) {
      await this.pipeline.release(user.id, upload.size);
      throw error;
    }
    this.pipeline.started('tus');
    upload.creation_date = createdAt.toISOString();
    if (upload.size === 0) await this.write(emptyBody(), upload.id, 0, storage);
    return upload;
  }

  override async getUpload(id: string): Promise<Upload> {
    const upload = await this.owned(id);
    return new Upload({
      id,
      size: upload.length,
      offset: upload.offset,
      metadata: upload.metadata,
      creation_date: upload.createdAt.toISOString(),
    });
  }

  override async remove(id: string): Promise<void> {
    const upload = await this.owned(id);
    if (upload.status === 'completed') {
      throw new BadRequestException('The upload is complete; delete the file instead');
    }
    if (!(await this.sweeper.removeReceiving(upload))) throw uploadNotFound();
  }

  override async write(
    stream: Readable | AsyncIterable<Buffer>,
    id: string,
    offset: number,
    storage = this.resumableStorage(),
  ): Promise<number> {
    const owned = await this.owned(id);
    if (owned.status === 'completed') throw offsetConflict();
    const session = await this.claim(owned, offset);
    const { upload } = session;
    const { chunkSize } = session.header;
    const lastChunk = chunkCount(upload.length, chunkSize) - 1;
    let pending = Buffer.allocUnsafe(chunkPlainLength(upload.nextChunk, upload.length, chunkSize));
    let filled = 0;
    try {
      const sealNext = async () => {
        const index = upload.nextChunk;
        await this.storeChunk(session, storage, index, index === lastChunk, pending);
        if (index < lastChunk) {
          pending = Buffer.allocUnsafe(chunkPlainLength(index + 1, upload.length, chunkSize));
          filled = 0;
        }
      };
      if (upload.length === 0) await sealNext();
      for await (const data of stream as AsyncIterable<Buffer>) {
        let taken = 0;
        while (taken < data.length && upload.status === 'receiving') {
          const copied = data.copy(pending, filled, taken);
          filled += copied;
          taken += copied;
          if (filled === pending.length) await sealNext();
        }
      }
      return upload.offset;
    } finally {
      await this.release(session);
    }
  }

  override getExpiration(): number {
    return this.expiryMs;
  }

  override deleteExpired(): Promise<number> {
    return this.sweeper.sweep();
  }

  /** The caller's upload; someone else's is as absent as a missing one. */
  private async owned(id: string): Promise<ResumableUploadDocument> {
    const { user } = currentUploader();
    const upload = isValidObjectId(id)
      ? await this.uploads.findOne({ _id: id, owner: new Types.ObjectId(user.id) }).exec()
      : null;
    if (!upload) throw uploadNotFound();
    if (upload.status === 'receiving' && upload.expiresAt.getTime() <= Date.now()) {
      throw uploadExpired();
    }
    return upload;
  }

  /** One writer at a time, on any instance: the claim is a conditional update on the offset. */
  private async claim(upload: ResumableUploadDocument, offset: number): Promise<WriteSession> {
    const token = randomUUID();
    const now = new Date();
    const claimed = await this.uploads
      .findOneAndUpdate(
        {
          _id: upload._id,
          status: 'receiving',
          offset,
          $or: [{ claimUntil: { $exists: false } }, { claimUntil: { $lt: now } }],
        },
        { $set: { claimToken: token, claimUntil: new Date(now.getTime() + CLAIM_MS) } },
        { new: true },
      )
      .exec();
    if (!claimed?.encryption) throw offsetConflict();
    const hasher = await createSHA256();
    hasher.init();
    if (claimed.hashState) hasher.load(claimed.hashState);
    const header = claimed.encryption;
    return {
      upload: claimed,
      token,
      header,
      hasher,
      sealer: this.encrypted.sealer({
        fileId: claimed.id as string,
        storageKey: this.pipeline.keyOf(claimed._id),
        header,
      }),
    };
  }

  private async release(session: WriteSession): Promise<void> {
    await this.uploads
      .updateOne(
        { _id: session.upload._id, claimToken: session.token },
        { $unset: { claimToken: 1, claimUntil: 1 } },
      )
      .exec()
      .catch((error: Error) =>
        this.logger.warn(`could not release an upload claim: ${error.message}`),
      );
  }

  /**
   * Seals one whole chunk and stores it at its place; only then does the record move on, so a
   * crash at any point leaves an offset that is on disk. The last chunk completes the upload.
   */
  private async storeChunk(
    session: WriteSession,
    storage: ResumableStorage,
    index: number,
    last: boolean,
    plaintext: Buffer,
  ): Promise<void> {
    const { upload } = session;
    const id = upload.id as string;
    await storage.writeAt(
      id,
      sealedChunkStart(index, session.header.chunkSize),
      session.sealer.seal(index, last, plaintext),
    );
    session.hasher.update(plaintext);
    this.pipeline.countBytes('tus', plaintext.length);
    if (last) return this.complete(session, storage);
    const offset = upload.offset + plaintext.length;
    const advanced = await this.uploads
      .updateOne(
        { _id: upload._id, claimToken: session.token, nextChunk: index },
        {
          $set: {
            offset,
            nextChunk: index + 1,
            hashState: Buffer.from(session.hasher.save()),
            claimUntil: new Date(Date.now() + CLAIM_MS),
          },
        },
      )
      .exec();
    if (advanced.modifiedCount !== 1) throw offsetConflict();
    upload.offset = offset;
    upload.nextChunk = index + 1;
  }

  /**
   * The whole file is stored: it is read back through the decrypting reader for the type and
   * the virus scan (failing closed), committed to its key in one step, and made a ready file.
   * Infected content removes everything and releases the quota; a scanner outage keeps the
   * upload, whose last PATCH can be sent again.
   */
  private async complete(session: WriteSession, storage: ResumableStorage): Promise<void> {
    const { upload, header } = session;
    const id = upload.id as string;
    const { user, client } = currentUploader();
    const incoming: IncomingUpload = { owner: user, name: upload.name, client, route: 'tus' };
    if (!(await this.files.findReady(upload._id))) {
      const plaintext = this.encrypted.decrypt(
        { fileId: id, storageKey: this.pipeline.keyOf(upload._id), header },
        upload.length,
        await storage.readTemporary(id),
      );
      let contentType: string;
      try {
        contentType = await this.pipeline.inspectStored(incoming, id, plaintext);
      } catch (error) {
        if (error instanceof UploadInfectedException) await this.sweeper.removeReceiving(upload);
        throw error;
      }
      const record = await this.pipeline.begin(incoming, { id: upload._id, encryption: header });
      await storage.commit(id, record.storageKey);
      await this.pipeline.finish(
        incoming,
        record,
        { size: upload.length, sha256: session.hasher.digest('hex'), contentType },
        { quotaReserved: true },
      );
    } else {
      // A retry after a crash that came after the file was ready: what the retry stored is spare.
      await storage.discard(id);
    }
    await this.uploads
      .updateOne(
        { _id: upload._id, claimToken: session.token },
        {
          $set: { status: 'completed', offset: upload.length, nextChunk: upload.nextChunk + 1 },
          $unset: { hashState: 1 },
        },
      )
      .exec();
    upload.offset = upload.length;
    upload.status = 'completed';
  }

  private resumableStorage(): ResumableStorage {
    if (!this.storage) {
      throw new NotImplementedException(
        'Resumable uploads are not available on this storage driver yet; use POST /api/v1/files',
      );
    }
    return this.storage;
  }
}

async function* emptyBody(): AsyncGenerator<Buffer> {}
