import {
  BadRequestException,
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { from, type Observable, switchMap } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { UploadPipeline } from './upload-pipeline.service';
import {
  declaredLength,
  MULTIPART_FRAMING_ALLOWANCE,
  UploadStorageEngine,
} from './upload-storage-engine';
import { uploadTargetOf } from './upload-target';

export const UPLOAD_FIELD = 'file';

const MULTER_MESSAGES: Partial<Record<MulterError['code'], string>> = {
  LIMIT_FILE_COUNT: `Send exactly one file, in the multipart field "${UPLOAD_FIELD}"`,
  LIMIT_UNEXPECTED_FILE: `Send the file in the multipart field named "${UPLOAD_FIELD}"`,
  LIMIT_PART_COUNT: 'Too many multipart parts',
  LIMIT_FIELD_COUNT: `The upload takes no form fields: send only the file, in the multipart field "${UPLOAD_FIELD}"`,
  LIMIT_FIELD_KEY: 'A form field name is too long',
  LIMIT_FIELD_VALUE: 'A form field value is too long',
  MISSING_FIELD_NAME: 'A multipart part has no field name',
};

/** Parses one multipart file with limits on everything, streaming it to storage as it arrives. */
@Injectable()
export class FileUploadInterceptor implements NestInterceptor {
  private readonly upload: ReturnType<ReturnType<typeof multer>['single']>;
  private readonly engine: UploadStorageEngine;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly pipeline: UploadPipeline,
  ) {
    this.engine = new UploadStorageEngine(pipeline);
    this.upload = multer({
      storage: this.engine,
      // Browsers send file names as raw UTF-8; busboy's latin1 default would garble them.
      defParamCharset: 'utf8',
      limits: {
        fileSize: config.storage.maxFileSize,
        files: 1,
        // Unknown body fields are refused, not ignored, here as in every JSON body.
        fields: 0,
        fieldNameSize: 100,
        fieldSize: 1024,
        parts: 6,
        headerPairs: 20,
      },
    }).single(UPLOAD_FIELD);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (!req.is('multipart/form-data')) {
      throw new UnsupportedMediaTypeException(
        `Upload with Content-Type: multipart/form-data and the file in the field "${UPLOAD_FIELD}"`,
      );
    }
    const res = http.getResponse<Response>();
    const parsed = this.admit(req, res).then(
      () =>
        new Promise<void>((resolve, reject) => {
          this.upload(req, res, (error: unknown) => {
            if (!error) return resolve();
            void this.engine.settled(req).then(() => reject(this.translate(error)));
          });
        }),
    );
    return from(parsed).pipe(switchMap(() => next.handle()));
  }

  /**
   * Refuses a declared Content-Length over MAX_FILE_SIZE or the remaining quota before a byte of
   * the body is read: a client that sent `Expect: 100-continue` gets the 413 instead of 100
   * Continue (see answerBeforeTheBody), and any other one has its connection closed after the
   * answer rather than its whole body drained. The caller is authenticated by now, or the route's
   * guard has set whose space the upload goes into.
   */
  private async admit(req: Request, res: Response): Promise<void> {
    const target = uploadTargetOf(req);
    if (!target) throw new UnauthorizedException();
    try {
      await this.pipeline.admit(target.owner.id, declaredLength(req), MULTIPART_FRAMING_ALLOWANCE);
    } catch (error) {
      if (!res.headersSent) res.setHeader('Connection', 'close');
      throw error;
    }
  }

  private translate(error: unknown): Error {
    if (error instanceof MulterError) {
      if (error.code === 'LIMIT_FILE_SIZE') {
        return this.pipeline.tooLarge();
      }
      return new BadRequestException(
        MULTER_MESSAGES[error.code] ?? 'The multipart body is not acceptable',
      );
    }
    if (
      error instanceof Error &&
      !('getStatus' in error) &&
      /multipart|boundary|unexpected end of form|malformed/i.test(error.message)
    ) {
      return new BadRequestException(`The multipart body is malformed: ${error.message}`);
    }
    if (error instanceof Error && /request (aborted|closed)/i.test(error.message)) {
      return new BadRequestException('The upload was interrupted');
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}
