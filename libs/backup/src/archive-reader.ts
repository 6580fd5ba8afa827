import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ARCHIVE_FORMAT_VERSION,
  BLOBS_FOLDER,
  type BlobEntry,
  BlobEntrySchema,
  compareVersions,
  describeIssues,
  InvalidArchiveError,
  type Manifest,
  MANIFEST_FILE,
  parseManifest,
} from './archive-manifest';
import { type MeasuredFile, measureFile, readLines } from './ndjson-file';

/** How many problems an error lists before it says "and N more". */
const LISTED_PROBLEMS = 10;

/** An archive folder whose manifest, collection files, blob list and blobs all check out. */
export class VerifiedArchive {
  constructor(
    readonly folder: string,
    readonly manifest: Manifest,
  ) {}

  pathOf(file: string): string {
    return path.join(this.folder, ...file.split('/'));
  }

  blobPath(key: string): string {
    return path.join(this.folder, BLOBS_FOLDER, ...key.split('/'));
  }

  /** The blob list, one entry at a time (checked line by line when the archive was verified). */
  async *blobs(): AsyncIterable<BlobEntry> {
    for await (const line of readLines(this.pathOf(this.manifest.blobs.file))) {
      yield BlobEntrySchema.parse(JSON.parse(line));
    }
  }
}

/**
 * Reads the whole archive once before anything is restored: the manifest's schema and version,
 * then every listed file's size, line count and SHA-256, so a truncated, edited or incomplete
 * archive is refused with every problem named, and nothing is half-restored.
 */
export async function verifyArchive(folder: string, ourVersion: string): Promise<VerifiedArchive> {
  const root = path.resolve(folder);
  const manifest = parseManifest(await readManifest(root));
  assertNotNewer(manifest, ourVersion);
  const archive = new VerifiedArchive(root, manifest);

  const problems: string[] = [];
  for (const entry of manifest.collections) {
    const measured = await measure(archive.pathOf(entry.file), entry.file, problems);
    if (measured) checkNdjson(entry.file, measured, entry.documents, entry.sha256, problems);
  }
  const blobList = await measure(
    archive.pathOf(manifest.blobs.file),
    manifest.blobs.file,
    problems,
  );
  if (blobList) {
    checkNdjson(
      manifest.blobs.file,
      blobList,
      manifest.blobs.count,
      manifest.blobs.sha256,
      problems,
    );
  }
  if (problems.length === 0) await checkBlobs(archive, problems);
  if (problems.length > 0) {
    const shown = problems.slice(0, LISTED_PROBLEMS);
    const more = problems.length - shown.length;
    throw new InvalidArchiveError(
      `the archive in ${root} is damaged or incomplete; nothing was restored: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
    );
  }
  return archive;
}

async function readManifest(root: string): Promise<string> {
  try {
    return await readFile(path.join(root, MANIFEST_FILE), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new InvalidArchiveError(
        `${root} has no ${MANIFEST_FILE}: it is not a Strongroom backup, or one that never finished (unfinished backups are named *.incomplete-*)`,
      );
    }
    throw error;
  }
}

function assertNotNewer(manifest: Manifest, ourVersion: string): void {
  if (manifest.formatVersion > ARCHIVE_FORMAT_VERSION) {
    throw new InvalidArchiveError(
      `${MANIFEST_FILE}: formatVersion ${manifest.formatVersion} is newer than this Strongroom (${ourVersion}) reads (${ARCHIVE_FORMAT_VERSION}); restore with Strongroom ${manifest.appVersion} or later`,
    );
  }
  if (compareVersions(manifest.appVersion, ourVersion) > 0) {
    throw new InvalidArchiveError(
      `${MANIFEST_FILE}: the archive was made by Strongroom ${manifest.appVersion}, newer than this one (${ourVersion}); restore with ${manifest.appVersion} or later`,
    );
  }
}

async function measure(
  file: string,
  name: string,
  problems: string[],
): Promise<MeasuredFile | undefined> {
  try {
    return await measureFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EISDIR') throw error;
    problems.push(`${name} is missing`);
    return undefined;
  }
}

function checkNdjson(
  name: string,
  measured: MeasuredFile,
  records: number,
  sha256: string,
  problems: string[],
): void {
  if (measured.lines !== records) {
    problems.push(
      `${name} holds ${measured.lines} records, the manifest says ${records}${measured.lines < records ? ' (truncated?)' : ''}`,
    );
  } else if (measured.sha256 !== sha256) {
    problems.push(`${name} does not match its SHA-256 in the manifest (changed or damaged)`);
  }
}

/** Each line of the blob list is well-formed and, when the bytes are in the archive, each blob matches. */
async function checkBlobs(archive: VerifiedArchive, problems: string[]): Promise<void> {
  const listName = archive.manifest.blobs.file;
  let lineNumber = 0;
  for await (const line of readLines(archive.pathOf(listName))) {
    lineNumber += 1;
    const where = `${listName} line ${lineNumber}`;
    let entry: BlobEntry;
    try {
      const parsed = BlobEntrySchema.safeParse(JSON.parse(line));
      if (!parsed.success) {
        problems.push(describeIssues(where, parsed.error));
        continue;
      }
      entry = parsed.data;
    } catch {
      problems.push(`${where} is not JSON`);
      continue;
    }
    if (!archive.manifest.storage.blobsIncluded) continue;
    const name = `${BLOBS_FOLDER}/${entry.key}`;
    const measured = await measure(archive.blobPath(entry.key), name, problems);
    if (!measured) continue;
    if (measured.size !== entry.size) {
      problems.push(`${name} has ${measured.size} bytes, the blob list says ${entry.size}`);
    } else if (measured.sha256 !== entry.sha256) {
      problems.push(`${name} does not match its SHA-256 in the blob list (changed or damaged)`);
    }
  }
}
