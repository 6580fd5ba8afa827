import { BadRequestException, Inject, Injectable, NotImplementedException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DataStore, Upload } from '@tus/server';
import { type FilterQuery, isValidObjectId, type Model, Types, type UpdateQuery } from 'mongoose';
import { createHash, type Hash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { arrivingChunks, PrematureCloseError } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import {
  chunkCount,
  chunkPlainLength,
  type ChunkSealer,
  EncryptedStorage,
  type EncryptionHeader,
  sealedChunkStart,
  storedSize,
} from '@strongroom/encryption';
import { FilesService, type IncomingUpload, UploadPipeline } from '@strongroom/files';
import { UploadInfectedException } from '@strongroom/scanning';
import {
  RESUMABLE_STORAGE,
  type ResumableStorage,
  type ResumableTarget,
} from '@strongroom/storage';
import { ResumableUpload } from './resumable-upload.schema';
import {
  bodyPastLength,
  offsetConflict,
  patchTooShort,
  requestCutShort,
  uploadExpired,
  uploadNotFound,
} from './tus-errors';
import { currentUploader } from './uploader-context';
import { UploadDigestCache } from './upload-digest.cache';
import { UploadExpirySweeper } from './upload-expiry.sweeper';
import { chunksPerPart } from './part-size';
import { StreamedPart } from './streamed-part';

/**
 * How often a writing request records its progress (an fsync and one database update), rather
 * than after every chunk: per chunk, those cost four times what sealing and storing it did.
 */
const CHECKPOINT_MS = 250;

/**
 * How long a write may go without storing a chunk before another request may take over: the
 * claim of a writer whose instance died (SIGKILL) blocks resumption for at most this long. A
 * client slower than 1 MiB per this period loses its claim to a newer request, and gets 409.
 */
const CLAIM_MS = 15_000;

/** What a PATCH ends with: the offset durably stored, and what its answer's headers say. */
export interface PatchOutcome {
  offset: number;
  length: number;
  expiresAt: Date;
}

/** An upload's record as a plain object: what a request reads and advances. */
type UploadRecord = ResumableUpload & { _id: Types.ObjectId };

/** The claim a request holds while it writes, and the state it advances part by part. */
interface WriteSession {
  upload: UploadRecord;
  token: string;
  sealer: ChunkSealer;
  /** The SHA-256 of every chunk before the next, or undefined: computed at completion instead. */
  hasher: Hash | undefined;
  header: EncryptionHeader;
  target: ResumableTarget;
  storage: ResumableStorage;
  /**
   * The part being filled, streamed to storage as it fills (none before its first chunk, or when
   * this request cannot make it whole), the plaintext bytes it holds, its first chunk.
   */
  part?: StreamedPart;
  partPlainBytes: number;
  partFirstChunk: number;
  /**
   * The part before it, whose bytes are all sent, until storage confirms it and its progress is
   * noted: at most one such part per upload while the next one streams. Rejects if it failed.
   */
  storing: Promise<void>;
  /** What the record says is stored; `upload` itself runs ahead of it between checkpoints. */
  recorded: { offset: number; nextChunk: number; at: number };
  /**
   * The receipts of the parts this request stored (when storage needs them at commit), of which
   * the first `recordedReceipts` are in the record.
   */
  receipts: string[];
  recordedReceipts: number;
  /**
   * The progress to record next: taken right after a part was stored, so it matches the bytes;
   * `receipts` of the session's receipts go with it.
   */
  progress?: { offset: number; nextChunk: number; hash: Hash | undefined; receipts: number };
  /** Checkpoints run one after the other. */
  checkpoints: Promise<void>;
  /** A checkpoint is waiting for the one before it: its turn takes the latest progress anyway. */
  checkpointQueued: boolean;
  /** Why a checkpoint failed (a lost claim, the database): no further part is stored. */
  checkpointFailure?: Error;
}

/**
 * tus over our storage and records, through the one upload pipeline: creation checks the limits
 * and reserves the quota before any byte; PATCH seals whole chunks only, so the offset reported
 * is what is durably stored; the last chunk completes the upload (scan, atomic commit, ready
 * file). All state is in MongoDB, so any instance continues any upload.
 */
@Injectable()
export class TusDataStore extends DataStore {
  private readonly expiryMs: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectModel(ResumableUpload.name) private readonly uploads: Model<ResumableUpload>,
    @Inject(RESUMABLE_STORAGE) private readonly storage: ResumableStorage | null,
    private readonly pipeline: UploadPipeline,
    private readonly files: FilesService,
    private readonly encrypted: EncryptedStorage,
    private readonly sweeper: UploadExpirySweeper,
    private readonly digests: UploadDigestCache,
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
      const encryption = await this.pipeline.newHeader(id);
      if (!encryption) throw new Error('resumable uploads need encryption keys');
      const storageState = await storage.begin(upload.id, this.pipeline.keyOf(id));
      await this.uploads.create({
        _id: id,
        owner: new Types.ObjectId(user.id),
        name: upload.metadata?.filename ?? upload.metadata?.name ?? undefined,
        metadata: upload.metadata ?? {},
        length: upload.size,
        encryption,
        chunksPerPart: chunksPerPart(storage, upload.size, encryption.chunkSize),
        storageState,
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
    this.digests.forget(id);
  }

  /** A creation's first bytes (creation-with-upload), through tus's handler. */
  override async write(
    stream: Readable | AsyncIterable<Buffer>,
    id: string,
    offset: number,
    storage = this.resumableStorage(),
  ): Promise<number> {
    const owned = await this.owned(id);
    if (owned.status === 'completed') {
      // Nothing left to send (an empty file's creation-with-upload): the offset is the length.
      if (offset === owned.length) return owned.length;
      throw offsetConflict();
    }
    const session = await this.claim(owned, offset, storage);
    return this.receive(session, stream, offset, currentUploader().bodyLength, false);
  }

  /**
   * A PATCH: its claim is taken in the one conditional update that also checks the caller, the
   * expiry, the offset and that the body fits, and only when that fails is the record read, to
   * say why. The body's chunks go to the sealer as they arrive.
   */
  async append(
    id: string,
    offset: number,
    body: Readable,
    bodyLength: number | undefined,
  ): Promise<PatchOutcome> {
    const storage = this.resumableStorage();
    if (!isValidObjectId(id)) throw uploadNotFound();
    const owner = new Types.ObjectId(currentUploader().user.id);
    const token = randomUUID();
    const claimed = await this.claimRecord(
      {
        _id: new Types.ObjectId(id),
        owner,
        expiresAt: { $gt: new Date() },
        ...(bodyLength === undefined ? {} : { length: { $gte: offset + bodyLength } }),
      },
      offset,
      token,
    );
    if (!claimed) return this.patchRefused(id, offset, bodyLength);
    const session = await this.startSession(claimed, token, storage);
    const chunks = bodyWithin(body, offset, claimed.length);
    const stored = await this.receive(session, chunks, offset, bodyLength, true);
    return { offset: stored, length: claimed.length, expiresAt: claimed.expiresAt };
  }

  /** Why a PATCH could not claim its upload, in the order tus checks; or a retried last PATCH. */
  private async patchRefused(
    id: string,
    offset: number,
    bodyLength: number | undefined,
  ): Promise<PatchOutcome> {
    // Absent, someone else's or expired: the answer any other request gets.
    const upload = await this.owned(id);
    if (offset !== upload.offset) throw offsetConflict();
    if (offset + (bodyLength ?? 0) > upload.length) throw bodyPastLength(offset, upload.length);
    // The last PATCH again, its answer lost: nothing left to send, the offset is the length.
    if (upload.status === 'completed') {
      return { offset: upload.length, length: upload.length, expiresAt: upload.expiresAt };
    }
    // Another request holds the claim.
    throw offsetConflict();
  }

  /**
   * Seals and stores what `stream` brings from `offset` under the claim `session` holds, and
   * records it; returns the offset durably stored. `wholeParts`: refuse a body that cannot
   * finish the part it starts (a PATCH would store nothing and be sent again for ever).
   */
  private async receive(
    session: WriteSession,
    stream: Readable | AsyncIterable<Buffer>,
    offset: number,
    bodyLength: number | undefined,
    wholeParts: boolean,
  ): Promise<number> {
    const { upload, storage } = session;
    const { chunkSize } = session.header;
    if (upload.nextChunk === 0 && !upload.committed) {
      // Nothing is stored yet, so the part size may still follow what this client sends.
      upload.chunksPerPart = chunksPerPart(storage, upload.length, chunkSize, bodyLength);
    }
    const lastChunk = chunkCount(upload.length, chunkSize) - 1;
    // What this request's body can make whole: a part it cannot finish is not started.
    const bodyEnd = bodyLength === undefined ? upload.length : offset + bodyLength;
    // One chunk's plaintext, filled again for every chunk: the sealer's output never aliases its
    // input and the hash copies what it takes, so a chunk sealed leaves nothing pointing into it;
    // a new megabyte per chunk cost its allocation and the collector's work on it.
    const chunk = Buffer.allocUnsafe(chunkPlainLength(upload.nextChunk, upload.length, chunkSize));
    let pending = chunk;
    let filled = 0;
    let index = upload.nextChunk;
    let failure: Error | undefined;
    const timer = setInterval(() => this.checkpointAside(session), CHECKPOINT_MS);
    try {
      if (wholeParts && partEndOf(session, chunkSize) > bodyEnd) {
        throw patchTooShort(offset, partEndOf(session, chunkSize));
      }
      const sealNext = async () => {
        const last = index === lastChunk;
        session.part ??= this.openPart(session, index);
        await session.part.write(session.sealer.seal(index, last, pending));
        session.hasher?.update(pending);
        session.partPlainBytes += pending.length;
        index += 1;
        if (last || index % upload.chunksPerPart === 0) await this.storePart(session, index, last);
        if (!last) {
          pending = chunk.subarray(0, chunkPlainLength(index, upload.length, chunkSize));
          filled = 0;
        }
      };
      if (upload.length === 0) await sealNext();
      for await (const data of stream as AsyncIterable<Buffer>) {
        let taken = 0;
        while (taken < data.length && upload.status === 'receiving') {
          // The rest of the body cannot make the next part whole: it is read, and dropped.
          if (!session.part && partEndOf(session, chunkSize) > bodyEnd) break;
          const copied = data.copy(pending, filled, taken);
          filled += copied;
          taken += copied;
          if (filled === pending.length) await sealNext();
        }
      }
    } catch (error) {
      failure = error as Error;
    }
    // A part the request did not finish is not stored: the client sends its bytes again.
    session.part?.abandon();
    await session.storing.catch((error: Error) => (failure ??= error));
    clearInterval(timer);
    // A request cut short keeps what it stored: its progress is recorded as the claim goes.
    await this.endWrite(session).catch((error: Error) => (failure ??= error));
    if (failure) throw failure;
    return upload.status === 'receiving' ? session.recorded.offset : upload.offset;
  }

  override getExpiration(): number {
    return this.expiryMs;
  }

  override deleteExpired(): Promise<number> {
    return this.sweeper.sweep();
  }

  /** The caller's upload; someone else's is as absent as a missing one. */
  private async owned(id: string): Promise<UploadRecord> {
    const upload = isValidObjectId(id)
      ? await this.uploads
          .findOne({ _id: id, owner: new Types.ObjectId(currentUploader().user.id) })
          .lean<UploadRecord>()
          .exec()
      : null;
    if (!upload) throw uploadNotFound();
    if (upload.status === 'receiving' && upload.expiresAt.getTime() <= Date.now()) {
      throw uploadExpired();
    }
    return upload;
  }

  /** One writer at a time, on any instance: the claim is a conditional update on the offset. */
  private async claim(
    upload: UploadRecord,
    offset: number,
    storage: ResumableStorage,
  ): Promise<WriteSession> {
    const token = randomUUID();
    const claimed = await this.claimRecord({ _id: upload._id }, offset, token);
    if (!claimed) throw offsetConflict();
    return this.startSession(claimed, token, storage);
  }

  private claimRecord(
    filter: FilterQuery<ResumableUpload>,
    offset: number,
    token: string,
  ): Promise<UploadRecord | null> {
    const now = new Date();
    return this.uploads
      .findOneAndUpdate(
        {
          ...filter,
          status: 'receiving',
          offset,
          $or: [{ claimUntil: { $exists: false } }, { claimUntil: { $lt: now } }],
        },
        { $set: { claimToken: token, claimUntil: new Date(now.getTime() + CLAIM_MS) } },
        { new: true },
      )
      .lean<UploadRecord>()
      .exec();
  }

  private async startSession(
    claimed: UploadRecord,
    token: string,
    storage: ResumableStorage,
  ): Promise<WriteSession> {
    const id = claimed._id.toHexString();
    if (!claimed.encryption) throw new Error(`upload ${id} has no encryption`);
    const hasher =
      claimed.nextChunk === 0 ? createHash('sha256') : this.digests.take(id, claimed.nextChunk);
    const header = claimed.encryption;
    const key = this.pipeline.keyOf(claimed._id);
    let sealer;
    try {
      sealer = await this.encrypted.sealer({
        fileId: id,
        storageKey: key,
        header,
      });
    } catch (error) {
      // The key service is down: the client retries, and must not find its own claim in the way.
      await this.uploads
        .updateOne(
          { _id: claimed._id, claimToken: token },
          { $unset: { claimToken: 1, claimUntil: 1 } },
        )
        .exec()
        .catch(() => undefined);
      throw error;
    }
    return {
      upload: claimed,
      token,
      header,
      hasher,
      sealer,
      target: { uploadId: id, key, state: claimed.storageState ?? {} },
      storage,
      partPlainBytes: 0,
      partFirstChunk: claimed.nextChunk,
      storing: Promise.resolve(),
      recorded: { offset: claimed.offset, nextChunk: claimed.nextChunk, at: Date.now() },
      receipts: [],
      recordedReceipts: 0,
      checkpoints: Promise.resolve(),
      checkpointQueued: false,
    };
  }

  /**
   * Records the latest progress, once the bytes behind it are durable: the record never claims
   * more than storage holds, and after a crash the client resends what was not recorded.
   */
  private checkpoint(session: WriteSession): Promise<void> {
    session.checkpointQueued = true;
    const run = session.checkpoints.then(async () => {
      session.checkpointQueued = false;
      const progress = session.progress;
      if (!progress || progress.nextChunk === session.recorded.nextChunk) return;
      await session.storage.flush(session.target);
      const advanced = await this.uploads
        .updateOne(
          {
            _id: session.upload._id,
            claimToken: session.token,
            nextChunk: session.recorded.nextChunk,
          },
          progressUpdate(session, progress, { claimUntil: new Date(Date.now() + CLAIM_MS) }),
        )
        .exec();
      if (advanced.modifiedCount !== 1) throw offsetConflict();
      this.recorded(session, progress);
    });
    session.checkpoints = run.catch(() => undefined);
    return run;
  }

  /**
   * A checkpoint that the parts do not wait for: receiving and storing go on while it runs (an
   * fsync and a database round trip). Its progress was taken before, so it still never records
   * more than is stored; should it fail, the next part is refused.
   */
  private checkpointAside(session: WriteSession): void {
    if (session.checkpointQueued) return;
    this.checkpoint(session).catch((error: Error) => (session.checkpointFailure ??= error));
  }

  /** The request's last checkpoint and the end of its claim, in one update. */
  private async endWrite(session: WriteSession): Promise<void> {
    await session.checkpoints;
    const progress = session.progress;
    const pending =
      session.upload.status === 'receiving' &&
      progress !== undefined &&
      progress.nextChunk !== session.recorded.nextChunk;
    if (pending) await session.storage.flush(session.target);
    const ended = await this.uploads
      .updateOne(
        {
          _id: session.upload._id,
          claimToken: session.token,
          ...(pending ? { nextChunk: session.recorded.nextChunk } : {}),
        },
        {
          ...(pending ? progressUpdate(session, progress) : {}),
          $unset: { claimToken: 1, claimUntil: 1 },
        },
      )
      .exec();
    if (pending) {
      if (ended.modifiedCount !== 1) throw offsetConflict();
      this.recorded(session, progress);
    }
  }

  /** The record holds `progress` now: a request continuing from it here may take its hash. */
  private recorded(session: WriteSession, progress: NonNullable<WriteSession['progress']>): void {
    session.recorded = { offset: progress.offset, nextChunk: progress.nextChunk, at: Date.now() };
    session.recordedReceipts = progress.receipts;
    if (progress.hash) {
      this.digests.keep(session.target.uploadId, progress.nextChunk, progress.hash);
    }
  }

  /**
   * Starts storing the part whose first chunk is `firstChunk`: storage takes its sealed chunks as
   * they are written into it, at most one sealed chunk behind.
   */
  private openPart(session: WriteSession, firstChunk: number): StreamedPart {
    if (session.checkpointFailure) throw session.checkpointFailure;
    const { upload, header, storage, target } = session;
    const storedEnd = storedSize(upload.length, header.chunkSize);
    const position = sealedChunkStart(firstChunk, header.chunkSize);
    const end = Math.min(
      storedEnd,
      sealedChunkStart(firstChunk + upload.chunksPerPart, header.chunkSize),
    );
    const placement = {
      number: Math.floor(firstChunk / upload.chunksPerPart) + 1,
      position,
      length: end - position,
    };
    const store = upload.committed
      ? // The parts are already the object (a completion retried): the bytes only go through.
        async (body: Readable) => {
          body.resume();
          await finished(body);
          return '';
        }
      : (body: Readable) => storage.writePart(target, placement, body);
    return new StreamedPart(store, sealedChunkStart(1, header.chunkSize));
  }

  /**
   * The part being filled is whole (its chunks end before chunk `nextChunk`): once storage confirms
   * it, and the part before it, its progress is noted. Returns once the part before is confirmed,
   * so that the next part streams while this one waits for its receipt; the last part is waited
   * for, and completes the upload.
   */
  private async storePart(session: WriteSession, nextChunk: number, last: boolean): Promise<void> {
    const part = session.part;
    if (!part) throw new Error('no part is being filled');
    part.end();
    const filled = {
      nextChunk,
      plainBytes: session.partPlainBytes,
      // The hash runs ahead as the next part fills: its state at this part's end is taken now.
      hash: last ? undefined : session.hasher?.copy(),
    };
    session.part = undefined;
    session.partPlainBytes = 0;
    session.partFirstChunk = nextChunk;
    const previous = session.storing;
    const stored = Promise.all([part.stored, previous]).then(([receipt]) =>
      this.partStored(session, filled, receipt, last),
    );
    if (last) return stored;
    // Awaited by the next part or at the end of the request; until then, not an unhandled failure.
    stored.catch(() => undefined);
    session.storing = stored;
    await previous;
  }

  /**
   * Notes the progress of a stored part, with its receipt, for the next checkpoint: parts are
   * noted in order, so the progress only ever covers stored bytes.
   */
  private async partStored(
    session: WriteSession,
    part: { nextChunk: number; plainBytes: number; hash?: Hash },
    receipt: string,
    last: boolean,
  ): Promise<void> {
    const { upload } = session;
    this.pipeline.countBytes('tus', part.plainBytes);
    if (last) {
      await session.checkpoints;
      if (session.checkpointFailure) throw session.checkpointFailure;
      return this.complete(session, receipt);
    }
    upload.offset += part.plainBytes;
    upload.nextChunk = part.nextChunk;
    if (session.storage.keepsReceipts) session.receipts.push(receipt);
    session.progress = {
      offset: upload.offset,
      nextChunk: part.nextChunk,
      hash: part.hash,
      receipts: session.receipts.length,
    };
    if (Date.now() - session.recorded.at >= CHECKPOINT_MS) this.checkpointAside(session);
  }

  /**
   * The whole file is stored: its parts are committed to the file's key in one step (a `pending`
   * record first, so nothing shows it and the orphan sweep spares it), read back through the
   * decrypting reader for the type and the virus scan (failing closed), and the file made ready.
   * Infected content removes everything and releases the quota; a scanner outage keeps the
   * upload, whose last PATCH can be sent again.
   */
  private async complete(session: WriteSession, lastReceipt: string): Promise<void> {
    const { upload, header } = session;
    const id = session.target.uploadId;
    const { user, client } = currentUploader();
    const incoming: IncomingUpload = { owner: user, name: upload.name, client, route: 'tus' };
    if (!(await this.files.findReady(upload._id))) {
      const record = await this.pipeline.begin(incoming, { id: upload._id, encryption: header });
      if (!upload.committed) {
        await session.storage.flush(session.target);
        await session.storage.commit(session.target, this.receipts(session, lastReceipt));
        await this.uploads
          .updateOne({ _id: upload._id, claimToken: session.token }, { $set: { committed: true } })
          .exec();
        upload.committed = true;
      }
      let inspected: { contentType: string; sha256?: string };
      try {
        inspected = await this.pipeline.inspectStored(
          incoming,
          { id, storageKey: record.storageKey, size: upload.length, encryption: header },
          { sha256: !session.hasher },
        );
      } catch (error) {
        if (error instanceof UploadInfectedException) {
          await this.pipeline.discard(record);
          await this.sweeper.removeReceiving(upload);
        }
        throw error;
      }
      const sha256 = session.hasher?.digest('hex') ?? inspected.sha256;
      if (!sha256) throw new Error(`upload ${id} completed without a SHA-256`);
      await this.pipeline.finish(
        incoming,
        record,
        { size: upload.length, sha256, contentType: inspected.contentType },
        { quotaReserved: true },
      );
    }
    await this.uploads
      .updateOne(
        { _id: upload._id, claimToken: session.token },
        {
          $set: { status: 'completed', offset: upload.length, nextChunk: upload.nextChunk + 1 },
        },
      )
      .exec();
    this.digests.forget(id);
    upload.offset = upload.length;
    upload.status = 'completed';
  }

  /**
   * Every part's receipt, in order, for the commit: those recorded before the claim, those this
   * request stored (in the record or not yet), the last part's.
   */
  private receipts(session: WriteSession, lastReceipt: string): string[] {
    if (!session.storage.keepsReceipts) return [];
    return [...session.upload.parts, ...session.receipts, lastReceipt];
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

/**
 * The record's update for `progress` (with `alsoSet`): the offset and chunk reached, and the
 * receipts noted since the last checkpoint appended.
 */
function progressUpdate(
  session: WriteSession,
  progress: NonNullable<WriteSession['progress']>,
  alsoSet: Record<string, unknown> = {},
): UpdateQuery<ResumableUpload> {
  const $set = {
    offset: progress.offset,
    nextChunk: progress.nextChunk,
    chunksPerPart: session.upload.chunksPerPart,
    ...alsoSet,
  };
  if (progress.receipts === session.recordedReceipts) return { $set };
  const each = session.receipts.slice(session.recordedReceipts, progress.receipts);
  return { $set, $push: { parts: { $each: each } } };
}

/** Where the part being filled, or the next one, ends in the plaintext. */
function partEndOf(session: WriteSession, chunkSize: number): number {
  const { upload } = session;
  return Math.min(upload.length, (session.partFirstChunk + upload.chunksPerPart) * chunkSize);
}

async function* emptyBody(): AsyncGenerator<Buffer> {}

/**
 * The request body's chunks as they arrive, up to the upload's length (a body without
 * Content-Length is bounded by nothing else). A client gone mid-body is a request cut short, not a
 * fault of ours.
 */
async function* bodyWithin(body: Readable, offset: number, length: number): AsyncGenerator<Buffer> {
  const chunks = arrivingChunks(body);
  let received = 0;
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await chunks.next();
    } catch (error) {
      throw body.destroyed || error instanceof PrematureCloseError ? requestCutShort() : error;
    }
    if (next.done) return;
    received += next.value.length;
    if (offset + received > length) {
      await chunks.return(undefined);
      throw bodyPastLength(offset, length);
    }
    yield next.value;
  }
}
