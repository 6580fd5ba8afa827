import { PassThrough } from 'node:stream';
import { arrivingChunks, PrematureCloseError } from './arriving-chunks';

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return chunks;
}

describe('arrivingChunks', () => {
  it('yields the very buffers written, not one copy of several that waited together', async () => {
    const source = new PassThrough();
    const written = [Buffer.alloc(10, 1), Buffer.alloc(20, 2), Buffer.alloc(30, 3)];
    for (const chunk of written) source.write(chunk);
    source.end();
    const chunks = await collect(arrivingChunks(source));
    expect(chunks).toHaveLength(3);
    chunks.forEach((chunk, i) => expect(chunk.buffer).toBe(written[i].buffer));
  });

  it('holds the stream back while the consumer works: at most one chunk waits', async () => {
    const source = new PassThrough({ highWaterMark: 16 });
    const iterator = arrivingChunks(source);
    const first = iterator.next();
    source.write(Buffer.alloc(16));
    await first;
    for (let i = 0; i < 3; i += 1) source.write(Buffer.alloc(16));
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.isPaused()).toBe(true);
    expect(source.writableNeedDrain).toBe(true);
    await iterator.return(undefined);
  });

  it("ends with the stream's error, and with PrematureCloseError for a close before the end", async () => {
    const failing = new PassThrough();
    failing.write(Buffer.from('x'));
    setImmediate(() => failing.destroy(new Error('boom')));
    await expect(collect(arrivingChunks(failing))).rejects.toThrow('boom');

    const cut = new PassThrough();
    setImmediate(() => cut.destroy());
    await expect(collect(arrivingChunks(cut))).rejects.toBeInstanceOf(PrematureCloseError);
  });

  it('leaves the stream paused, with the rest unread, when the consumer stops early', async () => {
    const source = new PassThrough();
    source.write(Buffer.from('a'));
    for await (const chunk of arrivingChunks(source)) {
      expect(chunk.toString()).toBe('a');
      break;
    }
    source.end(Buffer.from('b'));
    expect((await collect(arrivingChunks(source))).map(String)).toEqual(['b']);
  });
});
