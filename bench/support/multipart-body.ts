/** A multipart/form-data request body with one file part, streamed, with its exact length. */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

export interface MultipartBody {
  stream: Readable;
  contentType: string;
  /** Bytes of the whole body: framing plus the file. */
  contentLength: number;
}

/** Wraps `file` (exactly `fileSize` bytes) in the framing of a one-part form, as a browser sends it. */
export function multipartFileBody(
  field: string,
  fileName: string,
  file: Readable,
  fileSize: number,
): MultipartBody {
  const boundary = `----strongroom-bench-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="${field}"; filename="${fileName}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    for await (const chunk of file) yield chunk as Buffer;
    yield tail;
  }
  return {
    stream: Readable.from(parts(), { objectMode: false }),
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: head.length + fileSize + tail.length,
  };
}
