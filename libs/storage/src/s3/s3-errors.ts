import { NoSuchBucket, NoSuchKey, NotFound, S3ServiceException } from '@aws-sdk/client-s3';
import {
  StorageError,
  StorageObjectHeldError,
  StorageObjectNotFoundError,
  StorageUnavailableError,
} from '../storage.errors';

/**
 * Maps whatever the AWS SDK throws to our storage errors. A missing object (GetObject's NoSuchKey,
 * HeadObject's bodiless 404) is the only case callers act on; everything else (refused
 * connections, timeouts, 5xx, missing credentials, a missing bucket, access denied) means the
 * backend cannot serve us, which clients see as a 503. Messages name the failure but never the
 * endpoint, bucket or credentials, because health responses show them.
 */
export function translateS3Error(
  error: unknown,
  key?: string,
  context: { deleting?: boolean } = {},
): StorageError {
  if (error instanceof StorageError) return error;
  if (context.deleting && key !== undefined && isLockRefusal(error)) {
    return new StorageObjectHeldError(key, { cause: error });
  }
  if (error instanceof NoSuchBucket) {
    return new StorageUnavailableError('s3 storage unavailable: the bucket does not exist', {
      cause: error,
    });
  }
  if (key !== undefined && isNotFound(error)) {
    return new StorageObjectNotFoundError(key, { cause: error });
  }
  return new StorageUnavailableError(`s3 storage unavailable: ${describe(error)}`, {
    cause: error,
  });
}

/**
 * A versioned delete refused by Object Lock: AWS answers AccessDenied, MinIO InvalidRequest
 * ("Object is WORM protected"). Only asked about deletes of an object-lock bucket, where a
 * permission problem on a delete would show on uploads first.
 */
function isLockRefusal(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  const code = (error as S3ServiceException & { Code?: string }).Code ?? error.name;
  return code === 'AccessDenied' || code === 'InvalidRequest';
}

function isNotFound(error: unknown): boolean {
  if (error instanceof NoSuchKey || error instanceof NotFound) return true;
  return error instanceof S3ServiceException && error.$metadata?.httpStatusCode === 404;
}

function describe(error: unknown): string {
  if (error instanceof S3ServiceException) {
    const status = error.$metadata?.httpStatusCode;
    return status ? `${error.name} (HTTP ${status})` : error.name;
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${error.name} ${code}` : error.name;
  }
  return 'unknown error';
}
