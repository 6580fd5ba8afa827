import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { PartBufferPool } from './part-buffer-pool';
import { S3PartWriter } from './s3-part-writer';

/** A stand-in for S3 that records each command and lets the test decide when parts finish. */
class FakeS3 {
  readonly sent: { name: string; input: Record<string, unknown> }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  failPart?: number;

  readonly client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      this.sent.push({ name, input: command.input });
      if (name === 'CreateMultipartUploadCommand') return { UploadId: 'u1' };
      if (name !== 'UploadPartCommand') return {};
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      this.inFlight -= 1;
      if (command.input.PartNumber === this.failPart) throw new Error('part refused');
      return { ETag: `"e${String(command.input.PartNumber)}"` };
    },
  } as unknown as S3Client;

  named(name: string) {
    return this.sent.filter((command) => command.name === name);
  }
}

const target = (s3: FakeS3) => ({
  client: s3.client,
  bucket: 'b',
  key: 'k',
  contentType: 'application/octet-stream',
});

function chunks(total: number, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let sent = 0; sent < total; sent += size) {
        yield Buffer.alloc(Math.min(size, total - sent), sent / size);
      }
    })(),
  );
}

describe('S3PartWriter', () => {
  it('stores a body of one part or less with a single PutObject', async () => {
    const s3 = new FakeS3();
    const pool = new PartBufferPool(64, 3);
    await pipeline(chunks(64, 10), new S3PartWriter(target(s3), pool, 2));
    expect(s3.sent.map((command) => command.name)).toEqual(['PutObjectCommand']);
    expect((s3.sent[0].input.Body as Buffer).length).toBe(64);
    expect(pool.inUse).toBe(0);
  });

  it('cuts a longer body into full parts and a short last one, in order, within its part budget', async () => {
    const s3 = new FakeS3();
    const pool = new PartBufferPool(64, 3);
    await pipeline(chunks(64 * 7 + 5, 48), new S3PartWriter(target(s3), pool, 2));
    const parts = s3.named('UploadPartCommand');
    expect(parts.map((part) => (part.input.Body as Buffer).length)).toEqual([
      64, 64, 64, 64, 64, 64, 64, 5,
    ]);
    expect(s3.maxInFlight).toBeLessThanOrEqual(2);
    const [complete] = s3.named('CompleteMultipartUploadCommand');
    expect(complete.input.MultipartUpload).toEqual({
      Parts: parts.map((_, i) => ({ PartNumber: i + 1, ETag: `"e${i + 1}"` })),
    });
    expect(pool.inUse).toBe(0);
  });

  it('never holds more part buffers than the pool has, however many uploads run at once', async () => {
    const s3 = new FakeS3();
    const pool = new PartBufferPool(64, 3);
    await Promise.all(
      Array.from({ length: 6 }, () =>
        pipeline(chunks(64 * 5, 32), new S3PartWriter(target(s3), pool, 2)),
      ),
    );
    expect(s3.named('UploadPartCommand')).toHaveLength(6 * 5);
    expect(s3.maxInFlight).toBeLessThanOrEqual(3);
    expect(pool.inUse).toBe(0);
  });

  it('frees each chunk once copied into a part when the chunks are its own, and only then', async () => {
    const body = (sent: Buffer[]) =>
      Readable.from(
        (function* () {
          for (let i = 0; i < 10; i++) {
            const chunk = Buffer.alloc(48, i);
            sent.push(chunk);
            yield chunk;
          }
        })(),
      );
    const owned: Buffer[] = [];
    const s3 = new FakeS3();
    await pipeline(body(owned), new S3PartWriter(target(s3), new PartBufferPool(64, 3), 2, true));
    expect(owned.map((chunk) => chunk.length)).toEqual(Array<number>(10).fill(0));
    expect(s3.named('UploadPartCommand')).toHaveLength(8);

    const lent: Buffer[] = [];
    await pipeline(
      body(lent),
      new S3PartWriter(target(new FakeS3()), new PartBufferPool(64, 3), 2),
    );
    expect(lent.map((chunk) => chunk.length)).toEqual(Array<number>(10).fill(48));
  });

  it('aborts the multipart upload when a part fails, and gives its buffers back', async () => {
    const s3 = new FakeS3();
    s3.failPart = 2;
    const pool = new PartBufferPool(64, 3);
    const writer = new S3PartWriter(target(s3), pool, 2);
    await expect(pipeline(chunks(64 * 6, 64), writer)).rejects.toThrow('part refused');
    await writer.settled;
    expect(s3.named('AbortMultipartUploadCommand')).toHaveLength(1);
    expect(s3.named('CompleteMultipartUploadCommand')).toHaveLength(0);
    expect(pool.inUse).toBe(0);
  });

  it('aborts when the source fails half-way', async () => {
    const s3 = new FakeS3();
    const pool = new PartBufferPool(64, 3);
    const source = Readable.from(
      (async function* () {
        yield Buffer.alloc(200);
        await new Promise((resolve) => setTimeout(resolve, 10));
        throw new Error('the client went away');
      })(),
    );
    const writer = new S3PartWriter(target(s3), pool, 2);
    await expect(pipeline(source, writer)).rejects.toThrow('the client went away');
    await writer.settled;
    expect(s3.named('AbortMultipartUploadCommand')).toHaveLength(1);
    expect(pool.inUse).toBe(0);
  });
});
