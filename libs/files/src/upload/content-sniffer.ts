import { filetypeinfo } from 'magic-bytes.js';
import { Transform } from 'node:stream';

/** What the magic-number table needs to recognise every type it knows. */
export const SNIFF_BYTES = 4100;
export const GENERIC_CONTENT_TYPE = 'application/octet-stream';

/**
 * Passes bytes through untouched while keeping a copy of the first few KiB, from which the content
 * type is recognised by its magic numbers; the client's declared type is never trusted. A copy, not
 * a view: the chunks go on to be encrypted, after which the encryption may free them.
 */
export class ContentSniffer extends Transform {
  private readonly head: Buffer[] = [];
  private headLength = 0;

  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null, data?: Buffer) => void,
  ) {
    if (this.headLength < SNIFF_BYTES) {
      const slice = Buffer.from(chunk.subarray(0, SNIFF_BYTES - this.headLength));
      this.head.push(slice);
      this.headLength += slice.length;
    }
    callback(null, chunk);
  }

  contentType(): string {
    const match = filetypeinfo(Buffer.concat(this.head)).find((candidate) => candidate.mime);
    return match?.mime ?? GENERIC_CONTENT_TYPE;
  }
}
