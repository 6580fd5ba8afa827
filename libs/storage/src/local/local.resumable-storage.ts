import { constants, createReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { ResumableStorage } from '../resumable-storage.port';
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
 * storage root, fsynced before they count, and a rename into place at completion (same root, so
 * the rename is atomic).
 */
export class LocalResumableStorage implements ResumableStorage {
  constructor(private readonly root: string) {}

  async writeAt(uploadId: string, position: number, data: Buffer[]): Promise<void> {
    const file = this.temporaryOf(uploadId);
    try {
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const handle = await open(file, constants.O_WRONLY | constants.O_CREAT, 0o600);
      try {
        let at = position;
        for (const buffer of data) {
          let written = 0;
          while (written < buffer.length) {
            const { bytesWritten } = await handle.write(buffer, written, undefined, at + written);
            written += bytesWritten;
          }
          at += buffer.length;
        }
        await handle.datasync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw this.translate(error, uploadId);
    }
  }

  async readTemporary(uploadId: string): Promise<Readable> {
    const file = this.temporaryOf(uploadId);
    const handle = await open(file, 'r').catch((error: unknown) => {
      throw this.translate(error, uploadId);
    });
    return createReadStream('', { fd: handle.fd, autoClose: true }).on('close', () => {
      void handle.close().catch(() => undefined);
    });
  }

  async commit(uploadId: string, key: string): Promise<void> {
    const target = path.join(this.root, ...assertValidStorageKey(key));
    try {
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      await rename(this.temporaryOf(uploadId), target);
      const folder = await open(path.dirname(target), 'r');
      await folder.sync().catch(() => undefined);
      await folder.close();
    } catch (error) {
      throw this.translate(error, uploadId);
    }
  }

  async discard(uploadId: string): Promise<void> {
    await rm(this.temporaryOf(uploadId), { force: true }).catch((error: unknown) => {
      throw this.translate(error, uploadId);
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
