import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { ContentSniffer, GENERIC_CONTENT_TYPE } from './content-sniffer';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('ContentSniffer', () => {
  it('recognises the type from the first bytes even after the chunks that held them are freed', async () => {
    const chunk = Buffer.alloc(64 * 1024);
    Buffer.from(PNG_SIGNATURE).copy(chunk);
    const sniffer = new ContentSniffer();
    const downstream = new Writable({
      write(piece: Buffer, _encoding, callback) {
        // What the encryption does once a chunk is sealed (releaseBuffer): its memory is gone.
        (piece.buffer as ArrayBuffer & { transfer(length: number): ArrayBuffer }).transfer(0);
        callback();
      },
    });
    await pipeline(Readable.from([chunk]), sniffer, downstream);
    expect(chunk.length).toBe(0);
    expect(sniffer.contentType()).toBe('image/png');
    expect(new ContentSniffer().contentType()).toBe(GENERIC_CONTENT_TYPE);
  });
});
