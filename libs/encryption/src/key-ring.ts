import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import type { EncryptionKey } from '@strongroom/config';
import { DATA_KEY_BYTES, TAG_BYTES } from './encryption-header';
import { ContentIntegrityError, UnknownEncryptionKeyError } from './encryption.errors';
import type { WrappedKey } from './key-wrapping/key-wrapper.port';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;

/**
 * The key-encryption keys from ENCRYPTION_KEYS: the first wraps new data keys, the others only
 * unwrap what they wrapped before a rotation. A wrapped key is bound to its file id.
 */
export class KeyRing {
  /**
   * As KeyObjects, made once: given a Buffer, every wrap and unwrap (one per download, one per
   * audit event's subject key) first made a KeyObject of it.
   */
  private readonly keys: ReadonlyMap<string, KeyObject>;
  readonly currentId: string;

  constructor(keys: readonly EncryptionKey[]) {
    if (keys.length === 0) throw new Error('ENCRYPTION_KEYS lists no key');
    this.keys = new Map(keys.map((entry) => [entry.id, createSecretKey(entry.key)]));
    this.currentId = keys[0].id;
  }

  has(kekId: string): boolean {
    return this.keys.has(kekId);
  }

  wrap(dataKey: Buffer, fileId: string): WrappedKey {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.kek(this.currentId), iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(this.bindingOf(fileId));
    const sealed = Buffer.concat([iv, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
    return { kekId: this.currentId, wrappedKey: sealed.toString('base64') };
  }

  unwrap(wrapped: WrappedKey, fileId: string): Buffer {
    const sealed = Buffer.from(wrapped.wrappedKey, 'base64');
    if (sealed.length !== IV_BYTES + DATA_KEY_BYTES + TAG_BYTES) {
      throw new ContentIntegrityError('the wrapped data key has the wrong length');
    }
    const decipher = createDecipheriv(
      ALGORITHM,
      this.kek(wrapped.kekId),
      sealed.subarray(0, IV_BYTES),
      {
        authTagLength: TAG_BYTES,
      },
    );
    decipher.setAAD(this.bindingOf(fileId));
    decipher.setAuthTag(sealed.subarray(IV_BYTES + DATA_KEY_BYTES));
    try {
      return Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES, IV_BYTES + DATA_KEY_BYTES)),
        decipher.final(),
      ]);
    } catch (error) {
      throw new ContentIntegrityError(
        `the data key did not unwrap under key id '${wrapped.kekId}' (wrong key value, or an altered record)`,
        undefined,
        { cause: error },
      );
    }
  }

  private kek(id: string): KeyObject {
    const key = this.keys.get(id);
    if (!key) throw new UnknownEncryptionKeyError(id);
    return key;
  }

  private bindingOf(fileId: string): Buffer {
    return Buffer.from(`strongroom-data-key\u0000${fileId}`, 'utf8');
  }
}
