import { randomBytes } from 'node:crypto';
import { DependencyUnavailableError } from '@strongroom/common';
import { AwsKmsKeyWrapper, ContentIntegrityError } from '@strongroom/encryption';
import { KMS_REGION, startKms, type TestKms } from '../support/kms';

describe('AwsKmsKeyWrapper against moto_server', () => {
  let kms: TestKms;
  let keyArn: string;
  let wrapper: AwsKmsKeyWrapper;

  beforeAll(async () => {
    kms = await startKms();
    keyArn = await kms.createKey();
    wrapper = new AwsKmsKeyWrapper({
      keyId: keyArn,
      region: KMS_REGION,
      endpoint: kms.endpoint,
      timeoutMs: 2_000,
    });
  });
  afterAll(async () => {
    wrapper.destroy();
    await kms.remove();
  });

  it('generates a data key that unwraps under the same record id, naming its provider and key', async () => {
    const { dataKey, wrapped } = await wrapper.generateDataKey('file-1');
    expect(dataKey).toHaveLength(32);
    expect(wrapped).toMatchObject({ keyProvider: 'aws-kms', kekId: keyArn });
    expect((await wrapper.unwrap(wrapped, 'file-1')).equals(dataKey)).toBe(true);
    await expect(wrapper.resolveCurrentKeyId()).resolves.toBe(keyArn);
  });

  it('is refused by KMS under another record id: the encryption context is authenticated', async () => {
    const { wrapped } = await wrapper.generateDataKey('file-1');
    const refused = wrapper.unwrap(wrapped, 'file-2');
    await expect(refused).rejects.toBeInstanceOf(ContentIntegrityError);
    await expect(refused).rejects.toThrow(/InvalidCiphertextException/);
  });

  it('wraps an existing secret (key rotation) under the current key', async () => {
    const secret = randomBytes(32);
    const wrapped = await wrapper.wrap(secret, 'upload-9');
    expect((await wrapper.unwrap(wrapped, 'upload-9')).equals(secret)).toBe(true);
  });

  it('reports an unreachable KMS as the key service being unavailable', async () => {
    const unreachable = new AwsKmsKeyWrapper({
      keyId: keyArn,
      region: KMS_REGION,
      endpoint: 'http://127.0.0.1:9',
      timeoutMs: 500,
    });
    try {
      await expect(unreachable.generateDataKey('file-1')).rejects.toBeInstanceOf(
        DependencyUnavailableError,
      );
      await expect(unreachable.checkHealth()).rejects.toBeInstanceOf(DependencyUnavailableError);
    } finally {
      unreachable.destroy();
    }
  });
});
