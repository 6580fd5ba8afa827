import { formatTime } from '../format';
import { messages } from '../messages';

/** An error the API answered, carrying its own message, which already says what to fix. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** From `Retry-After`: a lockout or rate limit says when to try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** Builds the error from the API's `{ statusCode, message }` body (message may be a list). */
  static fromBody(status: number, body: unknown, retryAfter?: string | null): ApiError {
    const message = (body as { message?: unknown } | null)?.message;
    const text = Array.isArray(message)
      ? message.join('; ')
      : typeof message === 'string'
        ? message
        : messages.errors.unexpected;
    const seconds = Number(retryAfter);
    return new ApiError(status, text, retryAfter && seconds >= 0 ? seconds : undefined);
  }

  static network(): ApiError {
    return new ApiError(0, messages.errors.network);
  }
}

/** What to show for a failed request: the API's own words, and for a lockout when it ends. */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return messages.errors.unexpected;
  if (error.retryAfterSeconds === undefined) return error.message;
  return messages.errors.retryAt(
    error.message,
    formatTime(Date.now() + error.retryAfterSeconds * 1000),
  );
}
