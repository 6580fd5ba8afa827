import { constants } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { arrivingChunks } from '@strongroom/common';
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
 * How long a temporary stays open after its last write or flush: a request's parts share one
 * open file instead of a mkdir, an open and a close each (a tenth of the CPU of storing a part).
 */
const IDLE_CLOSE_MS = 1_000;

interface OpenTemporary {
  handle: Promise<FileHandle>;
  users: number;
  idle?: NodeJS.Timeout;
}

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
  /** The parts are positions in one file: commit renames it, and needs no receipt. */
  readonly keepsReceipts = false;

  private readonly opened = new Map<string, OpenTemporary>();

  constructor(private readonly root: string) {}

  begin(): Promise<ResumableState> {
    return Promise.resolve({});
  }

  async writePart(target: ResumableTarget, part: PartPlacement, data: Readable): Promise<string> {
    await this.withTemporary(target.uploadId, async (handle) => {
      let at = part.position;
      // Each sealed piece as it came: `for await` would join (copy) the pieces that waited.
      for await (const buffer of arrivingChunks(data)) {
        let written = 0;
        while (written < buffer.length) {
          const { bytesWritten } = await handle.write(buffer, written, undefined, at + written);
          written += bytesWritten;
        }
        at += buffer.length;
      }
    });
    return '';
  }

  flush(target: ResumableTarget): Promise<void> {
    // Never creates the temporary: one removed meanwhile (an infected upload) stays removed.
    return this.withTemporary(target.uploadId, (handle) => handle.datasync(), false);
  }

  async commit(target: ResumableTarget): Promise<void> {
    const destination = path.join(this.root, ...assertValidStorageKey(target.key));
    await this.close(target.uploadId);
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
    await this.close(target.uploadId);
    await rm(this.temporaryOf(target.uploadId), { force: true }).catch((error: unknown) => {
      throw this.translate(error, target.uploadId);
    });
  }

  /** Runs `work` on the upload's open temporary, opening (and creating) it if need be. */
  private async withTemporary<T>(
    uploadId: string,
    work: (handle: FileHandle) => Promise<T>,
    create = true,
  ): Promise<T> {
    let entry = this.opened.get(uploadId);
    if (!entry) {
      entry = { handle: this.openTemporary(uploadId, create), users: 0 };
      this.opened.set(uploadId, entry);
    }
    const current = entry;
    clearTimeout(current.idle);
    current.users += 1;
    try {
      return await work(await current.handle);
    } catch (error) {
      await this.close(uploadId, current);
      throw this.translate(error, uploadId);
    } finally {
      current.users -= 1;
      if (current.users === 0 && this.opened.get(uploadId) === current) {
        current.idle = setTimeout(() => void this.close(uploadId, current), IDLE_CLOSE_MS);
        current.idle.unref();
      }
    }
  }

  private async openTemporary(uploadId: string, create: boolean): Promise<FileHandle> {
    const file = this.temporaryOf(uploadId);
    const flags = constants.O_WRONLY | (create ? constants.O_CREAT : 0);
    try {
      return await open(file, flags, 0o600);
    } catch (error) {
      if (!create || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      return open(file, flags, 0o600);
    }
  }

  /** Closes the upload's temporary (that one, if given, and only if it is still the open one). */
  private async close(uploadId: string, which?: OpenTemporary): Promise<void> {
    const entry = this.opened.get(uploadId);
    if (!entry || (which && entry !== which)) return;
    this.opened.delete(uploadId);
    clearTimeout(entry.idle);
    const handle = await entry.handle.catch(() => undefined);
    await handle?.close().catch(() => undefined);
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
