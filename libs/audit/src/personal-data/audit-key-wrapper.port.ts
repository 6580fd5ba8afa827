/** A data key sealed under a key-encryption key, as the key ring stores it. */
export interface WrappedSubjectKey {
  kekId: string;
  wrappedKey: string;
}

/**
 * Seals the per-subject keys of the audit trail's personal data under the instance's
 * key-encryption keys. libs/encryption's key ring provides it (it already depends on this lib, so
 * the port lives here and the provider is found at start-up).
 */
export interface AuditKeyWrapper {
  wrap(key: Buffer, binding: string): WrappedSubjectKey;
  unwrap(wrapped: WrappedSubjectKey, binding: string): Buffer;
}

export const AUDIT_KEY_WRAPPER = Symbol('AUDIT_KEY_WRAPPER');
