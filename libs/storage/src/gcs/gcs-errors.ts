import { ApiError } from '@google-cloud/storage';
import {
  StorageError,
  StorageObjectHeldError,
  StorageObjectNotFoundError,
  StorageUnavailableError,
} from '../storage.errors';

/**
 * Maps whatever the Google Cloud Storage client throws to our storage errors. A 404 for an object
 * is the only case callers act on; everything else (refused connections, timeouts, 5xx, missing
 * credentials, a missing bucket, access denied) means the backend cannot serve us, a 503 for
 * clients. Messages name the failure but never the endpoint, bucket or credentials.
 */
export function translateGcsError(
  error: unknown,
  key?: string,
  context: { deleting?: boolean } = {},
): StorageError {
  if (error instanceof StorageError) return error;
  // GCS refuses to delete an object under a temporary or event-based hold, or a retention, with
  // a 403 whose message says so ("… is under active Temporary hold …").
  if (
    context.deleting &&
    key !== undefined &&
    statusOf(error) === 403 &&
    /hold|retention/i.test((error as Error).message ?? '')
  ) {
    return new StorageObjectHeldError(key, { cause: error });
  }
  if (key !== undefined && statusOf(error) === 404) {
    return new StorageObjectNotFoundError(key, { cause: error });
  }
  return new StorageUnavailableError(`gcs storage unavailable: ${describe(error)}`, {
    cause: error,
  });
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof ApiError) return error.code;
  // Errors raised on streams and by the auth library carry the HTTP status in `code` or `status`.
  const { code, status } = (error ?? {}) as { code?: unknown; status?: unknown };
  for (const value of [status, code]) {
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && /^\d{3}$/.test(value)) return Number(value);
  }
  return undefined;
}

function describe(error: unknown): string {
  const status = statusOf(error);
  if (status !== undefined) return `HTTP ${status}`;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${error.name} ${code}` : error.name;
  }
  return 'unknown error';
}
