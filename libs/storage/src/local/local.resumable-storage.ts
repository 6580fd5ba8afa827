import { constants } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type {
  PartPlacement,
  ResumableState,
  ResumableStorage,
  ResumableTarget,
} from '../resumable-storage.port';
import {
  InvalidStorageKeyError,
  StorageError,
  StorageObjectNotFoundError,
  StorageUnavailableError,
} from '../storage.errors';
import { assertValidStorageKey } from '../storage-key';

/** A dot folder: the adapter's listing skips it, so the orphan sweep never sees an upload in progress. */
const UPLOADS_FOLDER = '.uploads';
const UPLOAD_ID = /^[0-9a-f]{24}$/;

/**
 * Resumable uploads on a local disk or NFS mount: positional writes into `.uploads/<id>` under the
 * storage root, fsynced (flush) before they count, and a rename into place at commit (same root, so the
 * rename is atomic).
 */
export class LocalResumableStorage implements ResumableStorage {
  /**
   * One sealed chunk per part: a PATCH of any size makes progress. (Larger parts would cost fewer
   * fsyncs and database updates, but a client sending less than a part per PATCH would never
   * advance: the part is only kept once whole.)
   */
  readonly minPartBytes = 0;
  readonly maxParts = Number.MAX_SAFE_INTEGER;

  constructor(private readonly root: string) {}

  begin(): Promise<ResumableState> {
    return Promise.resolve({});
  }

  async writePart(target: ResumableTarget, part: PartPlacement, data: Buffer[]): Promise<string> {
    const file = this.temporaryOf(target.uploadId);
    try {
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const handle = await open(file, constants.O_WRONLY | constants.O_CREAT, 0o600);
      try {
        let at = part.position;
        for (const buffer of data) {
          let written = 0;
          while (written < buffer.length) {
            const { bytesWritten } = await handle.write(buffer, written, undefined, at + written);
            written += bytesWritten;
          }
          at += buffer.length;
        }
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw this.translate(error, target.uploadId);
    }
    return '';
  }

  async flush(target: ResumableTarget): Promise<void> {
    try {
      const handle = await open(this.temporaryOf(target.uploadId), 'r+');
      try {
        await handle.datasync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw this.translate(error, target.uploadId);
    }
  }

  async commit(target: ResumableTarget): Promise<void> {
    const destination = path.join(this.root, ...assertValidStorageKey(target.key));
    try {
      await mkdir(path.dirname(destination), { recursive: true, mode: 0o700 });
      await rename(this.temporaryOf(target.uploadId), destination);
      const folder = await open(path.dirname(destination), 'r');
      await folder.sync().catch(() => undefined);
      await folder.close();
    } catch (error) {
      throw this.translate(error, target.uploadId);
    }
  }

  async discard(target: ResumableTarget): Promise<void> {
    await rm(this.temporaryOf(target.uploadId), { force: true }).catch((error: unknown) => {
      throw this.translate(error, target.uploadId);
    });
  }

  private temporaryOf(uploadId: string): string {
    if (!UPLOAD_ID.test(uploadId)) {
      throw new InvalidStorageKeyError(`invalid upload id: ${JSON.stringify(uploadId)}`);
    }
    return path.join(this.root, UPLOADS_FOLDER, uploadId);
  }

  private translate(error: unknown, uploadId: string): Error {
    if (error instanceof StorageError) return error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return new StorageObjectNotFoundError(`upload ${uploadId}`, { cause: error });
    }
    return new StorageUnavailableError(`local storage failed (${code ?? 'error'})`, {
      cause: error,
    });
  }
}
