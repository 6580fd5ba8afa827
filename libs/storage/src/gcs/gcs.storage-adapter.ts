import { randomUUID } from 'node:crypto';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Bucket, Storage } from '@google-cloud/storage';
import type { StorageConfig } from '@strongroom/config';
import type {
  ByteRange,
  ObjectLock,
  StorageProvider,
  StoredObject,
  StoredSize,
  WriteOptions,
} from '../storage.port';
import { StorageUnavailableError } from '../storage.errors';
import { assertValidStorageKey } from '../storage-key';
import { createWriteMeasure } from '../hashing-stream';
import { translateStreamErrors } from '../translate-stream-errors';
import { translateGcsError } from './gcs-errors';
import { GcsResumableStorage } from './gcs.resumable-storage';
import { GcsObjectLock } from './gcs.object-lock';
import type { ResumableStorage } from '../resumable-storage.port';

export type GcsStorageConfig = NonNullable<StorageConfig['gcs']>;

export interface GcsStorageAdapterOptions {
  /** The longest any call may wait for an answer, and the longest an upload may stall. */
  requestTimeoutMs?: number;
}

const HEALTH_PROBE_PREFIX = '.health/';
/** Where temporary objects live; no storage key can start with a dot. */
const TEMP_OBJECT_PREFIXES = ['.tmp/', HEALTH_PROBE_PREFIX];
const CONTENT_TYPE = 'application/octet-stream';
const LIST_PAGE_SIZE = 1000;

/** Stores objects in a Google Cloud Storage bucket; credentials from Google's default chain. */
export class GcsStorageAdapter implements StorageProvider {
  readonly driver = 'gcs' as const;
  private readonly bucket: Bucket;
  private readonly timeoutMs: number;
  /** Legal holds as GCS temporary holds, which every GCS bucket supports. */
  readonly objectLock: ObjectLock;

  constructor(config: GcsStorageConfig, options: GcsStorageAdapterOptions = {}) {
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
    const storage = new Storage({
      projectId: config.projectId,
      apiEndpoint: config.apiEndpoint,
      // Google credentials only ever travel over TLS: a plain-http endpoint is an emulator.
      useAuthWithCustomEndpoint: config.apiEndpoint?.startsWith('https:') ?? false,
      timeout: this.timeoutMs,
      retryOptions: {
        autoRetry: true,
        maxRetries: 2,
        maxRetryDelay: 2,
        totalTimeout: Math.ceil(this.timeoutMs / 1000),
      },
    });
    this.bucket = storage.bucket(config.bucket);
    this.objectLock = new GcsObjectLock(this.bucket);
  }

  /** Resumable uploads in this bucket, as part objects composed at the end. */
  resumable(): ResumableStorage {
    return new GcsResumableStorage(this.bucket);
  }

  write(key: string, body: Readable): Promise<StoredObject>;
  write(key: string, body: Readable, options: WriteOptions): Promise<StoredSize>;
  async write(key: string, body: Readable, options?: WriteOptions): Promise<StoredSize> {
    assertValidStorageKey(key);
    const file = this.bucket.file(key);
    const measure = createWriteMeasure(options);
    // A resumable upload in one streamed request: the object appears only once it completes, and
    // a failure aborts the request. (A simple upload never ends its request when the source
    // fails, leaving a socket open until GCS gives up on it.) An abandoned session expires.
    const sink = file.createWriteStream({
      resumable: true,
      validation: 'crc32c',
      gzip: false,
      contentType: CONTENT_TYPE,
    });
    const written = pipeline(body, measure.stream, sink);
    const stopWatching = this.watchForStall(measure.stream, (error) => sink.destroy(error));
    try {
      await written;
    } catch (error) {
      // Nothing to clean up: a failed session leaves no object, and on a checksum mismatch (found
      // only once the object exists) the client library deletes it itself.
      throw translateGcsError(error);
    } finally {
      stopWatching();
    }
    return measure.result();
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    assertValidStorageKey(key);
    try {
      // The metadata call turns a missing object into an error here rather than mid-stream, and
      // pins the generation so the bytes cannot change under a reader.
      const [metadata] = await this.bucket.file(key).getMetadata();
      const source = this.bucket
        .file(key, { generation: metadata.generation })
        .createReadStream(range ? { start: range.start, end: range.end } : {});
      const output = translateStreamErrors(source, (error) => translateGcsError(error, key));
      // The request starts once the output pulls; waiting for its answer keeps errors out of the stream.
      await new Promise<void>((resolve, reject) => {
        source.once('response', () => resolve());
        output.once('error', reject);
      });
      return output;
    } catch (error) {
      throw translateGcsError(error, key);
    }
  }

