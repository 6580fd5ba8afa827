import { InvalidStorageKeyError } from './storage.errors';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Keys are built from generated ids only; anything else is a programming error, never a path. */
export function assertValidStorageKey(key: string): string[] {
  const segments = key.split('/');
  if (key.length > 512 || segments.some((segment) => !SEGMENT.test(segment))) {
    throw new InvalidStorageKeyError(`invalid storage key: ${JSON.stringify(key)}`);
  }
  return segments;
}
