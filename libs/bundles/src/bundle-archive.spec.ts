import type { Response } from 'express';
import { PassThrough, Readable } from 'node:stream';
import zlib from 'node:zlib';
import { type ArchivedFile, sendZipArchive } from './bundle-archive';

interface TestFile extends ArchivedFile {
  data: Buffer;
}

const file = (name: string, data: Buffer): TestFile => ({
  name,
  data,
  size: data.length,
  uploadedAt: new Date('2026-01-02T03:04:05Z'),
});

/** A response that keeps what it is sent. */
class FakeResponse extends PassThrough {
  readonly headers = new Map<string, string>();
  readonly received: Buffer[] = [];
  constructor() {
    super();
    this.on('data', (chunk: Buffer) => this.received.push(chunk));
    // A ServerResponse destroyed with an error does not emit it (its socket does), as this does.
    this.on('error', () => undefined);
  }
  status(): this {
    return this;
  }
  setHeader(name: string, value: string): void {
    this.headers.set(name.toLowerCase(), value);
  }
}

const send = (res: FakeResponse, files: TestFile[], open: (f: TestFile) => Promise<Readable>) =>
  sendZipArchive(res as unknown as Response, 'all', files, open);

/** Name and CRC-32 of every central directory record. */
function centralDirectory(zip: Buffer): { name: string; crc32: number }[] {
  const records: { name: string; crc32: number }[] = [];
  for (let at = zip.indexOf('PK\x01\x02'); at >= 0;) {
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    records.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      crc32: zip.readUInt32LE(at + 16),
    });
    at = zip.indexOf('PK\x01\x02', at + 46 + nameLength + extra + comment);
  }
  return records;
}

/** A stream of the data in 64 KiB pieces, the way storage gives it. */
const pieces = (data: Buffer) =>
  Readable.from(
    Array.from({ length: Math.ceil(data.length / 65536) }, (_, i) =>
      data.subarray(i * 65536, (i + 1) * 65536),
    ),
  );

describe('sendZipArchive', () => {
  afterEach(() => jest.restoreAllMocks());

  it('checksums every entry with Node’s native CRC-32, and the checksums are right', async () => {
    const native = jest.spyOn(zlib, 'crc32');
    const files = [
      file('a.bin', Buffer.alloc(200_000, 7)),
      file('b.txt', Buffer.from('hello')),
      file('empty', Buffer.alloc(0)),
    ];
    const res = new FakeResponse();
    await expect(send(res, files, (f) => Promise.resolve(pieces(f.data)))).resolves.toBe(true);
    const zip = Buffer.concat(res.received);
    expect(zip.length).toBe(Number(res.headers.get('content-length')));
    // 200 000 bytes come in four pieces; each is checksummed natively, continuing the last.
    expect(native.mock.calls.length).toBeGreaterThanOrEqual(5);
    native.mockRestore();
    expect(centralDirectory(zip)).toEqual(
      files.map((f) => ({ name: f.name, crc32: zlib.crc32(f.data) })),
    );
  });

  it('opens the next entry while the current one streams, and never more than one ahead', async () => {
    const files = [1, 2, 3].map((n) => file(`${n}.bin`, Buffer.alloc(1000, n)));
    const streams = files.map(() => new PassThrough());
    const opened: string[] = [];
    const res = new FakeResponse();
    const done = send(res, files, (f) => {
      opened.push(f.name);
      return Promise.resolve(streams[files.indexOf(f)]);
    });
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    await tick();
    expect(opened).toEqual(['1.bin', '2.bin']);
    streams[0].end(files[0].data);
    for (let i = 0; i < 10 && opened.length < 3; i++) await tick();
    expect(opened).toEqual(['1.bin', '2.bin', '3.bin']);
    streams[1].end(files[1].data);
    streams[2].end(files[2].data);
    await expect(done).resolves.toBe(true);
    expect(centralDirectory(Buffer.concat(res.received)).map((r) => r.name)).toEqual(
      files.map((f) => f.name),
    );
  });

  it('cuts the archive when an entry fails mid-way, and closes the entry opened ahead', async () => {
    const files = [1, 2, 3].map((n) => file(`${n}.bin`, Buffer.alloc(1000, n)));
    const streams = files.map(() => new PassThrough());
    const res = new FakeResponse();
    const done = send(res, files, (f) => Promise.resolve(streams[files.indexOf(f)]));
    streams[0].write(files[0].data.subarray(0, 10));
    await new Promise((resolve) => setImmediate(resolve));
    streams[0].destroy(new Error('chunk 0 failed authentication'));
    await expect(done).rejects.toThrow('chunk 0 failed authentication');
    expect(res.destroyed).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(streams[1].destroyed).toBe(true);
  });

  it('closes the entry being read and the one opened ahead when the client leaves', async () => {
    const files = [1, 2, 3].map((n) => file(`${n}.bin`, Buffer.alloc(1000, n)));
    const streams = files.map(() => new PassThrough());
    const res = new FakeResponse();
    const done = send(res, files, (f) => Promise.resolve(streams[files.indexOf(f)]));
    streams[0].write(files[0].data.subarray(0, 10));
    await new Promise((resolve) => setImmediate(resolve));
    res.destroy();
    await expect(done).resolves.toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(streams[0].destroyed).toBe(true);
    expect(streams[1].destroyed).toBe(true);
  });
});
