/**
 * Samples the disk a server uses for an upload's temporary state: every file under its folders,
 * by allocated blocks, less the one largest file, which is the upload itself being assembled
 * (a local temporary that becomes the file at completion, not a second copy). What remains is
 * what the server spools beside it: buffered parts, spilled bodies, copies.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const DISK_SAMPLE_INTERVAL_MS = 100;

/** Allocated bytes of every file under the folders, by path. */
function filesUnder(folders: readonly string[]): Map<string, number> {
  const files = new Map<string, number>();
  for (const folder of folders) {
    let entries: string[];
    try {
      entries = readdirSync(folder, { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const file = path.join(folder, entry);
      try {
        const info = statSync(file);
        if (info.isFile()) files.set(file, info.blocks * 512);
      } catch {
        // Renamed or removed between the listing and the stat: it no longer takes room.
      }
    }
  }
  return files;
}

export interface DiskSampler {
  /** Peak bytes added beside the upload itself (the file that grew most) since sampling began. */
  stop(): number;
}

export function sampleTemporaryDisk(
  folders: readonly string[],
  intervalMs = DISK_SAMPLE_INTERVAL_MS,
): DiskSampler {
  const idle = filesUnder(folders);
  let peak = 0;
  const take = () => {
    let grown = 0;
    let largest = 0;
    for (const [file, bytes] of filesUnder(folders)) {
      const growth = Math.max(0, bytes - (idle.get(file) ?? 0));
      grown += growth;
      largest = Math.max(largest, growth);
    }
    peak = Math.max(peak, grown - largest);
  };
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}
