import { HttpStatus } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import { clientContextOf } from '@strongroom/common';
import { errorBody } from './global-exception.filter';

/** Streamed uploads: multipart (POST /api/v1/files) and tus PATCH bodies; only stalls cut them. */
const STREAMED_UPLOAD_TYPES = ['multipart/form-data', 'application/offset+octet-stream'];

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Every request body but a streamed upload must arrive within `deadlineMs`. The idle timeout
 * alone lets a client trickling a byte a second hold a socket (and a body parser) forever; past
 * the deadline it gets a 408 and the connection is closed.
 */
export function bodyDeadline(deadlineMs: number): RequestHandler {
  return (req, res, next) => {
    if (!hasBody(req) || req.is(STREAMED_UPLOAD_TYPES)) return next();
    const timer = setTimeout(() => cutOff(req, res, deadlineMs), deadlineMs);
    const clear = (): void => clearTimeout(timer);
    req.once('end', clear);
    res.once('close', clear);
    next();
  };
}

function cutOff(req: Request, res: Response, deadlineMs: number): void {
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  // With Connection: close Node ends the socket once the answer is out, instead of reading on.
  res.setHeader('Connection', 'close');
  const seconds = deadlineMs / 1000;
  res
    .status(HttpStatus.REQUEST_TIMEOUT)
    .json(
      errorBody(
        HttpStatus.REQUEST_TIMEOUT,
        `The request body did not arrive within ${seconds} s (BODY_TIMEOUT); send it at once`,
        clientContextOf(req).requestId,
      ),
    );
}
