import { createHash } from 'node:crypto';
import { UploadDigestCache } from './upload-digest.cache';

const sha256 = (...parts: string[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

describe('UploadDigestCache', () => {
  it('gives back a copy of the hash kept at exactly the chunk asked for', () => {
    const cache = new UploadDigestCache();
    cache.keep('a', 2, createHash('sha256').update('first'));
    const taken = cache.take('a', 2);
    expect(taken?.update('second').digest('hex')).toBe(sha256('first', 'second'));
    // The kept hash was not advanced by the one given out: it can be taken again.
    expect(cache.take('a', 2)?.digest('hex')).toBe(sha256('first'));
  });

  it('gives nothing for another chunk, another upload, or after forget', () => {
    const cache = new UploadDigestCache();
    cache.keep('a', 2, createHash('sha256').update('first'));
    expect(cache.take('a', 3)).toBeUndefined();
    expect(cache.take('a', 1)).toBeUndefined();
    expect(cache.take('b', 2)).toBeUndefined();
    cache.forget('a');
    expect(cache.take('a', 2)).toBeUndefined();
  });

  it('forgets the least recently kept upload beyond its bound', () => {
    const cache = new UploadDigestCache();
    for (let i = 0; i <= 10_000; i++) cache.keep(`u${i}`, 1, createHash('sha256'));
    expect(cache.take('u0', 1)).toBeUndefined();
    expect(cache.take('u1', 1)).toBeDefined();
    expect(cache.take('u10000', 1)).toBeDefined();
  });
});
