import { z } from 'zod';

/** Bumped whenever the archive layout changes; a restore refuses archives newer than it knows. */
export const ARCHIVE_FORMAT = 'strongroom-backup';
/** 2: the manifest lists the key ids that sealed the archive's data keys (`keys`). */
export const ARCHIVE_FORMAT_VERSION = 2;

export const MANIFEST_FILE = 'manifest.json';
export const BLOB_LIST_FILE = 'blobs.ndjson';
export const COLLECTIONS_FOLDER = 'collections';
export const BLOBS_FOLDER = 'blobs';

const SHA256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256');
const COUNT = z.number().int().nonnegative();
/** The same shape the storage adapters accept: generated ids joined by `/`, never a path. */
const STORAGE_KEY = z
  .string()
  .max(512)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*(\/[A-Za-z0-9][A-Za-z0-9_-]*)*$/, 'is not a storage key');
const COLLECTION_NAME = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'is not a collection name')
  .refine((name) => !name.startsWith('system.'), 'system collections are not restored');

/** An index as listIndexes reports it, minus the server's bookkeeping (`v`, `ns`). */
const INDEX = z
  .object({ name: z.string().min(1), key: z.record(z.union([z.number(), z.string()])) })
  .passthrough();

const COLLECTION = z
  .object({
    name: COLLECTION_NAME,
    file: z
      .string()
      .regex(/^collections\/[A-Za-z0-9_.-]+\.ndjson$/, 'must be collections/<name>.ndjson'),
    documents: COUNT,
    sha256: SHA256,
    indexes: z.array(INDEX),
  })
  .strict();

/**
 * One key id the archive's sealed records (file data keys, upload keys, TOTP secrets) are under,
 * as a {provider, keyId} pair, with one of those sealed keys to try it on before a restore.
 */
const KEY = z
  .object({
    provider: z.string().regex(/^[a-z0-9-]{1,32}$/, 'is not a key provider name'),
    keyId: z.string().min(1).max(256),
    kind: z.string().max(100),
    probe: z.object({ binding: z.string().max(512), wrappedKey: z.string().max(8192) }).strict(),
  })
  .strict();

export const ManifestSchema = z
  .object({
    format: z.literal(ARCHIVE_FORMAT),
    formatVersion: z.number().int().positive(),
    appVersion: z.string().regex(/^\d+\.\d+\.\d+/, 'must be a version like 1.2.3'),
    createdAt: z.string().datetime(),
    storage: z
      .object({
        driver: z.enum(['local', 's3', 'gcs']),
        /** true: the bytes are in blobs/ (local driver); false: only listed, kept by the bucket. */
        blobsIncluded: z.boolean(),
      })
      .strict(),
    collections: z.array(COLLECTION),
    blobs: z.object({ file: z.literal(BLOB_LIST_FILE), count: COUNT, sha256: SHA256 }).strict(),
    /** Absent from format 1 archives, whose keys a restore cannot check beforehand. */
    keys: z.array(KEY).optional(),
  })
  .strict();

export type Manifest = z.infer<typeof ManifestSchema>;
export type CollectionEntry = Manifest['collections'][number];
export type IndexSpec = z.infer<typeof INDEX>;
export type KeyEntry = z.infer<typeof KEY>;

/** One line of blobs.ndjson. */
export const BlobEntrySchema = z.object({ key: STORAGE_KEY, size: COUNT, sha256: SHA256 }).strict();
export type BlobEntry = z.infer<typeof BlobEntrySchema>;

/** A problem with the archive itself: refused before anything is written. */
export class InvalidArchiveError extends Error {
  override readonly name = 'InvalidArchiveError';
}

/** Every schema problem at once, each naming its field: `collections[2].documnets: unrecognized`. */
export function describeIssues(where: string, error: z.ZodError): string {
  const problems = error.issues.map((issue) => {
    const field = issue.path.reduce<string>(
      (text, part) =>
        typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part,
      '',
    );
    return `${field || '(top level)'}: ${issue.message}`;
  });
  return `${where}: ${problems.join('; ')}`;
}

/** Parses and checks manifest.json's text; throws InvalidArchiveError naming every bad field. */
export function parseManifest(text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InvalidArchiveError(
      `${MANIFEST_FILE} is not valid JSON (a truncated or hand-edited manifest?)`,
    );
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidArchiveError(describeIssues(MANIFEST_FILE, parsed.error));
  const names = parsed.data.collections.map((entry) => entry.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) {
    throw new InvalidArchiveError(`${MANIFEST_FILE}: collection ${repeated} is listed twice`);
  }
  return parsed.data;
}

/** -1, 0 or 1 for two `major.minor.patch` versions (pre-release tags ignored). */
export function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(/[.+-]/).slice(0, 3).map(Number);
  const [left, right] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i += 1) {
    if (left[i] !== right[i]) return left[i] < right[i] ? -1 : 1;
  }
  return 0;
}
