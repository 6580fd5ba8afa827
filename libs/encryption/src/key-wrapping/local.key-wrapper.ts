import { randomBytes } from 'node:crypto';
import { DATA_KEY_BYTES } from '../encryption-header';
import type { KeyRing } from '../key-ring';
import type { GeneratedDataKey, KeyWrapper, WrappedKey } from './key-wrapper.port';

/** `local`: the key-encryption keys of ENCRYPTION_KEYS, in this process's memory. */
export class LocalKeyWrapper implements KeyWrapper {
  readonly provider = 'local' as const;

  constructor(private readonly keyRing: KeyRing) {}

  get currentKeyId(): string {
    return this.keyRing.currentId;
  }

  resolveCurrentKeyId(): Promise<string> {
    return Promise.resolve(this.keyRing.currentId);
  }

  generateDataKey(binding: string): Promise<GeneratedDataKey> {
    const dataKey = randomBytes(DATA_KEY_BYTES);
    return Promise.resolve({ dataKey, wrapped: this.sealed(dataKey, binding) });
  }

  wrap(secret: Buffer, binding: string): Promise<WrappedKey> {
    return Promise.resolve(this.sealed(secret, binding));
  }

  async unwrap(wrapped: WrappedKey, binding: string): Promise<Buffer> {
    return Promise.resolve(this.keyRing.unwrap(wrapped, binding));
  }

  checkHealth(): Promise<void> {
    return Promise.resolve();
  }

  private sealed(secret: Buffer, binding: string): WrappedKey {
    return { keyProvider: 'local', ...this.keyRing.wrap(secret, binding) };
  }
}
