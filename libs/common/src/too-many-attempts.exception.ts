import { HttpException, HttpStatus } from '@nestjs/common';

/** A 429 that knows when the caller may try again; the exception filter sends Retry-After. */
export class TooManyAttemptsException extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, HttpStatus.TOO_MANY_REQUESTS);
  }
}
