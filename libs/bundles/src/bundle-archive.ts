import { create as contentDisposition } from 'content-disposition';
import type { Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { clientWentAway } from '@strongroom/common';
import { releasingAfterSend } from '@strongroom/files';
import { archiveEntryNames } from './archive-entry-names';
import { useNativeCrc32ForZip } from './native-crc32';

useNativeCrc32ForZip();

export interface ArchivedFile {
  name: string;
  size: number;
  uploadedAt: Date;
}

/**
 * Streams files into a ZIP on the response, stored without compression (what is shared is mostly
 * compressed already, and stored entries make the archive's size known in advance, so it gets a
 * Content-Length). yazl writes one entry after another and asks for an entry's stream only when
 * it gets to it; every stream is piped with backpressure, so memory stays flat whatever the sizes.
 * ZIP64 records are written when needed. Resolves true when the whole archive was handed to the
 * client. A HEAD request (Express runs the GET route for it) gets the headers alone: no storage
 * stream is opened, nothing is handed, so the caller counts and audits no download.
 */
export async function sendZipArchive<T extends ArchivedFile>(
  res: Response,
  archiveName: string,
  files: readonly T[],
  open: (file: T) => Promise<Readable>,
): Promise<boolean> {
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  const opener = new ReadAheadOpener(files, open);
  // An entry that fails mid-way must cut the response, never end it as if the ZIP were whole.
  zip.on('error', (error: Error) => output.destroy(error));
  output.once('close', () => opener.discard());
  const names = archiveEntryNames(files.map((file) => file.name));
  files.forEach((file, index) => {
    zip.addReadStreamLazy(
      names[index],
      { size: file.size, compress: false, mtime: file.uploadedAt },
      (callback) => {
        opener.take(index).then(
          (stream) => {
            // yazl pipes an entry without watching it for errors: one failing would stall the ZIP.
            stream.once('error', (error) => output.destroy(error));
            callback(null, stream);
          },
          (error: Error) => callback(error, undefined as never),
        );
      },
    );
  });
  // Every entry's size is given and stored as is, so yazl knows the total before writing a byte.
  const length = await new Promise<number>((resolve) =>
    zip.end(undefined, ((total: number) => resolve(total)) as () => void),
  );

  res.status(200);
  res.setHeader('Content-Type', 'application/zip');
  res.setHeader(
    'Content-Disposition',
    contentDisposition(`${archiveName}.zip`, { type: 'attachment' }),
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Accept-Ranges', 'none');
  if (length >= 0) res.setHeader('Content-Length', String(length));
  if (res.req?.method === 'HEAD') {
    res.end();
    return false;
  }

  let handed = 0;
  output.on('data', (chunk: Buffer) => {
    if (!res.destroyed) handed += chunk.length;
  });
  try {
    // Only the entries' deciphered chunks are freed once sent (handed over one by one): yazl's own
    // headers, and an entry from a driver that keeps its chunks, are left alone.
    await pipeline(output, releasingAfterSend(res, false));
  } catch (error) {
    if (!clientWentAway(error)) throw error;
    return length >= 0 && handed === length;
  }
  return true;
}

/**
 * Opening an entry (unwrapping its data key, opening its blob, verifying its first chunk) waits
 * on the key store and on storage; opening the next entry while the current one streams keeps the
 * response from stalling between entries. Only one entry is opened ahead, and an opened stream
 * holds no more than its first chunk until yazl reads it, so memory stays bounded.
 */
class ReadAheadOpener<T> {
  private readonly opened: Promise<Readable>[] = [];
  private discarded = false;

  constructor(
    private readonly files: readonly T[],
    private readonly open: (file: T) => Promise<Readable>,
  ) {}

  /** Entry `index`'s stream, and the next entry's opening started; entries are taken in order. */
  take(index: number): Promise<Readable> {
    const last = Math.min(index + 1, this.files.length - 1);
    while (this.opened.length <= last) this.start(this.opened.length);
    return this.opened[index];
  }

  /**
   * The archive ended or was cut: the entry being read (when the client left mid-way) and the one
   * opened ahead are closed, so no storage stream outlives the response.
   */
  discard(): void {
    this.discarded = true;
    for (const stream of this.opened.slice(-2)) void stream.then((s) => s.destroy(), ignore);
  }

  private start(index: number): void {
    const stream = this.open(this.files[index]).then((opened) => {
      if (this.discarded) opened.destroy();
      return opened;
    });
    // A failure is reported when its entry is taken; one that is never taken is not an error.
    stream.catch(ignore);
    this.opened.push(stream);
  }
}

const ignore = () => undefined;
