import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DependencyUnavailableError } from '@strongroom/common';
import type { AwsKmsConfig } from '@strongroom/config';
import { DATA_KEY_BYTES } from '../encryption-header';
import { ContentIntegrityError } from '../encryption.errors';
import type { GeneratedDataKey, KeyWrapper, WrappedKey } from './key-wrapper.port';

/** KMS's answer when a ciphertext or its encryption context does not match: not an outage. */
const REFUSED_CIPHERTEXT = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

/**
 * `aws-kms`: data keys come from GenerateDataKey and are opened by Decrypt, both with an
 * encryption context naming the record, which KMS authenticates (and CloudTrail logs). The
 * key-encryption key never leaves KMS. Credentials come from the SDK's standard chain.
 */
export class AwsKmsKeyWrapper implements KeyWrapper {
  readonly provider = 'aws-kms' as const;
  private readonly client: KMSClient;
  private resolvedKeyId: string | undefined;

  constructor(private readonly config: AwsKmsConfig) {
    this.client = new KMSClient({
      region: config.region,
      endpoint: config.endpoint,
      // One retry: a request waiting on a KMS that is down should fail within the timeout, not
      // after the SDK's three attempts with back-off.
      maxAttempts: 2,
      requestHandler: new NodeHttpHandler({
        connectionTimeout: config.timeoutMs,
        requestTimeout: config.timeoutMs,
      }),
    });
  }

  /** As configured (an id, ARN or alias) until the first call tells the key's ARN. */
  get currentKeyId(): string {
    return this.resolvedKeyId ?? this.config.keyId;
  }

  async resolveCurrentKeyId(): Promise<string> {
    if (!this.resolvedKeyId) {
      const described = await this.call(() =>
        this.client.send(new DescribeKeyCommand({ KeyId: this.config.keyId })),
      );
      this.resolvedKeyId = described.KeyMetadata?.Arn ?? this.config.keyId;
    }
    return this.resolvedKeyId;
  }

  async generateDataKey(binding: string): Promise<GeneratedDataKey> {
    const answer = await this.call(() =>
      this.client.send(
        new GenerateDataKeyCommand({
          KeyId: this.config.keyId,
          KeySpec: 'AES_256',
          EncryptionContext: contextOf(binding),
        }),
      ),
    );
    if (!answer.Plaintext || !answer.CiphertextBlob || answer.Plaintext.length !== DATA_KEY_BYTES) {
      throw new DependencyUnavailableError('key service', {
        cause: new Error('GenerateDataKey answered without a 32-byte key'),
      });
    }
    const dataKey = Buffer.from(answer.Plaintext);
    answer.Plaintext.fill(0);
    return { dataKey, wrapped: this.wrapped(answer.KeyId, answer.CiphertextBlob) };
  }

  async wrap(secret: Buffer, binding: string): Promise<WrappedKey> {
    const answer = await this.call(() =>
      this.client.send(
        new EncryptCommand({
          KeyId: this.config.keyId,
          Plaintext: secret,
          EncryptionContext: contextOf(binding),
        }),
      ),
    );
    if (!answer.CiphertextBlob) {
      throw new DependencyUnavailableError('key service', {
        cause: new Error('Encrypt answered without a ciphertext'),
      });
    }
    return this.wrapped(answer.KeyId, answer.CiphertextBlob);
  }

  async unwrap(wrapped: WrappedKey, binding: string): Promise<Buffer> {
    const answer = await this.call(
      () =>
        this.client.send(
          new DecryptCommand({
            KeyId: wrapped.kekId,
            CiphertextBlob: Buffer.from(wrapped.wrappedKey, 'base64'),
            EncryptionContext: contextOf(binding),
          }),
        ),
      wrapped.kekId,
    );
    if (!answer.Plaintext) {
      throw new DependencyUnavailableError('key service', {
        cause: new Error('Decrypt answered without a plaintext'),
      });
    }
    const secret = Buffer.from(answer.Plaintext);
    answer.Plaintext.fill(0);
    return secret;
  }

  async checkHealth(): Promise<void> {
    const described = await this.call(() =>
      this.client.send(new DescribeKeyCommand({ KeyId: this.config.keyId })),
    );
    const state = described.KeyMetadata?.KeyState;
    if (state !== 'Enabled') {
      throw new DependencyUnavailableError('key service', {
        cause: new Error(`the KMS key is ${state ?? 'in an unknown state'}, not Enabled`),
      });
    }
  }

  destroy(): void {
    this.client.destroy();
  }

  private wrapped(keyId: string | undefined, blob: Uint8Array): WrappedKey {
    if (keyId) this.resolvedKeyId ??= keyId;
    return {
      keyProvider: 'aws-kms',
      kekId: keyId ?? this.currentKeyId,
      wrappedKey: Buffer.from(blob).toString('base64'),
    };
  }

  /** Our errors for KMS's: a refused ciphertext is a damaged or moved record, anything else an outage. */
  private async call<T>(send: () => Promise<T>, kekId?: string): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const name = (error as Error).name;
      if (REFUSED_CIPHERTEXT.has(name)) {
        throw new ContentIntegrityError(
          `KMS refused to unwrap the data key under '${kekId ?? this.config.keyId}' (${name}): wrong key, or a record that was altered or moved`,
          undefined,
          { cause: error },
        );
      }
      throw new DependencyUnavailableError('key service', { cause: error });
    }
  }
}

/** KMS authenticates this with the ciphertext; the same binding the local provider puts in its AAD. */
function contextOf(binding: string): Record<string, string> {
  return { purpose: 'strongroom-data-key', record: binding };
}
