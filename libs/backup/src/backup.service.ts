import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Db } from 'mongodb';
import type { Connection } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { KeyInventory } from '@strongroom/encryption';
import {
  createHashingStream,
  STORAGE_PROVIDER,
  StorageObjectNotFoundError,
  type StorageProvider,
} from '@strongroom/storage';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  BLOB_LIST_FILE,
  BLOBS_FOLDER,
  type BlobEntry,
  type CollectionEntry,
  COLLECTIONS_FOLDER,
  type Manifest,
  MANIFEST_FILE,
} from './archive-manifest';
import {
  FAITHFUL_READ,
  applicationCollections,
  decodeDocument,
  encodeDocument,
  indexSpecs,
} from './database-codec';
import { readLines, writeNdjson } from './ndjson-file';

/** The collection whose records name the blobs; see libs/files. */
const FILES_COLLECTION = 'files';

export interface BackupReport {
  folder: string;
  collections: number;
  documents: number;
  blobs: number;
  blobBytes: number;
}

/** A file record as far as the backup cares; every other field is copied without a look. */
interface FileRecord {
  storageKey?: unknown;
  status?: unknown;
  size?: unknown;
  sha256?: unknown;
  encryption?: unknown;
}

/**
 * Writes a self-describing archive folder: every collection as canonical Extended JSON, one
 * document a line, straight from a cursor; the blobs (local driver) or a list of them (S3, GCS);
 * and manifest.json with counts and checksums of it all. The archive is built under a temporary
 * name and renamed at the end, so a crashed backup never looks like a finished one.
 */
@Injectable()
export class BackupService {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(STORAGE_PROVIDER) private readonly storage: StorageProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: KeyInventory,
  ) {}

  async create(outFolder: string): Promise<BackupReport> {
    const target = path.resolve(outFolder);
    await assertUsableTarget(target);
    const work = `${target}.incomplete-${randomBytes(4).toString('hex')}`;
    await mkdir(path.join(work, COLLECTIONS_FOLDER), { recursive: true, mode: 0o700 });
    try {
      // Before the dump: a key id retired by a rotation during it is still listed, never missed.
      const keys = (await this.keys.probes()).map(
        ({ provider, keyId, kind, binding, wrappedKey }) => ({
          provider,
          keyId,
          kind,
          probe: { binding, wrappedKey },
        }),
      );
      const collections = await this.dumpCollections(work);
      const blobsIncluded = this.storage.driver === 'local';
      const blobs = await this.writeBlobs(
        work,
        collections.map((entry) => entry.name),
        blobsIncluded,
      );
      const manifest: Manifest = {
        format: ARCHIVE_FORMAT,
        formatVersion: ARCHIVE_FORMAT_VERSION,
        appVersion: this.config.version,
        createdAt: new Date().toISOString(),
        storage: { driver: this.storage.driver, blobsIncluded },
        collections,
        blobs: { file: BLOB_LIST_FILE, count: blobs.count, sha256: blobs.sha256 },
        keys,
      };
      await writeFile(path.join(work, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, {
        flag: 'wx',
        mode: 0o600,
        flush: true,
      });
      await rmdir(target).catch(() => undefined);
      await rename(work, target);
      return {
        folder: target,
        collections: collections.length,
        documents: collections.reduce((sum, entry) => sum + entry.documents, 0),
        blobs: blobs.count,
        blobBytes: blobs.bytes,
      };
    } catch (error) {
      await rm(work, { recursive: true, force: true });
      throw error;
    }
  }

  private async dumpCollections(work: string): Promise<CollectionEntry[]> {
    const db = this.db();
    const entries: CollectionEntry[] = [];
    for (const name of await applicationCollections(db)) {
      const collection = db.collection(name);
      const file = `${COLLECTIONS_FOLDER}/${name}.ndjson`;
      // _id order: a stable order, and the one the documents were most likely inserted in.
      const cursor = collection.find({}, { ...FAITHFUL_READ, sort: { _id: 1 } });
      const written = await writeNdjson(path.join(work, file), cursor, encodeDocument);
      entries.push({
        name,
        file,
        documents: written.lines,
        sha256: written.sha256,
        indexes: await indexSpecs(collection),
      });
    }
    return entries;
  }

  /**
   * The blobs of the file records just dumped (so the archive is consistent with itself), each
   * listed with size and SHA-256 and, for the local driver, copied as a stream and checked.
   */
  private async writeBlobs(work: string, dumped: string[], copy: boolean) {
    let bytes = 0;
    const listed = async function* (this: BackupService) {
      if (!dumped.includes(FILES_COLLECTION)) return;
      const file = path.join(work, COLLECTIONS_FOLDER, `${FILES_COLLECTION}.ndjson`);
      for await (const line of readLines(file)) {
        const record = decodeDocument(line) as FileRecord;
        if (record.status !== 'ready' || typeof record.storageKey !== 'string') continue;
        const entry = copy ? await this.copyBlob(work, record) : await this.checkBlob(record);
        bytes += entry.size;
        yield entry;
      }
    }.call(this);
    const written = await writeNdjson(path.join(work, BLOB_LIST_FILE), listed, (entry) =>
      JSON.stringify(entry),
    );
    return { count: written.lines, sha256: written.sha256, bytes };
  }

  private async copyBlob(work: string, record: FileRecord): Promise<BlobEntry> {
    const key = record.storageKey as string;
    const file = path.join(work, BLOBS_FOLDER, ...key.split('/'));
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const measure = createHashingStream();
    await pipeline(
      await this.storage.read(key).catch((error: unknown) => {
        if (!(error instanceof StorageObjectNotFoundError)) throw error;
        throw new Error(
          `blob ${key} of a ready file is missing from storage (was the file deleted during the backup?); nothing was backed up: back up again when nothing is deleting`,
          { cause: error },
        );
      }),
      measure.stream,
      createWriteStream(file, { flags: 'wx', mode: 0o600, flush: true }),
    );
    const stored = measure.result();
    // With encryption at rest the record's hash is of the plaintext; only then is it no check.
    if (record.encryption === undefined && stored.sha256 !== plainString(record.sha256)) {
      throw new Error(
        `blob ${key} does not match its file record (sha256 ${stored.sha256}, the record says ${String(record.sha256)}): storage is damaged; nothing was backed up`,
      );
    }
    return { key, ...stored };
  }

  /** Object storage keeps its own copies (versioning, replication); the archive lists them. */
  private async checkBlob(record: FileRecord): Promise<BlobEntry> {
    const key = record.storageKey as string;
    const { size } = await this.storage.stat(key);
    const sha256 = plainString(record.sha256);
    if (!sha256)
      throw new Error(`file record for blob ${key} has no sha256; nothing was backed up`);
    return { key, size, sha256 };
  }

  private db(): Db {
    const db = this.connection.db;
    if (!db) throw new Error('the database connection is not open');
    return db;
  }
}

/** Strings come back from a faithful read as plain strings; anything else is not a hash. */
function plainString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A fresh or empty folder only: a backup never mixes with other files. */
async function assertUsableTarget(target: string): Promise<void> {
  const entries = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    if (error.code === 'ENOTDIR') throw new Error(`${target} is a file, not a folder`);
    throw error;
  });
  if (entries.length > 0) {
    throw new Error(`${target} is not empty; back up into a new or empty folder`);
  }
}
