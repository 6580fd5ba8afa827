import { createReadStream } from 'node:fs';
import { copyFile, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { indexesBuilt } from '@strongroom/common';
import type { Db, IndexDescription } from 'mongodb';
import type { Connection } from 'mongoose';
import {
  APP_CONFIG,
  type AppConfig,
  type GeneratedSecrets,
  parseEncryptionKeys,
} from '@strongroom/config';
import { KeyInventory, KeyRing, type KeyProbe, type UnopenableKey } from '@strongroom/encryption';
import {
  isReservedStorageKey,
  STORAGE_PROVIDER,
  StorageObjectNotFoundError,
  type StorageProvider,
} from '@strongroom/storage';
import type { CollectionEntry, Manifest } from './archive-manifest';
import { type VerifiedArchive, verifyArchive } from './archive-reader';
import { applicationCollections, decodeDocument } from './database-codec';
import { batches, readLines } from './ndjson-file';

/** Present while a restore runs: a crash leaves it behind, so the target is visibly unfinished. */
export const RESTORE_MARKER_COLLECTION = 'restore_in_progress';

const INSERT_BATCH = 500;
const LISTED = 5;

export interface RestoreOptions {
  /** Empty a non-empty target first: drop its collections and delete its blobs. */
  force?: boolean;
  /**
   * The old deployment's development secrets file (DATA_DIR/secrets.json): its keys are checked
   * against the archive instead of this configuration's, and it replaces this data folder's
   * secrets.json once the restore succeeds. Not in production, whose keys are ENCRYPTION_KEYS.
   */
  devSecrets?: string;
}

const SECRETS_FILE = 'secrets.json';

export interface RestoreReport {
  collections: number;
  documents: number;
  blobs: number;
  /** What --force removed first (0 and false without it). */
  droppedCollections: number;
  deletedBlobs: number;
  /** Where the carried development secrets now are (with devSecrets). */
  secretsFile?: string;
}

/** The archive's data keys cannot all be opened with the configured keys; nothing was written. */
export class RestoreKeysMissingError extends Error {
  override readonly name = 'RestoreKeysMissingError';
}

/** The target is not empty and --force was not given; nothing was written. */
export class RestoreTargetNotEmptyError extends Error {
  override readonly name = 'RestoreTargetNotEmptyError';
}

/**
 * Restores an archive into an empty deployment. The archive is verified in full first, and the
 * target checked, before anything is written. While it runs a marker collection says so; if it
 * fails midway, everything it wrote is removed again, so the target is either the archive or
 * empty. A crash (kill -9, power) can skip that clean-up: the marker then makes the target count
 * as non-empty, and `restore --force` starts over.
 */
@Injectable()
export class RestoreService {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(STORAGE_PROVIDER) private readonly storage: StorageProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: KeyInventory,
  ) {}

  async restore(folder: string, options: RestoreOptions = {}): Promise<RestoreReport> {
    const archive = await verifyArchive(folder, this.config.version);
    const { storage } = archive.manifest;
    if (storage.driver !== this.storage.driver) {
      throw new Error(
        `the archive holds ${storage.driver} storage, this deployment uses ${this.storage.driver}; set STORAGE_DRIVER=${storage.driver} to restore it`,
      );
    }
    const carried = options.devSecrets ? await this.readDevSecrets(options.devSecrets) : undefined;
    await this.assertKeysOpen(archive.manifest, carried?.ring);
    if (!storage.blobsIncluded) await this.assertBucketHoldsBlobs(archive);

    // Mongoose builds the models' collections and indexes as the app starts; let it finish first.
    await this.modelsReady();
    const occupied = await this.occupiedCollections();
    const blobs = storage.blobsIncluded ? await this.firstBlobs() : [];
    let dropped = 0;
    let deleted = 0;
    if (occupied.length > 0 || blobs.length > 0) {
      if (!options.force) throw new RestoreTargetNotEmptyError(describeOccupied(occupied, blobs));
      dropped = await this.dropCollections();
      if (storage.blobsIncluded) deleted = await this.deleteBlobs();
    }

    await this.db().collection(RESTORE_MARKER_COLLECTION).insertOne({ startedAt: new Date() });
    try {
      let documents = 0;
      const existing = new Set(await applicationCollections(this.db()));
      for (const entry of archive.manifest.collections) {
        documents += await this.restoreCollection(archive, entry, existing);
      }
      const restoredBlobs = storage.blobsIncluded ? await this.restoreBlobs(archive) : 0;
      for (const entry of archive.manifest.collections) await this.createIndexes(entry);
      const secretsFile = carried ? await this.carrySecrets(carried.file) : undefined;
      await this.db().dropCollection(RESTORE_MARKER_COLLECTION);
      return {
        collections: archive.manifest.collections.length,
        documents,
        blobs: restoredBlobs,
        droppedCollections: dropped,
        deletedBlobs: deleted,
        secretsFile,
      };
    } catch (error) {
      await this.emptyAfterFailure(storage.blobsIncluded);
      throw new Error(
        `restore failed, and what it had written was removed again, so the target is empty: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /**
   * Tries one sealed key of every key id the archive lists with the keys this restore will leave
   * the deployment with; a restore that could not open them would report success and then fail
   * every download's integrity check.
   */
  private async assertKeysOpen(manifest: Manifest, ring?: KeyRing): Promise<void> {
    const probes: KeyProbe[] = (manifest.keys ?? []).map(({ probe, ...key }) => ({
      ...key,
      ...probe,
    }));
    const unopenable = await this.keys.unopenable(probes, ring);
    if (unopenable.length > 0) {
      throw new RestoreKeysMissingError(describeUnopenable(unopenable, ring !== undefined));
    }
  }

  private async readDevSecrets(file: string): Promise<{ file: string; ring: KeyRing }> {
    if (this.config.environment === 'production') {
      throw new Error(
        '--with-dev-secrets is for development data folders; in production supply the old keys in ENCRYPTION_KEYS',
      );
    }
    let secrets: GeneratedSecrets;
    try {
      secrets = JSON.parse(await readFile(file, 'utf8')) as GeneratedSecrets;
      return { file, ring: new KeyRing(parseEncryptionKeys(secrets.encryptionKeys)) };
    } catch (error) {
      throw new Error(
        `--with-dev-secrets ${file}: not a development secrets file (${(error as Error).message}); nothing was restored`,
        { cause: error },
      );
    }
  }

  /** Puts the carried secrets.json in this data folder, keeping the one it replaces beside it. */
  private async carrySecrets(file: string): Promise<string> {
    const target = path.join(this.config.dataDir, SECRETS_FILE);
    if (path.resolve(file) === target) return target;
    await rename(target, `${target}.replaced-${Date.now()}`).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      },
    );
    await copyFile(file, target);
    return target;
  }

  private async restoreCollection(
    archive: VerifiedArchive,
    entry: CollectionEntry,
    existing: ReadonlySet<string>,
  ) {
    // Empty ones too, so that their indexes can be built and the layout is the archive's.
    if (!existing.has(entry.name)) {
      await this.db().createCollection(entry.name);
    }
    const collection = this.db().collection(entry.name);
    let inserted = 0;
    for await (const lines of batches(readLines(archive.pathOf(entry.file)), INSERT_BATCH)) {
      // Straight to the driver: the models' hooks (the audit trail refuses writes) do not apply.
      await collection.insertMany(lines.map(decodeDocument), {
        ordered: true,
        bypassDocumentValidation: true,
      });
      inserted += lines.length;
    }
    return inserted;
  }

  private async restoreBlobs(archive: VerifiedArchive): Promise<number> {
    let count = 0;
    for await (const blob of archive.blobs()) {
      const stored = await this.storage.write(
        blob.key,
        createReadStream(archive.blobPath(blob.key)),
      );
      if (stored.sha256 !== blob.sha256 || stored.size !== blob.size) {
        throw new Error(`blob ${blob.key} changed while it was copied (sha256 ${stored.sha256})`);
      }
      count += 1;
    }
    return count;
  }

  /**
   * The archive's indexes that the models have not already built, one at a time (FerretDB 1.24
   * fails on one createIndexes command that names an index already there among new ones).
   */
  private async createIndexes(entry: CollectionEntry): Promise<void> {
    const collection = this.db().collection(entry.name);
    const existing = new Set(
      ((await collection.listIndexes().toArray()) as { name: string }[]).map((index) => index.name),
    );
    for (const index of entry.indexes) {
      if (!existing.has(index.name)) await collection.createIndexes([index as IndexDescription]);
    }
  }

  /** Object storage is restored by its own versioning; the archive only lists what must be there. */
  private async assertBucketHoldsBlobs(archive: VerifiedArchive): Promise<void> {
    const missing: string[] = [];
    for await (const blob of archive.blobs()) {
      try {
        const { size } = await this.storage.stat(blob.key);
        if (size !== blob.size) missing.push(`${blob.key} (${size} bytes, expected ${blob.size})`);
      } catch (error) {
        if (!(error instanceof StorageObjectNotFoundError)) throw error;
        missing.push(blob.key);
      }
    }
    if (missing.length > 0) {
      throw new Error(
        `the bucket lacks ${missing.length} of the archive's blobs (${missing.slice(0, LISTED).join(', ')}); restore them from the bucket's object versions first (deploy/README.md); nothing was restored`,
      );
    }
  }

  private async occupiedCollections(): Promise<{ name: string; documents: number }[]> {
    const db = this.db();
    const occupied: { name: string; documents: number }[] = [];
    for (const name of await applicationCollections(db)) {
      const documents = await db.collection(name).countDocuments();
      if (documents > 0 || name === RESTORE_MARKER_COLLECTION) occupied.push({ name, documents });
    }
    return occupied;
  }

  private async firstBlobs(): Promise<string[]> {
    const keys: string[] = [];
    for await (const key of this.storage.list('')) {
      if (isReservedStorageKey(key)) continue;
      keys.push(key);
      if (keys.length >= LISTED) break;
    }
    return keys;
  }

  private async dropCollections(): Promise<number> {
    const db = this.db();
    const names = await applicationCollections(db);
    for (const name of names) await db.dropCollection(name);
    return names.length;
  }

  private async deleteBlobs(): Promise<number> {
    let deleted = 0;
    for await (const key of this.storage.list('')) {
      if (isReservedStorageKey(key)) continue;
      await this.storage.delete(key);
      deleted += 1;
    }
    return deleted;
  }

  private async emptyAfterFailure(blobsIncluded: boolean): Promise<void> {
    await this.dropCollections().catch(() => undefined);
    if (blobsIncluded) await this.deleteBlobs().catch(() => undefined);
  }

  private async modelsReady(): Promise<void> {
    await Promise.all(
      this.connection.modelNames().map((name) => indexesBuilt(this.connection.model(name))()),
    );
  }

  private db(): Db {
    const db = this.connection.db;
    if (!db) throw new Error('the database connection is not open');
    return db;
  }
}

function describeOccupied(
  occupied: { name: string; documents: number }[],
  blobs: string[],
): string {
  const parts: string[] = [];
  if (occupied.some((entry) => entry.name === RESTORE_MARKER_COLLECTION)) {
    parts.push('an earlier restore into it did not finish');
  }
  const filled = occupied.filter((entry) => entry.name !== RESTORE_MARKER_COLLECTION);
  if (filled.length > 0) {
    parts.push(
      `the database holds ${filled.map((entry) => `${entry.name} (${entry.documents} documents)`).join(', ')}`,
    );
  }
  if (blobs.length > 0) parts.push(`storage holds blobs (${blobs.join(', ')})`);
  return `the target is not empty: ${parts.join('; ')}. Restore into an empty deployment, or pass --force to drop its collections and delete its blobs first; nothing was restored`;
}

function describeUnopenable(unopenable: UnopenableKey[], fromDevSecrets: boolean): string {
  const listed = unopenable
    .map(
      (key) =>
        `${key.provider}:${key.keyId} (${key.kind}; ${key.problem === 'missing' ? 'not configured' : 'configured with a different value'})`,
    )
    .join(', ');
  const where = fromDevSecrets ? 'the --with-dev-secrets file' : 'this configuration';
  return (
    `the archive's data keys are sealed under key ids ${where} cannot open: ${listed}. ` +
    'Supply the old keys in ENCRYPTION_KEYS (id:base64key, comma-separated, the current key first; the old ids may follow it), ' +
    "or, restoring a development deployment, carry the old data folder's secrets.json into DATA_DIR (or pass --with-dev-secrets <old secrets.json>); " +
    'nothing was restored'
  );
}
