import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import {
  type FileHandle,
  lstat,
  mkdir,
  open,
  readdir,
  rename,
  rm,
  stat,
  unlink,
} from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type {
  ByteRange,
  StorageProvider,
  StoredObject,
  StoredSize,
  WriteOptions,
} from '../storage.port';
import {
  StorageError,
  StorageObjectNotFoundError,
  StorageUnavailableError,
} from '../storage.errors';
import { assertValidStorageKey } from '../storage-key';
import { createWriteMeasure } from '../hashing-stream';
import type { ResumableStorage } from '../resumable-storage.port';
import { LocalResumableStorage } from './local.resumable-storage';
import { handOverChunks } from '../handed-over-chunks';
import { RELEASING_FILE_WRITES } from './releasing-file-writes';

const TEMP_PREFIX = '.tmp-';
const HEALTH_PROBE_FOLDER = '.health';

/** Stores objects as files under a root folder: a local disk or an NFS mount. */
export class LocalStorageAdapter implements StorageProvider {
  readonly driver = 'local' as const;

  constructor(private readonly root: string) {}

  /** Fails loudly when the root is missing or read-only, e.g. an NFS mount that did not come up. */
  async verifyRoot(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await this.checkHealth();
  }

  /** Resumable uploads under this root. */
  resumable(): ResumableStorage {
    return new LocalResumableStorage(this.root);
  }

  write(key: string, body: Readable): Promise<StoredObject>;
  write(key: string, body: Readable, options: WriteOptions): Promise<StoredSize>;
  async write(key: string, body: Readable, options?: WriteOptions): Promise<StoredSize> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const temp = path.join(path.dirname(target), `${TEMP_PREFIX}${randomUUID()}`);
    const measure = createWriteMeasure(options);
    try {
      // `flush` fsyncs before close, and pipeline resolves only after close: durable, then visible.
      await pipeline(
        body,
        measure.stream,
        createWriteStream(temp, {
          flags: 'wx',
          mode: 0o600,
          flush: true,
          ...(options?.releaseChunks ? { fs: RELEASING_FILE_WRITES } : {}),
        }),
      );
      await rename(temp, target);
      await this.syncFolder(path.dirname(target));
    } catch (error) {
      await rm(temp, { force: true });
      throw this.translate(error, key);
    }
    return measure.result();
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(key);
    let handle: FileHandle;
    try {
      // Opened here, once: a missing file fails before any response begins, and the stream
      // reads (and closes) this handle instead of checking access and opening it again.
      handle = await open(file, 'r');
    } catch (error) {
      throw this.translate(error, key);
    }
    // Each read is a buffer of its own, which the stream forgets once it is pushed.
    return handOverChunks(
      handle.createReadStream(range ? { start: range.start, end: range.end } : {}),
    );
  }

  async stat(key: string): Promise<{ size: number }> {
    try {
      const info = await stat(this.pathOf(key));
      return { size: info.size };
    } catch (error) {
      throw this.translate(error, key);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw this.translate(error, key);
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    const start = prefix === '' ? this.root : this.pathOf(prefix);
    for await (const file of this.walk(start)) {
      yield path.relative(this.root, file).split(path.sep).join('/');
    }
  }

  async checkHealth(): Promise<void> {
    const probe = path.join(this.root, HEALTH_PROBE_FOLDER, `${randomUUID()}`);
    try {
      await mkdir(path.dirname(probe), { recursive: true });
      await pipeline(Readable.from([Buffer.from('ok')]), createWriteStream(probe, { flags: 'wx' }));
      await unlink(probe);
    } catch (error) {
      await rm(probe, { force: true }).catch(() => undefined);
      throw new StorageUnavailableError(
        `local storage is not writable (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        { cause: error },
      );
    }
  }

  /** Temp files of writes a crash cut short (`.tmp-*`), and health probes it left. */
  async sweepTemporaries(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for await (const file of this.walk(this.root, { hidden: true })) {
      const name = path.basename(file);
      const isProbe = path.dirname(file) === path.join(this.root, HEALTH_PROBE_FOLDER);
      if (!name.startsWith(TEMP_PREFIX) && !isProbe) continue;
      try {
        if ((await lstat(file)).mtimeMs >= cutoff) continue;
        await unlink(file);
        removed += 1;
      } catch (error) {
        // Renamed into place or cleaned up by its writer since the listing.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw this.translate(error, file);
      }
    }
    return removed;
  }

  private pathOf(key: string): string {
    return path.join(this.root, ...assertValidStorageKey(key));
  }

  /** Regular files under the folder; hidden ones (temporaries, probes) only when asked. */
  private async *walk(folder: string, options: { hidden?: boolean } = {}): AsyncIterable<string> {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw this.translate(error, folder);
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') && !options.hidden) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) yield* this.walk(full, options);
      else if (entry.isFile()) yield full;
    }
  }

  /** A rename is durable only once its folder entry is; NFS and some filesystems ignore this. */
  private async syncFolder(folder: string): Promise<void> {
    const handle = await open(folder, 'r');
    try {
      await handle.sync().catch(() => undefined);
    } finally {
      await handle.close();
    }
  }

  private translate(error: unknown, key: string): Error {
    if (error instanceof StorageError) return error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new StorageObjectNotFoundError(key, { cause: error });
    return new StorageUnavailableError(`local storage failed (${code ?? 'error'})`, {
      cause: error,
    });
  }
}
