import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { ChunkSealer } from './chunk-cipher';
import { chunkSpan, storedSize } from './chunk-layout';
import { DecryptStream } from './decrypt-stream';
import { EncryptStream } from './encrypt-stream';
import { ContentIntegrityError } from './encryption.errors';
import { TAG_BYTES } from './encryption-header';

function sealerFor(
  chunkSize: number,
  overrides: Partial<ConstructorParameters<typeof ChunkSealer>[0]> = {},
) {
  return new ChunkSealer({
    dataKey: Buffer.alloc(32, 1),
    noncePrefix: Buffer.alloc(8, 2),
    fileId: '665f1c2e8d4b3a0012345678',
    chunkSize,
    ...overrides,
  });
}

/** Feeds the bytes in pieces of the given sizes (cycled), as a socket would. */
function piecewise(data: Buffer, sizes: number[] = [data.length || 1]): Readable {
  const pieces: Buffer[] = [];
  for (let offset = 0, turn = 0; offset < data.length; turn += 1) {
    const size = Math.max(1, sizes[turn % sizes.length]);
    pieces.push(data.subarray(offset, offset + size));
    offset += size;
  }
  return Readable.from(pieces);
}

/** The bytes in 64 KiB pieces, each its own allocation, as a socket's or a file's reads are. */
function ownPieces(data: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += 64 * 1024) {
    const piece = Buffer.allocUnsafeSlow(Math.min(64 * 1024, data.length - offset));
    data.copy(piece, 0, offset);
    pieces.push(piece);
  }
  return pieces;
}

async function encrypt(sealer: ChunkSealer, plaintext: Buffer, sizes?: number[]): Promise<Buffer> {
  const out = new EncryptStream(sealer);
  const [, stored] = await Promise.all([pipeline(piecewise(plaintext, sizes), out), buffer(out)]);
  return stored;
}

async function decrypt(
  sealer: ChunkSealer,
  stored: Buffer,
  plainSize: number,
  range?: { start: number; end: number },
  sizes?: number[],
): Promise<Buffer> {
  const span = chunkSpan(plainSize, sealer.chunkSize, range);
  const slice = range ? stored.subarray(span.storedRange.start, span.storedRange.end + 1) : stored;
  const out = new DecryptStream(sealer, span, plainSize);
  const [, plaintext] = await Promise.all([pipeline(piecewise(slice, sizes), out), buffer(out)]);
  return plaintext;
}

const pieceSizes = fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 5 });

