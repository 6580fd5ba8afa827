import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import {
  type EncryptedFile,
  EncryptedStorage,
  type EncryptionHeader,
} from '@strongroom/encryption';
import {
  type ByteRange,
  STORAGE_PROVIDER,
  type StorageProvider,
  type StoredObject,
} from '@strongroom/storage';

/** What the content store needs of a file record. */
export interface StoredContent {
  id: string;
  storageKey: string;
  size: number;
  encryption?: EncryptionHeader;
}

/**
 * A file's bytes, whatever their form at rest: encrypted (every file stored since encryption
 * exists) or plaintext (files from before, which have no encryption header).
 */
@Injectable()
export class FileContentStore {
  constructor(
    private readonly encrypted: EncryptedStorage,
    @Inject(STORAGE_PROVIDER) private readonly storage: StorageProvider,
  ) {}

  /** The encryption header a new file gets, kept on its record from the start. */
  headerForNewFile(fileId: string): Promise<EncryptionHeader | undefined> {
    return this.encrypted.newHeader(fileId);
  }

  /**
   * Stores the plaintext stream; size and SHA-256 are those of the plaintext. `ownedChunks`: the
   * body's chunks are the store's, to free once encrypted (see EncryptedStorage.write).
   */
  write(
    file: Omit<StoredContent, 'size'>,
    body: Readable,
    options: { ownedChunks?: boolean } = {},
  ): Promise<StoredObject> {
    const encrypted = asEncrypted(file);
    return encrypted
      ? this.encrypted.write(encrypted, body, options)
      : this.storage.write(file.storageKey, body);
  }

  /** The plaintext of a range, or of the whole file. */
  read(file: StoredContent, range?: ByteRange): Promise<Readable> {
    const encrypted = asEncrypted(file);
    return encrypted
      ? this.encrypted.read(encrypted, file.size, range)
      : this.storage.read(file.storageKey, range);
  }
}

/** The record as the cipher sees it, or undefined for a file stored before encryption. */
function asEncrypted(file: Omit<StoredContent, 'size'>): EncryptedFile | undefined {
  return file.encryption
    ? { fileId: file.id, storageKey: file.storageKey, header: file.encryption }
    : undefined;
}
