import { HttpException, HttpStatus } from '@nestjs/common';
import {
  DeletionHeldError,
  DependencyUnavailableError,
  httpErrorMessage,
  DUPLICATE_KEY_ERROR,
  type UnavailableDependency,
} from '@strongroom/common';
import { ContentIntegrityError } from '@strongroom/encryption';
import {
  StorageObjectHeldError,
  StorageObjectNotFoundError,
  StorageUnavailableError,
} from '@strongroom/storage';
import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
} from 'mongodb';
import { Error as MongooseError } from 'mongoose';

export interface ClassifiedError {
  status: number;
  message: string | string[];
  /** Unexpected failures are logged with their stack; expected ones are not noise. */
  unexpected: boolean;
}

const BODY_PARSER_MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON',
  'entity.too.large': 'The request body is too large',
  'charset.unsupported': 'The request body charset is not supported; send UTF-8',
  'request.aborted': 'The request was aborted',
};
const DECOMPRESSION_FAILED =
  'The request body could not be decompressed: it is not valid data for its Content-Encoding';

/**
 * Errors that client input can cause, raised by body-parser before Nest sees the request. They
 * carry a 4xx `status` and either a `type` naming the failure or, when the decompression stream
 * itself failed (corrupt or truncated gzip, deflate or br), the zlib error with its `errno`.
 */
function bodyParserError(error: unknown): ClassifiedError | undefined {
  const { type, status, expose, errno, encoding } = error as Record<string, unknown>;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (typeof type !== 'string' && expose !== true) return undefined;
  let message = 'The request body could not be read';
  if (type === 'encoding.unsupported') {
    const name = typeof encoding === 'string' ? ` "${encoding.slice(0, 40)}"` : '';
    message = `The Content-Encoding${name} is not supported; send the body uncompressed or as gzip, deflate or br`;
  } else if (typeof type === 'string') {
    message = BODY_PARSER_MESSAGES[type] ?? message;
  } else if (typeof errno === 'number') {
    message = DECOMPRESSION_FAILED;
  }
  return { status, message, unexpected: false };
}

/** Maps anything thrown during a request to the status and message a client may see. */
export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { status, message: httpErrorMessage(error), unexpected: status >= 500 };
  }
  const fromBodyParser = bodyParserError(error);
  if (fromBodyParser) return fromBodyParser;
  if (error instanceof MongooseError.CastError) {
    return {
      status: HttpStatus.BAD_REQUEST,
      message: `Invalid value for ${error.path}`,
      unexpected: false,
    };
  }
  if (error instanceof MongooseError.ValidationError) {
    const messages = Object.values(error.errors).map((issue) => issue.message);
    return { status: HttpStatus.BAD_REQUEST, message: messages, unexpected: false };
  }
  if (error instanceof MongooseError.DocumentNotFoundError) {
    // A record read earlier in the request was deleted before it was saved (a rename racing a
    // delete): the client sees what it would have seen a moment later.
    return { status: HttpStatus.NOT_FOUND, message: 'Not found', unexpected: false };
  }
  if (error instanceof MongoServerError && error.code === DUPLICATE_KEY_ERROR) {
    return {
      status: HttpStatus.CONFLICT,
      message: 'A record with the same unique value already exists',
      unexpected: false,
    };
  }
  if (
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNetworkError ||
    error instanceof MongoNotConnectedError ||
    (error instanceof MongoServerError && isMomentaryRefusal(error))
  ) {
    return unavailable('database');
  }
  if (error instanceof ContentIntegrityError) {
    // The stored bytes are damaged or were tampered with: a fault on our side, recorded as a
    // security event; retrying will not help, so it is not a 503.
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      message: 'The stored file failed its integrity check; nothing of it was sent',
      unexpected: true,
    };
  }
  if (error instanceof DeletionHeldError) {
    return { status: HttpStatus.CONFLICT, message: error.message, unexpected: false };
  }
  if (error instanceof StorageObjectHeldError) {
    return {
      status: HttpStatus.CONFLICT,
      message:
        'The stored object is under legal hold or retention in the bucket and cannot be deleted',
      unexpected: false,
    };
  }
  if (error instanceof StorageUnavailableError) return unavailable('storage');
  if (error instanceof DependencyUnavailableError) return unavailable(error.dependency);
  if (error instanceof StorageObjectNotFoundError) {
    return { status: HttpStatus.NOT_FOUND, message: 'Not found', unexpected: true };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    message: 'Internal server error',
    unexpected: true,
  };
}

const UNAVAILABLE_MESSAGES: Record<UnavailableDependency, string> = {
  database: 'The database is unavailable; try again shortly',
  storage: 'File storage is unavailable; try again shortly',
  'virus scanner': 'The virus scanner is unavailable, so uploads are refused; try again shortly',
  redis: 'The rate-limit store is unavailable; try again shortly',
  'key service':
    'The key service (KMS) is unavailable, so files cannot be encrypted or decrypted now; try again shortly',
};

/** MongoDB's code for a write that lost to a concurrent one. */
const WRITE_CONFLICT = 112;

/**
 * The database turned the operation away for the moment and a retry will do: a write conflict, an
 * error MongoDB labels retryable, or the embedded database's SQLite lock under concurrent writers.
 */
function isMomentaryRefusal(error: MongoServerError): boolean {
  return (
    error.code === WRITE_CONFLICT ||
    error.hasErrorLabel('TransientTransactionError') ||
    error.hasErrorLabel('RetryableWriteError') ||
    /database is locked/i.test(error.message)
  );
}

function unavailable(dependency: UnavailableDependency): ClassifiedError {
  return {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    message: UNAVAILABLE_MESSAGES[dependency],
    unexpected: false,
  };
}