  async stat(key: string): Promise<{ size: number }> {
    assertValidStorageKey(key);
    try {
      const [metadata] = await this.bucket.file(key).getMetadata();
      return { size: Number(metadata.size ?? 0) };
    } catch (error) {
      throw translateGcsError(error, key);
    }
  }

  async delete(key: string): Promise<void> {
    assertValidStorageKey(key);
    try {
      await this.bucket.file(key).delete({ ignoreNotFound: true });
    } catch (error) {
      throw translateGcsError(error, key, { deleting: true });
    }
  }

  /** Like the local driver, a prefix names whole key segments: `a` lists `a/…`, never `ab/…`. */
  async *list(prefix: string): AsyncIterable<string> {
    const objectPrefix = prefix === '' ? '' : `${assertValidStorageKey(prefix).join('/')}/`;
    let pageToken: string | undefined;
    do {
      let files, next;
      try {
        [files, next] = await this.bucket.getFiles({
          prefix: objectPrefix,
          autoPaginate: false,
          maxResults: LIST_PAGE_SIZE,
          pageToken,
        });
      } catch (error) {
        throw translateGcsError(error);
      }
      for (const file of files) {
        if (!file.name.startsWith(HEALTH_PROBE_PREFIX)) yield file.name;
      }
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
    } while (pageToken);
  }

  /**
   * Removes old temporary objects. An interrupted resumable upload leaves nothing listable: its
   * session holds the bytes outside the bucket and GCS discards it after a week.
   */
  async sweepTemporaries(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    try {
      for (const prefix of TEMP_OBJECT_PREFIXES) {
        let pageToken: string | undefined;
        do {
          const [files, next] = await this.bucket.getFiles({
            prefix,
            autoPaginate: false,
            maxResults: LIST_PAGE_SIZE,
            pageToken,
          });
          for (const file of files) {
            const created = Date.parse(file.metadata.timeCreated ?? '');
            if (!(created < cutoff)) continue;
            await file.delete({ ignoreNotFound: true });
            removed += 1;
          }
          pageToken = (next as { pageToken?: string } | null)?.pageToken;
        } while (pageToken);
      }
    } catch (error) {
      throw translateGcsError(error);
    }
    return removed;
  }

  async checkHealth(): Promise<void> {
    const probe = this.bucket.file(`${HEALTH_PROBE_PREFIX}${randomUUID()}`);
    try {
      await probe.save('ok', { resumable: false, validation: false, contentType: 'text/plain' });
      await probe.delete({ ignoreNotFound: true });
    } catch (error) {
      throw translateGcsError(error);
    }
  }

  /**
   * Fails an upload whose bytes stop moving while GCS owes us progress: data is waiting for the
   * connection, or the source has ended and the answer is still out. A slow source is not a stall.
   */
  private watchForStall(stream: Transform, fail: (error: Error) => void): () => void {
    let lastProgress = Date.now();
    const progressed = () => {
      lastProgress = Date.now();
    };
    stream.on('data', progressed);
    stream.once('finish', progressed);
    const timer = setInterval(
      () => {
        const waitingOnStorage = stream.readableLength > 0 || stream.writableFinished;
        if (waitingOnStorage && Date.now() - lastProgress > this.timeoutMs) {
          fail(
            new StorageUnavailableError(
              `gcs storage unavailable: the upload stalled for ${this.timeoutMs} ms`,
            ),
          );
        }
      },
      Math.min(1_000, this.timeoutMs),
    );
    timer.unref();
    return () => {
      clearInterval(timer);
      stream.off('data', progressed);
    };
  }
}
