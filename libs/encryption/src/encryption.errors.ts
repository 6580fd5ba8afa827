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

/** A record's key is wrapped by a provider this instance has no settings for. */
export class UnconfiguredKeyProviderError extends Error {
  constructor(readonly provider: string) {
    super(
      provider === 'aws-kms'
        ? "the data key is wrapped by the 'aws-kms' provider, which is not configured; set AWS_KMS_KEY_ID and AWS_KMS_REGION (KEY_PROVIDER may stay local)"
        : `the data key is wrapped by the '${provider}' provider, which this version does not know`,
    );
    this.name = 'UnconfiguredKeyProviderError';
  }
}
