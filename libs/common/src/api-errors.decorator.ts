import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ErrorResponse } from './error-response';

interface ErrorDoc {
  description: string;
  /** What the body's `message` says in the documented example. */
  example: string | string[];
}

const ERRORS: Record<number, ErrorDoc> = {
  400: { description: 'Malformed or invalid input', example: ['email must be an email address'] },
  401: { description: 'Missing, invalid or expired credentials', example: 'Unauthorized' },
  403: {
    description: 'Authenticated, but the role is not allowed',
    example: 'Forbidden resource',
  },
  404: { description: 'Unknown, or not visible to the caller', example: 'File not found' },
  409: {
    description: 'Conflicts with existing state',
    example: 'An account with this email already exists',
  },
  410: { description: 'Gone: a resumable upload that expired', example: 'Upload expired' },
  412: {
    description: 'Precondition failed: a tus request without Tus-Resumable: 1.0.0',
    example: 'Tus-Resumable 1.0.0 is required',
  },
  413: { description: 'Too large', example: 'The file is larger than the limit of 52428800 bytes' },
  415: {
    description: 'Unsupported content',
    example: 'Upload with Content-Type: multipart/form-data and the file in the field "file"',
  },
  416: {
    description: 'The Range cannot be satisfied (see Content-Range for the size)',
    example: 'Range Not Satisfiable',
  },
  422: {
    description:
      'Understood but refused (an upload in which the virus scanner found malware; a share with an address nobody has)',
    example: 'The file was refused: the virus scanner found malware',
  },
  429: { description: 'Rate limited; see Retry-After', example: 'Too many requests' },
  500: {
    description:
      'The stored file failed its integrity check before any byte was sent (after the first byte, the connection is aborted instead)',
    example: 'Internal server error',
  },
  501: {
    description:
      'Not available with this configuration (resumable uploads on a storage driver without them)',
    example: 'Resumable uploads are not available with this storage driver',
  },
  503: {
    description: 'A dependency (database, storage, virus scanner, the key service) is down',
    example: 'The database is unavailable; try again shortly',
  },
};

/**
 * Documents the error responses of a route, all in the contract's error shape and always JSON,
 * also on routes that otherwise produce bytes, each with an example body of its own status.
 */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) => {
      const { description, example } = ERRORS[status];
      return ApiResponse({
        status,
        description,
        content: {
          'application/json': {
            schema: { $ref: getSchemaPath(ErrorResponse) },
            example: {
              statusCode: status,
              error: STATUS_CODES[status],
              message: example,
              requestId: '5f1c2a7e-9a4b-4d43-a3f0-3c2a1e0b9d11',
            },
          },
        },
      });
    }),
  );
