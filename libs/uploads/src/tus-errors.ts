import {
  BadRequestException,
  ConflictException,
  GoneException,
  HttpException,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';

/** A protocol answer @tus/server's own handlers throw, as plain objects. */
interface TusErrorResponse {
  status_code: number;
  body: string;
}

export const uploadNotFound = () => new NotFoundException('Upload not found');
export const uploadExpired = () =>
  new GoneException('The upload expired and was removed; start a new one');
export const offsetConflict = () =>
  new ConflictException(
    'Another request is writing to this upload, or Upload-Offset is not the current offset: HEAD for it and resume from there',
  );
export const bodyPastLength = (offset: number, length: number) =>
  new PayloadTooLargeException(
    `The body runs past Upload-Length (${length}): from Upload-Offset ${offset}, send at most ${length - offset} bytes`,
  );
/** The client went away mid-body: what was stored is kept, and HEAD says from where to resume. */
export const requestCutShort = () =>
  new BadRequestException('The request ended before its body was complete');

/**
 * Only whole parts are stored: a PATCH that ends inside the part it starts would store nothing and
 * report the same offset, and a client would send it again for ever.
 */
export const patchTooShort = (offset: number, partEnd: number) =>
  new BadRequestException(
    `This PATCH stores nothing: this upload is stored in parts, and the one starting at Upload-Offset ${offset} ends at byte ${partEnd}. Send at least ${partEnd - offset} bytes in one PATCH (or the rest of the upload)`,
  );

/** tus's plain-object errors as HTTP exceptions, so the global filter answers them all alike. */
export function asHttpError(error: unknown): unknown {
  if (
    typeof error === 'object' &&
    error !== null &&
    !(error instanceof Error) &&
    typeof (error as TusErrorResponse).status_code === 'number'
  ) {
    const { body, status_code: status } = error as TusErrorResponse;
    return new HttpException(String(body ?? '').trim() || 'Upload request refused', status);
  }
  return error;
}
