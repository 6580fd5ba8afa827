/** The stored bytes of a file (or its wrapped data key) failed authentication: corrupted or tampered. */
export class ContentIntegrityError extends Error {
  constructor(
    message: string,
    /** The chunk that failed, when one did. */
    readonly chunk?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ContentIntegrityError';
  }
}

/** A file's data key is wrapped under a key id that ENCRYPTION_KEYS no longer lists. */
export class UnknownEncryptionKeyError extends Error {
  constructor(readonly keyId: string) {
    super(
      `the data key is wrapped under key id '${keyId}', which ENCRYPTION_KEYS does not list; put that key back (after the current one)`,
    );
    this.name = 'UnknownEncryptionKeyError';
  }
}
