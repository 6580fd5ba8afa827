import type { Readable } from 'node:stream';

const handedOver = new WeakSet<Readable>();
const handedOverChunks = new WeakSet<Buffer>();

/**
 * Marks a stream whose chunks are fresh buffers that nothing reads once they are emitted (a file
 * read's, an HTTP body's copies, a cipher's output): its consumer may free each one when done with
 * it (`releaseBuffer`). A stream not marked keeps its chunks: the GCS client, for one, hashes a
 * chunk after handing it on, so freeing it there would corrupt the download's checksum.
 */
export function handOverChunks<T extends Readable>(stream: T): T {
  handedOver.add(stream);
  return stream;
}

/** Whether the consumer of `stream` may free its chunks (see handOverChunks). */
export function chunksHandedOver(stream: Readable): boolean {
  return handedOver.has(stream);
}

/**
 * Marks one chunk as handed over on its own, for a stream whose other chunks may not be (a ZIP:
 * the decipher's output between headers, and entries from drivers that keep theirs).
 */
export function handOverChunk(chunk: Buffer): Buffer {
  handedOverChunks.add(chunk);
  return chunk;
}

/** Whether this chunk itself was handed over (see handOverChunk). */
export function chunkHandedOver(chunk: Buffer): boolean {
  return handedOverChunks.has(chunk);
}
