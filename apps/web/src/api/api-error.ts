import { messages } from '../messages';

/** An error the API answered, carrying its own message, which already says what to fix. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }

  /** Builds the error from the API's `{ statusCode, message }` body (message may be a list). */
  static fromBody(status: number, body: unknown): ApiError {
    const message = (body as { message?: unknown } | null)?.message;
    const text = Array.isArray(message)
      ? message.join('; ')
      : typeof message === 'string'
        ? message
        : messages.errors.unexpected;
    return new ApiError(status, text);
  }

  static network(): ApiError {
    return new ApiError(0, messages.errors.network);
  }
}
