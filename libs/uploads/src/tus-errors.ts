import { ConflictException, GoneException, HttpException, NotFoundException } from '@nestjs/common';

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

/** tus's plain-object errors as HTTP exceptions, so the global filter answers them all alike. */
export function asHttpError(error: unknown): unknown {
  if (
    typeof error === 'object' &&
    error !== null &&
    !(error instanceof Error) &&
    typeof (error as TusErrorResponse).status_code === 'number'
  ) {
    const { status_code: status, body } = error as TusErrorResponse;
    return new HttpException(String(body ?? '').trim() || 'Upload request refused', status);
  }
  return error;
}
