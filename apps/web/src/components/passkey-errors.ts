import { ApiError } from '../api/api-error';
import { messages } from '../messages';

/**
 * What to tell the person after a passkey step failed: the API's own message, or that the
 * browser's prompt was closed (NotAllowedError, which browsers also give for a timeout).
 */
export function passkeyErrorMessage(caught: unknown): string {
  if (caught instanceof ApiError) return caught.message;
  const name = (caught as { name?: unknown; cause?: { name?: unknown } } | null)?.name;
  const cause = (caught as { cause?: { name?: unknown } } | null)?.cause?.name;
  if (name === 'NotAllowedError' || cause === 'NotAllowedError' || name === 'AbortError') {
    return messages.passkeys.cancelled;
  }
  return caught instanceof Error && caught.message ? caught.message : messages.errors.unexpected;
}
