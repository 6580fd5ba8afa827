import fs from 'node:fs';
import { releaseBuffer } from '../release-buffer';

type WriteCallback = (error: NodeJS.ErrnoException | null, written: number) => void;

/**
 * The file system a write stream writes through (`createWriteStream`'s `fs` option) when its chunks
 * are handed over (`WriteOptions.releaseChunks`): each chunk is freed once the file holds all of
 * it, instead of waiting for V8's next full collection. A chunk written only in part is left to
 * the collector: the stream writes the rest from a view of it.
 */
export const RELEASING_FILE_WRITES = {
  open: fs.open,
  close: fs.close,
  fsync: fs.fsync,
  write(
    fd: number,
    buffer: Buffer,
    offset: number,
    length: number,
    position: number | null,
    callback: WriteCallback,
  ): void {
    fs.write(fd, buffer, offset, length, position, (error, written) => {
      if (!error && offset === 0 && written === buffer.length) releaseBuffer(buffer);
      callback(error, written);
    });
  },
  writev(fd: number, buffers: Buffer[], position: number | null, callback: WriteCallback): void {
    fs.writev(fd, buffers, position, (error, written) => {
      const total = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
      if (!error && written === total) buffers.forEach(releaseBuffer);
      callback(error, written);
    });
  },
};
