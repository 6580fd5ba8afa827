import type { KeyProviderName } from '@strongroom/config';

/** What a file record keeps to decrypt its blob; never the data key in the clear. */
export interface EncryptionHeader {
  /** Format of the blob and of the authenticated data; only 1 exists. */
  version: number;
  /** Who wrapped `wrappedKey`: absent on records from before providers existed, which are `local`. */
  keyProvider?: KeyProviderName;
  /** The provider's key id: an ENCRYPTION_KEYS id (local), or the KMS key's ARN (aws-kms). */
  kekId: string;
  /**
   * base64 of the wrapped 32-byte data key: for local, iv (12) | AES-256-GCM ciphertext | tag
   * (16); for aws-kms, KMS's ciphertext blob.
   */
  wrappedKey: string;
  /** base64 of the 8 random bytes that start every chunk's nonce. */
  noncePrefix: string;
  /** Plaintext bytes per chunk; every chunk but the last is full. */
  chunkSize: number;
}

export const FORMAT_VERSION = 1;
/**
 * 1 MiB, as Tink's streaming AEAD segments: each chunk costs a cipher set-up and two writes to
 * storage, and at 64 KiB those doubled an encrypted upload's CPU. The size is per file (in its
 * header), so files stored with other sizes still open. A range read opens at most two chunks
 * more than it returns.
 */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;
export const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;
export const NONCE_PREFIX_BYTES = 8;
/** Chunk sizes a header may claim; anything else is a damaged record, not a setting. */
export const MIN_CHUNK_SIZE = 1024;
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