describe('chunked AES-256-GCM streams', () => {
  it('round-trips any plaintext, fed in any pieces, with the stored size the layout predicts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }),
        fc.uint8Array({ maxLength: 3000 }),
        pieceSizes,
        pieceSizes,
        async (chunkSize, bytes, writeSizes, readSizes) => {
          const sealer = sealerFor(chunkSize);
          const plaintext = Buffer.from(bytes);
          const stored = await encrypt(sealer, plaintext, writeSizes);
          expect(stored.length).toBe(storedSize(plaintext.length, chunkSize));
          const back = await decrypt(sealer, stored, plaintext.length, undefined, readSizes);
          expect(back.equals(plaintext)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives exactly the bytes of any range, across chunk boundaries, reading only its chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 200 }),
        fc.uint8Array({ minLength: 1, maxLength: 2500 }),
        fc.nat(),
        fc.nat(),
        pieceSizes,
        async (chunkSize, bytes, a, b, readSizes) => {
          const sealer = sealerFor(chunkSize);
          const plaintext = Buffer.from(bytes);
          const stored = await encrypt(sealer, plaintext);
          const start = a % plaintext.length;
          const end = start + (b % (plaintext.length - start));
          const got = await decrypt(sealer, stored, plaintext.length, { start, end }, readSizes);
          expect(got.equals(plaintext.subarray(start, end + 1))).toBe(true);
          const span = chunkSpan(plaintext.length, chunkSize, { start, end });
          expect(span.storedRange.end - span.storedRange.start + 1).toBeLessThanOrEqual(
            (span.lastChunk - span.firstChunk + 1) * (chunkSize + TAG_BYTES),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('authenticates an empty file as one empty chunk', async () => {
    const sealer = sealerFor(64);
    const stored = await encrypt(sealer, Buffer.alloc(0));
    expect(stored.length).toBe(TAG_BYTES);
    expect((await decrypt(sealer, stored, 0)).length).toBe(0);
    await expect(decrypt(sealer, Buffer.alloc(0), 0)).rejects.toBeInstanceOf(ContentIntegrityError);
  });

  it('holds back no more than the chunk it is assembling: a small file never costs a whole chunk', async () => {
    const chunkSize = 1024 * 1024;
    const sealer = sealerFor(chunkSize);
    const plaintext = randomBytes(64 * 1024);
    const stored = await encrypt(sealer, plaintext);
    const allocations = jest.spyOn(Buffer, 'allocUnsafe');
    try {
      // As a file stream delivers it: 64 KiB, then the tag.
      expect(await decrypt(sealer, stored, plaintext.length, undefined, [64 * 1024])).toEqual(
        plaintext,
      );
      const largest = Math.max(0, ...allocations.mock.calls.map(([size]) => size));
      expect(largest).toBeLessThanOrEqual(stored.length);
    } finally {
      allocations.mockRestore();
    }
  });

  it('opens chunks that arrive in pieces without putting them together: no chunk-sized buffer, no copy of the ciphertext', async () => {
    const chunkSize = 1024 * 1024;
    const sealer = sealerFor(chunkSize);
    const plaintext = randomBytes(3 * chunkSize + 1000);
    const stored = await encrypt(sealer, plaintext);
    const allocations = jest.spyOn(Buffer, 'allocUnsafe');
    const copies = jest.spyOn(Buffer.prototype, 'copy');
    try {
      // As a socket delivers it: 64 KiB at a time, chunk and tag boundaries anywhere. Taken as
      // 'data' events, as a response takes them (reading joins what is buffered).
      const out = new DecryptStream(
        sealer,
        chunkSpan(plaintext.length, chunkSize),
        plaintext.length,
      );
      const received: Buffer[] = [];
      out.on('data', (piece: Buffer) => received.push(piece));
      await pipeline(piecewise(stored, [64 * 1024]), out);
      expect(Buffer.concat(received).equals(plaintext)).toBe(true);
      const largest = Math.max(0, ...allocations.mock.calls.map(([size]) => size));
      expect(largest).toBeLessThan(chunkSize);
      const copied = copies.mock.results.reduce((sum, result) => sum + Number(result.value), 0);
      expect(copied).toBeLessThanOrEqual(4 * TAG_BYTES);
    } finally {
      allocations.mockRestore();
      copies.mockRestore();
    }
  });

  it('frees each piece of ciphertext once deciphered when the stored stream is its own, and only then', async () => {
    const chunkSize = 256 * 1024;
    const sealer = sealerFor(chunkSize);
    const plaintext = randomBytes(3 * chunkSize + 1000);
    const stored = await encrypt(sealer, plaintext);
    const span = chunkSpan(plaintext.length, chunkSize);
    for (const releaseInput of [true, false]) {
      const pieces = ownPieces(stored);
      const out = new DecryptStream(sealer, span, plaintext.length, { releaseInput });
      const [, opened] = await Promise.all([pipeline(Readable.from(pieces), out), buffer(out)]);
      expect(opened.equals(plaintext)).toBe(true);
      const left = pieces.reduce((sum, piece) => sum + piece.length, 0);
      expect(left).toBe(releaseInput ? 0 : stored.length);
    }
  });

  it('frees each piece of plaintext once sealed when the chunks written are its own, and only then', async () => {
    const chunkSize = 256 * 1024;
    const sealer = sealerFor(chunkSize);
    const plaintext = randomBytes(3 * chunkSize + 1000);
    for (const releasePlaintext of [true, false]) {
      const pieces = ownPieces(plaintext);
      const out = new EncryptStream(sealer, { releasePlaintext });
      const [, stored] = await Promise.all([pipeline(Readable.from(pieces), out), buffer(out)]);
      expect(await decrypt(sealer, stored, plaintext.length)).toEqual(plaintext);
      const left = pieces.reduce((sum, piece) => sum + piece.length, 0);
      expect(left).toBe(releasePlaintext ? 0 : plaintext.length);
    }
  });

  it('seals a small file without a chunk-sized buffer or a copy of what it was given', async () => {
    const sealer = sealerFor(1024 * 1024);
    const plaintext = randomBytes(64 * 1024);
    const allocations = jest.spyOn(Buffer, 'allocUnsafe');
    const copies = jest.spyOn(Buffer.prototype, 'copy');
    try {
      const stored = await encrypt(sealer, plaintext);
      const largest = Math.max(0, ...allocations.mock.calls.map(([size]) => size));
      expect(largest).toBeLessThanOrEqual(stored.length);
      expect(copies).not.toHaveBeenCalled();
      expect(await decrypt(sealer, stored, plaintext.length)).toEqual(plaintext);
    } finally {
      allocations.mockRestore();
      copies.mockRestore();
    }
  });

  describe('detects tampering', () => {
    const chunkSize = 64;
    const plaintext = randomBytes(64 * 5 + 10);
    let stored: Buffer;
    const sealer = sealerFor(chunkSize);
    const sealed = chunkSize + TAG_BYTES;

    beforeAll(async () => {
      stored = await encrypt(sealer, plaintext);
    });

    it('a flipped bit anywhere', async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat(), fc.integer({ min: 0, max: 7 }), async (at, bit) => {
          const damaged = Buffer.from(stored);
          damaged[at % damaged.length] ^= 1 << bit;
          await expect(decrypt(sealer, damaged, plaintext.length)).rejects.toBeInstanceOf(
            ContentIntegrityError,
          );
        }),
        { numRuns: 100 },
      );
    });

    it('a truncated blob, also when cut at a chunk boundary', async () => {
      for (const length of [stored.length - 1, 3 * sealed, sealed, 0]) {
        await expect(
          decrypt(sealer, stored.subarray(0, length), plaintext.length),
        ).rejects.toBeInstanceOf(ContentIntegrityError);
      }
    });

    it('a blob cut to whole chunks and presented as a shorter file (the last-chunk flag)', async () => {
      await expect(decrypt(sealer, stored.subarray(0, 3 * sealed), 3 * chunkSize)).rejects.toThrow(
        /chunk 2 failed authentication/,
      );
    });

    it('appended bytes', async () => {
      await expect(
        decrypt(sealer, Buffer.concat([stored, Buffer.alloc(1)]), plaintext.length),
      ).rejects.toThrow(/longer than its chunks/);
    });

    it('swapped chunks', async () => {
      const reordered = Buffer.concat([
        stored.subarray(sealed, 2 * sealed),
        stored.subarray(0, sealed),
        stored.subarray(2 * sealed),
      ]);
      await expect(decrypt(sealer, reordered, plaintext.length)).rejects.toThrow(
        /chunk 0 failed authentication/,
      );
    });

    it('the wrong data key, nonce prefix or file id', async () => {
      for (const other of [
        sealerFor(chunkSize, { dataKey: Buffer.alloc(32, 9) }),
        sealerFor(chunkSize, { noncePrefix: Buffer.alloc(8, 9) }),
        sealerFor(chunkSize, { fileId: '665f1c2e8d4b3a0012345679' }),
      ]) {
        await expect(decrypt(other, stored, plaintext.length)).rejects.toBeInstanceOf(
          ContentIntegrityError,
        );
      }
    });

    it('delivers nothing of a chunk that fails, only the verified ones before it', async () => {
      const damaged = Buffer.from(stored);
      damaged[2 * sealed + 5] ^= 1;
      const span = chunkSpan(plaintext.length, chunkSize);
      const out = new DecryptStream(sealer, span, plaintext.length);
      const received: Buffer[] = [];
      out.on('data', (piece: Buffer) => received.push(piece));
      await expect(pipeline(Readable.from([damaged]), out)).rejects.toThrow(/chunk 2/);
      expect(Buffer.concat(received).equals(plaintext.subarray(0, 2 * chunkSize))).toBe(true);
    });
  });

  it('the stored bytes contain no run of the plaintext', async () => {
    const plaintext = Buffer.alloc(10_000, 'strongroom ');
    const stored = await encrypt(sealerFor(1024), plaintext);
    expect(stored.includes(plaintext.subarray(0, 16))).toBe(false);
  });
});
