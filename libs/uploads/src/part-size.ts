import { chunkCount, sealedChunkStart } from '@strongroom/encryption';
import type { ResumableStorage } from '@strongroom/storage';

/**
 * The most sealed chunks a part may hold when a PATCH's size chooses more than the driver's
 * minimum: a part is held in memory while it fills and while it is stored.
 */
const MAX_PART_CHUNKS = 16;

/**
 * Whole sealed chunks per stored part: enough for the driver's minimum part size, few enough
 * parts for its maximum; every part but the last the same size. Given the size of the body that
 * stores the first part, the part size that keeps the most of it (the smallest such, up to
 * MAX_PART_CHUNKS): only whole parts are kept, so on S3 a client sending 8 MiB PATCHes into
 * 5 MiB parts would send 3 MiB of every PATCH again, and a client whose PATCHes are all of one
 * size (tus-js-client's `chunkSize`, tuspy's `chunk_size`) has each stored whole.
 */
export function chunksPerPart(
  storage: Pick<ResumableStorage, 'minPartBytes' | 'maxParts'>,
  length: number,
  chunkSize: number,
  bodyBytes?: number,
): number {
  const sealedChunk = sealedChunkStart(1, chunkSize);
  const forMinimum = Math.max(1, Math.ceil(storage.minPartBytes / sealedChunk));
  const forMaximum = Math.ceil(chunkCount(length, chunkSize) / storage.maxParts);
  const least = Math.max(forMinimum, forMaximum);
  const sent = Math.floor((bodyBytes ?? 0) / chunkSize);
  const kept = (chunks: number) => sent - (sent % chunks);
  let best = least;
  for (let chunks = least + 1; chunks <= Math.min(sent, MAX_PART_CHUNKS); chunks += 1) {
    if (kept(chunks) > kept(best)) best = chunks;
  }
  return best;
}
