import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { pipeline, type Readable } from 'node:stream';
import {
  type ByteRange,
  chunksHandedOver,
  createHashingStream,
  STORAGE_PROVIDER,
  type StorageProvider,
  type StoredObject,
} from '@strongroom/storage';
import { ChunkSealer } from './chunk-cipher';
import { chunkSpan, storedSize } from './chunk-layout';
import { DecryptStream } from './decrypt-stream';
import { EncryptStream } from './encrypt-stream';
import {
  DEFAULT_CHUNK_SIZE,
  type EncryptionHeader,
  FORMAT_VERSION,
  MAX_CHUNK_SIZE,
  MIN_CHUNK_SIZE,
  NONCE_PREFIX_BYTES,
} from './encryption-header';
import { ContentIntegrityError } from './encryption.errors';
import type { KeyWrapper } from './key-wrapping/key-wrapper.port';
import { KEY_WRAPPER } from './key-wrapping/key-wrapping.tokens';

/** A file as the cipher sees it: its id is bound into every chunk and into its wrapped key. */
export interface EncryptedFile {
  fileId: string;
  storageKey: string;
  header: EncryptionHeader;
}

const ignore = () => undefined;

/**
 * Sits between the files service and the storage driver, so that drivers only ever hold
 * ciphertext: one random data key per file, wrapped by the current key-encryption key, and the
 * bytes in AES-256-GCM chunks that a range read can open one by one.
 */
@Injectable()
export class EncryptedStorage {
  constructor(
    @Inject(STORAGE_PROVIDER) private readonly storage: StorageProvider,
    @Inject(KEY_WRAPPER) private readonly keys: KeyWrapper,
  ) {}

  /** A fresh data key for a new file, wrapped; the key itself is not kept. */
  async newHeader(fileId: string): Promise<EncryptionHeader> {
    const { dataKey, wrapped } = await this.keys.generateDataKey(fileId);
    dataKey.fill(0);
    return {
      version: FORMAT_VERSION,
      ...wrapped,
      noncePrefix: randomBytes(NONCE_PREFIX_BYTES).toString('base64'),
      chunkSize: DEFAULT_CHUNK_SIZE,
    };
  }

  /**
   * Encrypts the stream into storage; size and SHA-256 are those of the plaintext. With
   * `ownedChunks`, nothing but this write holds the body's chunks (no tee, no view kept), so
   * each is freed as soon as it is sealed.
   */
  async write(
    file: EncryptedFile,
    body: Readable,
    options: { ownedChunks?: boolean } = {},
  ): Promise<StoredObject> {
    const sealer = await this.sealerFor(file);
    const plaintext = createHashingStream();
    const encrypt = new EncryptStream(sealer, { releasePlaintext: options.ownedChunks });
    const sealed = pipeline(body, plaintext.stream, encrypt, ignore);
    // The plaintext digest is the file's; the ciphertext's would only be a second pass. The
    // sealed chunks are fresh cipher output nothing else holds: the storage may free them.
    const stored = await this.storage.write(file.storageKey, sealed, {
      sha256: false,
      releaseChunks: true,
    });
    const measured = plaintext.result();
    if (stored.size !== storedSize(measured.size, file.header.chunkSize)) {
      throw new Error(
        `storage kept ${stored.size} bytes for ${measured.size} bytes of plaintext; the write was incomplete`,
      );
    }
    return measured;
  }

  /**
   * The plaintext of a range (or of the whole file), reading only the chunks it needs. Resolves
   * once the first chunk has verified, so a blob that is bad from the start fails here, before a
   * response begins; a later bad chunk fails the stream with a ContentIntegrityError.
   */
  async read(file: EncryptedFile, plainSize: number, range?: ByteRange): Promise<Readable> {
    const sealer = await this.sealerFor(file);
    const span = chunkSpan(plainSize, file.header.chunkSize, range);
    const stored = await this.storage.read(file.storageKey, range ? span.storedRange : undefined);
    // Nothing but the decipher reads the stored chunks: each is freed once deciphered, when the
    // driver hands them over. The decipher hands over each plaintext chunk it pushes itself.
    const decrypt = new DecryptStream(sealer, span, plainSize, {
      releaseInput: chunksHandedOver(stored),
    });
    const plaintext = pipeline(stored, decrypt, ignore);
    await firstChunkVerified(plaintext);
    return plaintext;
  }

  /** The chunk cipher of a file, for a writer that seals chunk by chunk (resumable uploads). */
  sealer(file: EncryptedFile): Promise<ChunkSealer> {
    return this.sealerFor(file);
  }

  private async sealerFor(file: EncryptedFile): Promise<ChunkSealer> {
    const { header } = file;
    const noncePrefix = Buffer.from(header.noncePrefix ?? '', 'base64');
    if (
      header.version !== FORMAT_VERSION ||
      !Number.isInteger(header.chunkSize) ||
      header.chunkSize < MIN_CHUNK_SIZE ||
      header.chunkSize > MAX_CHUNK_SIZE ||
      noncePrefix.length !== NONCE_PREFIX_BYTES
    ) {
      throw new ContentIntegrityError('the encryption header of the file record is not valid');
    }
    const dataKey = await this.keys.unwrap(header, file.fileId);
    try {
      return new ChunkSealer({
        dataKey,
        noncePrefix,
        fileId: file.fileId,
        chunkSize: header.chunkSize,
      });
    } finally {
      dataKey.fill(0);
    }
  }
}

/** Waits until the stream has verified data to give (or has ended), or fails. */
function firstChunkVerified(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      stream.off('readable', onReadable);
      stream.off('error', settle);
      if (error) reject(error);
      else resolve();
    };
    const onReadable = () => settle();
    stream.once('readable', onReadable);
    stream.once('error', settle);
  });
}
