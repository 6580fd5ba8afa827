import { ApiError } from '@google-cloud/storage';
import {
  InvalidStorageKeyError,
  StorageObjectHeldError,
  StorageObjectNotFoundError,
  StorageUnavailableError,
} from '../storage.errors';
import { translateGcsError } from './gcs-errors';

/** What the client raises for an HTTP error answer. */
function apiError(code: number, message: string): ApiError {
  return Object.assign(new ApiError(message), { code });
}

describe('translateGcsError', () => {
  it('turns a 404 for an object into StorageObjectNotFoundError', () => {
    const vendor = apiError(404, 'No such object: strongroom/a/b');
    const error = translateGcsError(vendor, 'a/b');
    expect(error).toBeInstanceOf(StorageObjectNotFoundError);
    expect((error as StorageObjectNotFoundError).key).toBe('a/b');
    expect(error.cause).toBe(vendor);
  });

  it('turns a delete refused for a hold into StorageObjectHeldError, and other 403s into an outage', () => {
    const held = apiError(
      403,
      "Object 'strongroom/f/a' is under active Temporary hold and cannot be deleted, overwritten or archived until hold is removed.",
    );
    expect(translateGcsError(held, 'f/a', { deleting: true })).toBeInstanceOf(
      StorageObjectHeldError,
    );
    expect(translateGcsError(held, 'f/a')).toBeInstanceOf(StorageUnavailableError);
    const denied = apiError(403, 'caller does not have storage.objects.delete access');
    expect(translateGcsError(denied, 'f/a', { deleting: true })).toBeInstanceOf(
      StorageUnavailableError,
    );
  });

  it('reads the status of errors raised on streams, where it is a string', () => {
    const vendor = Object.assign(new Error('Not Found'), { code: '404' });
    expect(translateGcsError(vendor, 'a/b')).toBeInstanceOf(StorageObjectNotFoundError);
  });

  it('treats a 404 without a key (a bucket-level call) as an outage', () => {
    expect(translateGcsError(apiError(404, 'bucket not found'))).toBeInstanceOf(
      StorageUnavailableError,
    );
  });

  it.each([
    ['a 5xx', apiError(503, 'backend error'), 'HTTP 503'],
    ['access denied', apiError(403, 'caller does not have storage.objects.get'), 'HTTP 403'],
    [
      'a refused connection',
      Object.assign(new Error('request to http://10.1.2.3:4443/ failed, reason: ECONNREFUSED'), {
        name: 'FetchError',
        code: 'ECONNREFUSED',
      }),
      'FetchError ECONNREFUSED',
    ],
    [
      'a timeout',
      Object.assign(new Error('network timeout at: https://storage.googleapis.com/x'), {
        name: 'FetchError',
        type: 'request-timeout',
      }),
      'FetchError',
    ],
    ['missing credentials', new Error('Could not load the default credentials'), 'Error'],
  ])('turns %s into StorageUnavailableError', (_label, vendor, described) => {
    const error = translateGcsError(vendor, 'a/b');
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error.message).toBe(`gcs storage unavailable: ${described}`);
    expect(error.cause).toBe(vendor);
  });

  it('passes our own errors through unchanged', () => {
    const ours = new InvalidStorageKeyError('bad key');
    expect(translateGcsError(ours, 'a/b')).toBe(ours);
  });
});
