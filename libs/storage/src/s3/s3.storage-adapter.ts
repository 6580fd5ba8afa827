import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
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
import { translateS3Error } from './s3-errors';
import { S3ResumableStorage } from './s3.resumable-storage';
import { S3ObjectLock } from './s3.object-lock';
import { PartBufferPool } from './part-buffer-pool';
import { s3PartSizing } from './s3-part-sizing';
import { S3PartWriter } from './s3-part-writer';
import { signHeadersOnly } from './s3-unsigned-payload';
import { handOverChunks } from '../handed-over-chunks';
import type { ResumableStorage } from '../resumable-storage.port';

export type S3StorageConfig = NonNullable<StorageConfig['s3']>;

export interface S3StorageAdapterOptions {
  /** Time to open a connection. */
  connectionTimeoutMs?: number;
  /** Time for a response to start, and the longest a connection may sit idle mid-transfer. */
  requestTimeoutMs?: number;
  /** The largest object a write may store (MAX_FILE_SIZE): it sets the part size. */
  maxObjectSize?: number;
}

/** S3_UPLOAD_MEMORY's default, for an adapter made without the setting. */
const DEFAULT_UPLOAD_MEMORY = 32 * 1024 * 1024;
const HEALTH_PROBE_PREFIX = '.health/';
/** Where temporary objects live; no storage key can start with a dot. */
const TEMP_OBJECT_PREFIXES = ['.tmp/', HEALTH_PROBE_PREFIX];
const CONTENT_TYPE = 'application/octet-stream';

/** Stores objects in an S3 bucket (AWS or any S3-compatible server); credentials from the AWS default chain. */
export class S3StorageAdapter implements StorageProvider {
  readonly driver = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly lock?: S3ObjectLock;
  private readonly parts: PartBufferPool;
  private readonly partsInFlight: number;

  constructor(config: S3StorageConfig, options: S3StorageAdapterOptions = {}) {
    const requestTimeout = options.requestTimeoutMs ?? 30_000;
    this.bucket = config.bucket;
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      // The SDK's default aws-chunked trailer checksums are rejected by several S3-compatible servers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      requestHandler: new NodeHttpHandler({
        connectionTimeout: options.connectionTimeoutMs ?? 5_000,
        requestTimeout,
        throwOnRequestTimeout: true,
        socketTimeout: requestTimeout,
      }),
    });
    signHeadersOnly(this.client);
    if (config.objectLock) this.lock = new S3ObjectLock(this.client, this.bucket);
    const sizing = s3PartSizing(
      options.maxObjectSize ?? 0,
      config.uploadMemory ?? DEFAULT_UPLOAD_MEMORY,
    );
    this.parts = new PartBufferPool(sizing.partSize, sizing.poolParts);
    this.partsInFlight = sizing.partsInFlight;
  }

  /** Set with S3_OBJECT_LOCK=true: holds and retention on the objects themselves. */
  get objectLock(): ObjectLock | undefined {
    return this.lock;
  }

  /** Resumable uploads in this bucket, as multipart uploads. */
  resumable(): ResumableStorage {
    return new S3ResumableStorage(this.client, this.bucket);
  }

  write(key: string, body: Readable): Promise<StoredObject>;
  write(key: string, body: Readable, options: WriteOptions): Promise<StoredSize>;
  async write(key: string, body: Readable, options?: WriteOptions): Promise<StoredSize> {
    assertValidStorageKey(key);
    const measure = createWriteMeasure(options);
    const sink = new S3PartWriter(
      { client: this.client, bucket: this.bucket, key, contentType: CONTENT_TYPE },
      this.parts,
      this.partsInFlight,
      options?.releaseChunks === true,
    );
    try {
      await pipeline(body, measure.stream, sink);
    } catch (error) {
      // A rejected write leaves no unfinished multipart upload behind: wait for the abort.
      await sink.settled;
      throw translateS3Error(error);
    }
    return measure.result();
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    assertValidStorageKey(key);
    try {
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      if (!(response.Body instanceof Readable)) {
        throw new StorageUnavailableError('s3 storage unavailable: no body in the response');
      }
      // The body's chunks are the HTTP parser's copies, which nothing reads once they are pushed.
      return handOverChunks(
        translateStreamErrors(response.Body, (error) => translateS3Error(error, key)),
      );
    } catch (error) {
      throw translateS3Error(error, key);
    }
  }

  async stat(key: string): Promise<{ size: number }> {
    assertValidStorageKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      throw translateS3Error(error, key);
    }
  }

  async delete(key: string): Promise<void> {
    assertValidStorageKey(key);
    if (this.lock) return this.lock.deleteEveryVersion(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      throw translateS3Error(error);
    }
  }

  /** Like the local driver, a prefix names whole key segments: `a` lists `a/…`, never `ab/…`. */
  async *list(prefix: string): AsyncIterable<string> {
    const objectPrefix = prefix === '' ? '' : `${assertValidStorageKey(prefix).join('/')}/`;
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: objectPrefix,
            ContinuationToken: token,
          }),
        );
      } catch (error) {
        throw translateS3Error(error);
      }
      for (const object of page.Contents ?? []) {
        if (object.Key && !object.Key.startsWith(HEALTH_PROBE_PREFIX)) yield object.Key;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /**
   * Aborts the multipart uploads started before the cutoff and never completed (their parts are
   * billed and invisible until then), and removes old temporary objects. Bucket-wide: MinIO lists
   * only the uploads it started since its own start this way, and expires older ones itself.
   */
  async sweepTemporaries(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    try {
      let keyMarker: string | undefined;
      let uploadIdMarker: string | undefined;
      do {
        const page = await this.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.bucket,
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
          }),
        );
        for (const upload of page.Uploads ?? []) {
          if (!upload.Key || !upload.UploadId || !upload.Initiated) continue;
          if (upload.Initiated.getTime() >= cutoff) continue;
          await this.client.send(
            new AbortMultipartUploadCommand({
              Bucket: this.bucket,
              Key: upload.Key,
              UploadId: upload.UploadId,
            }),
          );
          removed += 1;
        }
        [keyMarker, uploadIdMarker] = page.IsTruncated
          ? [page.NextKeyMarker, page.NextUploadIdMarker]
          : [undefined, undefined];
      } while (keyMarker);
      for (const prefix of TEMP_OBJECT_PREFIXES) {
        let token: string | undefined;
        do {
          const page = await this.client.send(
            new ListObjectsV2Command({
              Bucket: this.bucket,
              Prefix: prefix,
              ContinuationToken: token,
            }),
          );
          for (const object of page.Contents ?? []) {
            if (!object.Key || (object.LastModified?.getTime() ?? Infinity) >= cutoff) continue;
            await this.client.send(
              new DeleteObjectCommand({ Bucket: this.bucket, Key: object.Key }),
            );
            removed += 1;
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      }
    } catch (error) {
      throw translateS3Error(error);
    }
    return removed;
  }

  async checkHealth(): Promise<void> {
    const probe = `${HEALTH_PROBE_PREFIX}${randomUUID()}`;
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: probe,
          Body: 'ok',
          ContentType: 'text/plain',
        }),
      );
      if (this.lock) await this.lock.deleteEveryVersion(probe);
      else await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: probe }));
    } catch (error) {
      throw translateS3Error(error);
    }
  }
}
