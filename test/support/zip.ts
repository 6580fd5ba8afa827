import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTempDir } from '@strongroom/testing';

export interface ZipEntry {
  name: string;
  size: number;
  /** 0: stored. */
  compressType: number;
  sha256: string;
}

export interface ZipInspection {
  /** The first entry whose CRC does not match (zipfile's testzip()), or null: all intact. */
  firstBadEntry: string | null;
  entries: ZipEntry[];
}

// Reads entries in chunks: a test archive may hold hundreds of MiB.
const INSPECT = `
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive:
    bad = archive.testzip()
    entries = []
    for info in archive.infolist():
        digest = hashlib.sha256()
        with archive.open(info) as entry:
            for chunk in iter(lambda: entry.read(1 << 20), b''):
                digest.update(chunk)
        entries.append({'name': info.filename, 'size': info.file_size,
                        'compressType': info.compress_type, 'sha256': digest.hexdigest()})
print(json.dumps({'firstBadEntry': bad, 'entries': entries}))
`;

/** Opens a ZIP with Python's own zipfile, an independent reader, and reports what it found. */
export async function inspectZip(file: string): Promise<ZipInspection> {
  const { stdout } = await promisify(execFile)('python3', ['-c', INSPECT, file], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as ZipInspection;
}

/** inspectZip for an archive held in memory (a small test download). */
export async function inspectZipBytes(bytes: Buffer): Promise<ZipInspection> {
  const dir = await createTempDir('zip');
  try {
    const file = path.join(dir.path, 'archive.zip');
    await writeFile(file, bytes);
    return await inspectZip(file);
  } finally {
    await dir.remove();
  }
}
