import type { KeyProviderName } from '@strongroom/config';

/** A data key (or secret) as a key provider wrapped it, and who can unwrap it. */
export interface WrappedKey {
  /** Absent on records from before providers existed: those are `local`. */
  keyProvider?: KeyProviderName;
  /** The provider's key id: an ENCRYPTION_KEYS id, or a KMS key's ARN. */
  kekId: string;
  /** base64 of what the provider returned. */
  wrappedKey: string;
}

export interface GeneratedDataKey {
  /** The plaintext key; the caller zero-fills it when done. */
  dataKey: Buffer;
  wrapped: WrappedKey;
}

/**
 * Wraps and unwraps data keys under a key-encryption key that the application may never see.
 * `binding` (the record id) is authenticated with the wrapped key: a wrapped key copied onto
 * another record does not unwrap there.
 */
export interface KeyWrapper {
  readonly provider: KeyProviderName;
  /** The key new wraps are made under. */
  readonly currentKeyId: string;
  /** The current key as records store it (a KMS alias resolved to its key's ARN). */
  resolveCurrentKeyId(): Promise<string>;
  /** A fresh random 32-byte data key and its wrapped form. */
  generateDataKey(binding: string): Promise<GeneratedDataKey>;
  /** Wraps a key or secret that already exists (key rotation re-wrapping). */
  wrap(secret: Buffer, binding: string): Promise<WrappedKey>;
  unwrap(wrapped: WrappedKey, binding: string): Promise<Buffer>;
  /** Resolves when the provider can wrap with its current key now; for readiness. */
  checkHealth(): Promise<void>;
  /** Closes connections, at shutdown. */
  destroy?(): void;
}

/** The provider a record's key is wrapped by. */
export function providerOf(wrapped: WrappedKey): KeyProviderName {
  return wrapped.keyProvider ?? 'local';
}
