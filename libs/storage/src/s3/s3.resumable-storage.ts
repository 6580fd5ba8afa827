import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type {
  PartPlacement,
  ResumableState,
  ResumableStorage,
  ResumableTarget,
} from '../resumable-storage.port';
import { StorageObjectNotFoundError } from '../storage.errors';
import { assertValidStorageKey } from '../storage-key';
import { translateS3Error } from './s3-errors';

const CONTENT_TYPE = 'application/octet-stream';

/**
 * Resumable uploads as S3 multipart uploads to the final key: each part is uploaded as it comes
 * and its ETag kept in the upload's record (no ListParts), CompleteMultipartUpload makes the whole
 * object appear at once, and AbortMultipartUpload removes the parts of an abandoned one.
 */
export class S3ResumableStorage implements ResumableStorage {
  readonly minPartBytes = 5 * 1024 * 1024;
  readonly maxParts = 10_000;
  readonly keepsReceipts = true;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async begin(_uploadId: string, key: string): Promise<ResumableState> {
    assertValidStorageKey(key);
    try {
      const { UploadId } = await this.client.send(
        new CreateMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          ContentType: CONTENT_TYPE,
        }),
      );
      if (!UploadId) throw new Error('S3 returned no UploadId');
      return { multipartId: UploadId };
    } catch (error) {
      throw translateS3Error(error, key);
    }
  }

  /**
   * The part's bytes go to UploadPart as they arrive (the SDK does not retry a streamed body: a
   * failed part fails its PATCH, and the client sends it again from the offset recorded).
   */
  async writePart(target: ResumableTarget, part: PartPlacement, data: Readable): Promise<string> {
    // A source that fails leaves the request waiting for bytes that never come: abort it.
    const abort = new AbortController();
    const onError = (error: Error) => abort.abort(error);
    data.once('error', onError);
    try {
      const { ETag } = await this.client.send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key: target.key,
          UploadId: target.state.multipartId,
          PartNumber: part.number,
          Body: data,
          ContentLength: part.length,
        }),
        { abortSignal: abort.signal },
      );
      if (!ETag) throw new Error('S3 returned no ETag for a part');
      return ETag;
    } catch (error) {
      throw translateS3Error(abort.signal.aborted ? abort.signal.reason : error, target.key);
    } finally {
      data.off('error', onError);
    }
  }

  /** A stored part is durable once its request returns. */
  flush(): Promise<void> {
    return Promise.resolve();
  }

  async commit(target: ResumableTarget, receipts: string[]): Promise<void> {
    try {
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: target.key,
          UploadId: target.state.multipartId,
          MultipartUpload: {
            Parts: receipts.map((ETag, index) => ({ ETag, PartNumber: index + 1 })),
          },
        }),
      );
    } catch (error) {
      throw translateS3Error(error, target.key);
    }
  }

  async discard(target: ResumableTarget): Promise<void> {
    try {
      await this.client.send(
        new AbortMultipartUploadCommand({
          Bucket: this.bucket,
          Key: target.key,
          UploadId: target.state.multipartId,
        }),
      );
    } catch (error) {
      const translated = translateS3Error(error, target.key);
      if (!(translated instanceof StorageObjectNotFoundError)) throw translated;
    }
  }
}
