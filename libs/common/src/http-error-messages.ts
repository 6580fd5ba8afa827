import { HttpException } from '@nestjs/common';

/** What an HttpException says to the client: its message, or a validation exception's list. */
export function httpErrorMessage(exception: HttpException): string | string[] {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String);
  return exception.message;
}

/** The human-readable messages inside any error, for logs and command-line output. */
export function errorMessages(error: unknown): string[] {
  if (error instanceof HttpException) return [httpErrorMessage(error)].flat();
  return [error instanceof Error ? error.message : String(error)];
}
