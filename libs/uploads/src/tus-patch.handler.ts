import {
  BadRequestException,
  HttpException,
  HttpStatus,
  Injectable,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { byteCount } from './byte-count-header';
import { TUS_VERSION } from './tus-resumable.middleware';
import { FILE_ID_HEADER } from './tus-server.provider';
import { TusDataStore } from './tus.data-store';

export const PATCH_CONTENT_TYPE = 'application/offset+octet-stream';

/**
 * tus PATCH, in our own code rather than @tus/server's handler: that one turns the Node request
 * into a Web stream (copying every chunk) and back, through two more streams, before the
 * DataStore sees a byte, which cost a third of a PATCH's CPU. Here the DataStore reads the request
 * itself, and takes its claim in the same update that checks the upload. Errors leave through the
 * global filter, in the contract's shape, as every other route's.
 */
@Injectable()
export class TusPatchHandler {
  constructor(private readonly store: TusDataStore) {}

  async handle(id: string, req: Request, res: Response, bodyLength?: number): Promise<void> {
    const offset = patchOffset(req, res);
    const outcome = await this.store.append(id, offset, req, bodyLength);
    res.setHeader('Upload-Offset', String(outcome.offset));
    if (outcome.offset < outcome.length) {
      res.setHeader('Upload-Expires', outcome.expiresAt.toUTCString());
    } else {
      res.setHeader(FILE_ID_HEADER, id);
    }
    res.status(HttpStatus.NO_CONTENT).end();
  }
}

/** The PATCH's headers, checked as the tus specification says; its Upload-Offset. */
function patchOffset(req: Request, res: Response): number {
  const version = req.headers['tus-resumable'];
  if (version !== TUS_VERSION) {
    res.setHeader('Tus-Version', TUS_VERSION);
    throw new HttpException(
      version === undefined
        ? 'Tus-Resumable Required: send Tus-Resumable: 1.0.0'
        : `Tus-Resumable ${JSON.stringify(version)} is not a version this server speaks: send Tus-Resumable: 1.0.0`,
      HttpStatus.PRECONDITION_FAILED,
    );
  }
  const offset = req.headers['upload-offset'];
  if (offset === undefined) {
    throw new BadRequestException('Send Upload-Offset: the offset HEAD reported');
  }
  const value = byteCount(offset);
  if (value === undefined) {
    throw new BadRequestException('Upload-Offset must be a non-negative integer');
  }
  if (req.headers['content-type'] !== PATCH_CONTENT_TYPE) {
    throw new UnsupportedMediaTypeException(
      `Send the bytes as Content-Type: ${PATCH_CONTENT_TYPE}`,
    );
  }
  if (req.headers['upload-length'] !== undefined) {
    throw new BadRequestException(
      'Upload-Length is given at creation (deferred length is not accepted): leave it out of a PATCH',
    );
  }
  return value;
}
