import { Writable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { PartBufferPool } from './part-buffer-pool';
import { releaseBuffer } from '../release-buffer';

export interface S3PartTarget {
  client: S3Client;
  bucket: string;
  key: string;
  contentType: string;
}

/**
 * The end of an S3 write: bytes are copied once, into part buffers from the process's pool, and
 * each full part is uploaded from its buffer, which goes back to the pool when S3 has it. A part
 * is known to be full but not last only when a further byte arrives, so an object of one part is
 * a plain PutObject, and a multipart upload begins with its first part. At most `partsInFlight`
 * parts upload at once; beyond that, and while the pool has no free buffer, writes wait, which
 * holds back the request the bytes come from. A write that fails or is destroyed aborts the
 * multipart upload; `settled` resolves once that is done.
 *
 * It replaces lib-storage's Upload, whose stream chunker joins incoming chunks with Buffer.concat
 * (a second copy of every part, left for the garbage collector) and keeps the next part's head as
 * a view that pins the whole joined buffer.
 */
export class S3PartWriter extends Writable {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly parts: CompletedPart[] = [];
  private current: Buffer | undefined;
  private filled = 0;
  private partCount = 0;
  private multipart: Promise<string> | undefined;
  private failure: Error | undefined;
  private completed = false;
  private settle!: () => void;
  /** Resolves once the writer has finished or has cleaned up after a failure. */
  readonly settled = new Promise<void>((resolve) => (this.settle = resolve));

  constructor(
    private readonly target: S3PartTarget,
    private readonly pool: PartBufferPool,
    private readonly partsInFlight: number,
    /** Each chunk is the writer's once written: freed as soon as it is copied into a part. */
    private readonly releaseChunks = false,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error) => void) {
    this.fill(chunk).then(() => {
      if (this.releaseChunks) releaseBuffer(chunk);
      callback();
    }, callback);
  }

  override _final(callback: (error?: Error) => void): void {
    this.finish().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const cleanUp = error && !this.completed ? this.abandon() : Promise.resolve();
    void cleanUp.finally(() => {
      this.giveBack();
      this.settle();
      callback(error);
    });
  }

  private async fill(chunk: Buffer): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.current && this.filled === this.current.length) this.sendCurrent();
      if (!this.current) {
        while (this.inFlight.size >= this.partsInFlight) await Promise.race(this.inFlight);
        this.throwIfFailed();
        this.current = await this.pool.acquire();
        this.filled = 0;
      }
      const copied = chunk.copy(this.current, this.filled, offset);
      this.filled += copied;
      offset += copied;
    }
    this.throwIfFailed();
  }

  private async finish(): Promise<void> {
    if (this.partCount === 0) {
      await this.target.client.send(
        new PutObjectCommand({
          Bucket: this.target.bucket,
          Key: this.target.key,
          ContentType: this.target.contentType,
          Body: this.current ? this.current.subarray(0, this.filled) : Buffer.alloc(0),
          ContentLength: this.filled,
        }),
      );
    } else {
      this.sendCurrent();
      await Promise.all(this.inFlight);
      this.throwIfFailed();
      this.parts.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
      await this.target.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.target.bucket,
          Key: this.target.key,
          UploadId: await this.uploadId(),
          MultipartUpload: { Parts: this.parts },
        }),
      );
    }
    this.completed = true;
  }

  /** Uploads the part being filled (it may be the last and short, never empty) and lets it go. */
  private sendCurrent(): void {
    const buffer = this.current;
    if (!buffer) return;
    const length = this.filled;
    this.current = undefined;
    const partNumber = (this.partCount += 1);
    const sending: Promise<void> = this.uploadPart(partNumber, buffer.subarray(0, length))
      .catch((error: unknown) => {
        this.failure ??= error instanceof Error ? error : new Error(String(error));
      })
      .finally(() => {
        this.pool.release(buffer);
        this.inFlight.delete(sending);
      });
    this.inFlight.add(sending);
  }

  private async uploadPart(partNumber: number, body: Buffer): Promise<void> {
    const { ETag } = await this.target.client.send(
      new UploadPartCommand({
        Bucket: this.target.bucket,
        Key: this.target.key,
        UploadId: await this.uploadId(),
        PartNumber: partNumber,
        Body: body,
        ContentLength: body.length,
      }),
    );
    if (!ETag) throw new Error('S3 returned no ETag for a part');
    this.parts.push({ PartNumber: partNumber, ETag });
  }

  private uploadId(): Promise<string> {
    this.multipart ??= this.target.client
      .send(
        new CreateMultipartUploadCommand({
          Bucket: this.target.bucket,
          Key: this.target.key,
          ContentType: this.target.contentType,
        }),
      )
      .then(({ UploadId }) => {
        if (!UploadId) throw new Error('S3 returned no UploadId');
        return UploadId;
      });
    return this.multipart;
  }

  /** Lets the parts on their way settle, then removes the multipart upload and its parts. */
  private async abandon(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    const uploadId = await this.multipart?.catch(() => undefined);
    if (!uploadId) return;
    await this.target.client
      .send(
        new AbortMultipartUploadCommand({
          Bucket: this.target.bucket,
          Key: this.target.key,
          UploadId: uploadId,
        }),
      )
      // The sweeper aborts what is left (sweepTemporaries).
      .catch(() => undefined);
  }

  private giveBack(): void {
    if (this.current) this.pool.release(this.current);
    this.current = undefined;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}
