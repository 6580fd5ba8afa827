import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { httpErrorMessage, TooManyAttemptsException } from '@strongroom/common';
import { UploadRequestPages } from './upload-request-pages';

/**
 * Answers a refusal on the upload request page with the page itself, saying what went wrong (a
 * person in a browser, not a client reading JSON). Only HTTP exceptions: anything unexpected still
 * goes to the global filter, which logs it and never leaks it.
 */
@Catch(HttpException)
export class UploadRequestPageFilter implements ExceptionFilter {
  private readonly logger = new Logger('UploadRequests');

  constructor(private readonly pages: UploadRequestPages) {}

  async catch(exception: HttpException, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (res.headersSent) return void res.destroy();
    if (exception instanceof TooManyAttemptsException) {
      res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    const message = httpErrorMessage(exception);
    const text = Array.isArray(message) ? message.join('; ') : message;
    try {
      await this.pages.answer(req, res, String(req.params.token), exception.getStatus(), {
        tone: 'error',
        text,
      });
    } catch (error) {
      // The page could not even be built (the database is down): say so plainly.
      this.logger.warn(`upload request page unavailable: ${(error as Error).message}`);
      this.pages.send(res, HttpStatus.SERVICE_UNAVAILABLE, {
        kind: 'dead',
        heading: 'Strongroom is unavailable',
        message: 'Try again in a few minutes.',
      });
    }
  }
}
