import type { Bucket } from '@google-cloud/storage';
import type { Readable } from 'node:stream';
import type {
  PartPlacement,
  ResumableState,
  ResumableStorage,
  ResumableTarget,
} from '../resumable-storage.port';
import { assertValidStorageKey } from '../storage-key';
import { translateGcsError } from './gcs-errors';

/** GCS composes at most this many objects in one request. */
const COMPOSE_LIMIT = 32;
const CONTENT_TYPE = 'application/octet-stream';

/**
 * Resumable uploads on GCS: each part is its own object under `uploads/<id>/` (outside the file
 * keys, so the orphan sweep leaves it alone), written again whole if a part is retried; at commit
 * the parts are composed (in rounds of 32) into the file's key, which appears only with the last
 * compose, and the part objects are removed.
 */
export class GcsResumableStorage implements ResumableStorage {
  readonly minPartBytes = 0;
  readonly maxParts = 100_000;
  readonly keepsReceipts = true;

  constructor(private readonly bucket: Bucket) {}

  begin(): Promise<ResumableState> {
    return Promise.resolve({});
  }

  async writePart(target: ResumableTarget, part: PartPlacement, data: Readable): Promise<string> {
    const key = partKey(target.uploadId, String(part.number));
    try {
      // Whole, then saved: a part object exists only with all its bytes.
      const pieces: Buffer[] = [];
      for await (const piece of data as AsyncIterable<Buffer>) pieces.push(piece);
      await this.bucket
        .file(key)
        .save(Buffer.concat(pieces), { resumable: false, contentType: CONTENT_TYPE });
    } catch (error) {
      throw translateGcsError(error, key);
    }
    return key;
  }

  /** A stored part is durable once its request returns. */
  flush(): Promise<void> {
    return Promise.resolve();
  }

  async commit(target: ResumableTarget, receipts: string[]): Promise<void> {
    assertValidStorageKey(target.key);
    try {
      let sources = receipts;
      for (let round = 1; sources.length > COMPOSE_LIMIT; round += 1) {
        const merged: string[] = [];
        for (let start = 0; start < sources.length; start += COMPOSE_LIMIT) {
          const key = partKey(target.uploadId, `r${round}-${merged.length}`);
          await this.bucket.combine(sources.slice(start, start + COMPOSE_LIMIT), key);
          merged.push(key);
        }
        sources = merged;
      }
      await this.bucket.combine(sources, target.key);
    } catch (error) {
      throw translateGcsError(error, target.key);
    }
    await this.discard(target);
  }

  async discard(target: ResumableTarget): Promise<void> {
    try {
      await this.bucket.deleteFiles({ prefix: `${partKey(target.uploadId, '')}`, force: true });
    } catch (error) {
      throw translateGcsError(error);
    }
  }
}

function partKey(uploadId: string, name: string): string {
  return `uploads/${uploadId}/${name}`;
}
