import { create as contentDisposition } from 'content-disposition';
import type { Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { archiveEntryNames } from './archive-entry-names';

export interface ArchivedFile {
  name: string;
  size: number;
  uploadedAt: Date;
}

/**
 * Streams files into a ZIP on the response, stored without compression (what is shared is mostly
 * compressed already, and stored entries make the archive's size known in advance, so it gets a
 * Content-Length). yazl writes one entry after another and asks for an entry's stream only when
 * it gets to it, so exactly one storage stream is open at a time; every stream is piped with
 * backpressure, so memory stays flat whatever the sizes. ZIP64 records are written when needed.
 * Resolves true when the whole archive was handed to the client. A HEAD request (Express runs
 * the GET route for it) gets the headers alone: no storage stream is opened, nothing is handed,
 * so the caller counts and audits no download.
 */
export async function sendZipArchive<T extends ArchivedFile>(
  res: Response,
  archiveName: string,
  files: readonly T[],
  open: (file: T) => Promise<Readable>,
): Promise<boolean> {
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  // An entry that fails mid-way must cut the response, never end it as if the ZIP were whole.
  zip.on('error', (error: Error) => output.destroy(error));
  const names = archiveEntryNames(files.map((file) => file.name));
  files.forEach((file, index) => {
    zip.addReadStreamLazy(
      names[index],
      { size: file.size, compress: false, mtime: file.uploadedAt },
      (callback) => {
        open(file).then(
          (stream) => callback(null, stream),
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
  if (res.req.method === 'HEAD') {
    res.end();
    return false;
  }

  let handed = 0;
  output.on('data', (chunk: Buffer) => {
    if (!res.destroyed) handed += chunk.length;
  });
  try {
    await pipeline(output, res);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
    return length >= 0 && handed === length;
  }
  return true;
}
