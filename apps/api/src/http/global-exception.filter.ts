import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { clientContextOf, type ErrorResponse, TooManyAttemptsException } from '@strongroom/common';
import { classifyError } from './error-classification';

/** The contract's error body. */
export function errorBody(
  status: number,
  message: string | string[],
  requestId: string,
): ErrorResponse {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, requestId };
}

/** Every error leaves in the contract's shape, with the request id and without internals. */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const request = context.getRequest<Request>();
    const response = context.getResponse<Response>();
    const { status, message, unexpected } = classifyError(exception);
    const { requestId } = clientContextOf(request);

    if (unexpected) {
      this.logger.error({ err: exception, requestId }, 'request failed unexpectedly');
    }
    if (response.headersSent) {
      // A stream failed after the status went out: the only honest signal left is a cut connection.
      response.destroy();
      return;
    }
    if (exception instanceof TooManyAttemptsException) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    response.status(status).json(errorBody(status, message, requestId));
  }
}
