import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponse } from './error-response';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed or invalid input',
  401: 'Missing, invalid or expired credentials',
  403: 'Authenticated, but the role is not allowed',
  404: 'Unknown, or not visible to the caller',
  409: 'Conflicts with existing state',
  410: 'Gone: a resumable upload that expired',
  412: 'Precondition failed: a tus request without Tus-Resumable: 1.0.0',
  413: 'Too large',
  415: 'Unsupported content',
  422: 'Understood but refused (an upload in which the virus scanner found malware)',
  429: 'Rate limited; see Retry-After',
  500: 'The stored file failed its integrity check before any byte was sent (after the first byte, the connection is aborted instead)',
  501: 'Not available with this configuration (resumable uploads on a storage driver without them)',
  503: 'A dependency (database, storage, virus scanner) is down',
};

/** Documents the error responses of a route, all in the contract's error shape. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorResponse }),
    ),
  );
