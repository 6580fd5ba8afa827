import { randomBytes } from 'node:crypto';
import { ContentIntegrityError, UnknownEncryptionKeyError } from './encryption.errors';
import { KeyRing } from './key-ring';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const fileId = '665f1c2e8d4b3a0012345678';

describe('KeyRing', () => {
  it('wraps under the first key and unwraps with any listed key', () => {
    const dataKey = randomBytes(32);
    const old = new KeyRing([k1]).wrap(dataKey, fileId);
    expect(old.kekId).toBe('k1');
    const rotated = new KeyRing([k2, k1]);
    expect(rotated.unwrap(old, fileId).equals(dataKey)).toBe(true);
    expect(rotated.wrap(dataKey, fileId).kekId).toBe('k2');
  });

  it('refuses a wrapped key moved to another file, altered, or under a different key value', () => {
    const ring = new KeyRing([k1]);
    const wrapped = ring.wrap(randomBytes(32), fileId);
    expect(() => ring.unwrap(wrapped, '665f1c2e8d4b3a0012345679')).toThrow(ContentIntegrityError);
    const altered = Buffer.from(wrapped.wrappedKey, 'base64');
    altered[20] ^= 1;
    expect(() =>
      ring.unwrap({ ...wrapped, wrappedKey: altered.toString('base64') }, fileId),
    ).toThrow(ContentIntegrityError);
    expect(() => new KeyRing([{ id: 'k1', key: randomBytes(32) }]).unwrap(wrapped, fileId)).toThrow(
      ContentIntegrityError,
    );
  });

  it('names a key id that ENCRYPTION_KEYS no longer lists', () => {
    const wrapped = new KeyRing([k1]).wrap(randomBytes(32), fileId);
    expect(() => new KeyRing([k2]).unwrap(wrapped, fileId)).toThrow(UnknownEncryptionKeyError);
  });
});
