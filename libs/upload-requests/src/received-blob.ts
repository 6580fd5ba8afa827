import { BadRequestException } from '@nestjs/common';
import type { Request } from 'express';
import { UPLOAD_FIELD, type UploadedBlob } from '@strongroom/files';

/** The upload the interceptor stored, or a 400 that says how to send one. */
export function receivedBlob(req: Request & { file?: Partial<UploadedBlob> }): UploadedBlob {
  const blob = req.file;
  if (!blob?.record || blob.sha256 === undefined || blob.size === undefined || !blob.contentType) {
    throw new BadRequestException(`No file: send it in the multipart field "${UPLOAD_FIELD}"`);
  }
  return blob as UploadedBlob;
}
