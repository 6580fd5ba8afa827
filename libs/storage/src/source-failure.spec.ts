import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pipeWatchingSource } from './source-failure';

/** A backend that takes `okChunks` chunks, then fails. */
const backend = (okChunks: number) => {
  let taken = 0;
  return new Writable({
    write(_chunk, _encoding, callback) {
      taken += 1;
      callback(taken > okChunks ? new Error('disk full') : null);
    },
  });
};

/** A source that sends one chunk, then fails the way a broken upload does. */
const breakingSource = () => {
  const source = new Readable({ read: () => undefined });
  source.push(Buffer.from('first'));
  setImmediate(() => source.destroy(new Error('client hung up')));
  return source;
};

describe('pipeWatchingSource', () => {
  it('blames the source when it breaks first', async () => {
    const watched = pipeWatchingSource(breakingSource(), new PassThrough());
    await expect(pipeline(watched.stream, backend(100))).rejects.toThrow('client hung up');
    expect(watched.sourceFailed()).toBe(true);
  });

  it('blames the source when it closes before its end without an error', async () => {
    const source = new Readable({ read: () => undefined });
    source.push(Buffer.from('first'));
    setImmediate(() => source.destroy());
    const watched = pipeWatchingSource(source, new PassThrough());
    await expect(pipeline(watched.stream, backend(100))).rejects.toThrow();
    expect(watched.sourceFailed()).toBe(true);
  });

  it('does not blame the source when the backend fails', async () => {
    // Still open when the backend fails, so the failure destroys it too.
    const source = new Readable({ read: () => undefined });
    for (const chunk of ['a', 'b', 'c']) source.push(Buffer.from(chunk));
    const watched = pipeWatchingSource(source, new PassThrough());
    await expect(pipeline(watched.stream, backend(1))).rejects.toThrow('disk full');
    await new Promise((resolve) => setImmediate(resolve));
    expect(watched.sourceFailed()).toBe(false);
  });

  it('blames nobody when everything goes through', async () => {
    const watched = pipeWatchingSource(Readable.from([Buffer.from('abc')]), new PassThrough());
    await pipeline(watched.stream, backend(100));
    expect(watched.sourceFailed()).toBe(false);
  });
});
