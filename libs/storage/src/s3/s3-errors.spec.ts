import { NoSuchBucket, NoSuchKey, NotFound, S3ServiceException } from '@aws-sdk/client-s3';
import {
  InvalidStorageKeyError,
  StorageObjectHeldError,
  StorageObjectNotFoundError,
  StorageUnavailableError,
} from '../storage.errors';
import { translateS3Error } from './s3-errors';

const metadata = { httpStatusCode: 404 };

describe('translateS3Error', () => {
  it.each([
    ['NoSuchKey from GetObject', new NoSuchKey({ $metadata: metadata, message: 'gone' })],
    ['the bodiless NotFound from HeadObject', new NotFound({ $metadata: metadata, message: '' })],
    [
      'any other 404',
      new S3ServiceException({ name: 'Unknown', $fault: 'client', $metadata: metadata }),
    ],
  ])('turns %s into StorageObjectNotFoundError', (_label, vendor) => {
    const error = translateS3Error(vendor, 'a/b');
    expect(error).toBeInstanceOf(StorageObjectNotFoundError);
    expect((error as StorageObjectNotFoundError).key).toBe('a/b');
    expect(error.cause).toBe(vendor);
  });

  it.each([
    ['AccessDenied (AWS)', 'AccessDenied', 403],
    ['InvalidRequest (MinIO: "Object is WORM protected")', 'InvalidRequest', 400],
  ])(
    'turns a refused versioned delete, %s, into StorageObjectHeldError',
    (_label, name, status) => {
      const vendor = new S3ServiceException({
        name,
        $fault: 'client',
        $metadata: { httpStatusCode: status },
      });
      const error = translateS3Error(vendor, 'f/a', { deleting: true });
      expect(error).toBeInstanceOf(StorageObjectHeldError);
      expect((error as StorageObjectHeldError).key).toBe('f/a');
      // Outside a delete, the same answers are an outage, as before.
      expect(translateS3Error(vendor, 'f/a')).toBeInstanceOf(StorageUnavailableError);
    },
  );

  it('treats a missing bucket as an outage, not a missing object', () => {
    const vendor = new NoSuchBucket({ $metadata: metadata, message: 'no bucket' });
    expect(translateS3Error(vendor, 'a/b')).toBeInstanceOf(StorageUnavailableError);
  });

  it('treats a 404 without a key (a bucket-level call) as an outage', () => {
    const vendor = new NoSuchKey({ $metadata: metadata, message: '' });
    expect(translateS3Error(vendor)).toBeInstanceOf(StorageUnavailableError);
  });

  it.each([
    [
      'a 5xx',
      new S3ServiceException({
        name: 'InternalError',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
      }),
      'InternalError (HTTP 500)',
    ],
    [
      'access denied',
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }),
      'AccessDenied (HTTP 403)',
    ],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:9000'), { code: 'ECONNREFUSED' }),
      'Error ECONNREFUSED',
    ],
    [
      'a timeout',
      Object.assign(new Error('socket timed out talking to s3.example.com'), {
        name: 'TimeoutError',
      }),
      'TimeoutError',
    ],
    [
      'missing credentials',
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      'CredentialsProviderError',
    ],
  ])('turns %s into StorageUnavailableError', (_label, vendor, described) => {
    const error = translateS3Error(vendor, 'a/b');
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error.message).toBe(`s3 storage unavailable: ${described}`);
    expect(error.cause).toBe(vendor);
  });

  it('passes our own errors through unchanged', () => {
    const ours = new InvalidStorageKeyError('bad key');
    expect(translateS3Error(ours, 'a/b')).toBe(ours);
  });
});
