import { UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { clientContextOf } from '@strongroom/common';
import type { ReceivedUpload, UploadPipeline } from './upload-pipeline.service';
import { uploadTargetOf } from './upload-target';

/** What the engine hands to the controller as `req.file`, besides multer's own fields. */
export type UploadedBlob = ReceivedUpload;

type MulterFile = Parameters<StorageEngine['_handleFile']>[1];
type BusboyFileStream = MulterFile['stream'] & { truncated?: boolean };

/** Multipart framing around the file; a declared length within this of a limit may still fit. */
export const MULTIPART_FRAMING_ALLOWANCE = 16 * 1024;

export function declaredLength(req: Request): number | undefined {
  const value = Number(req.headers['content-length']);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * A multer engine that hands the part straight to the upload pipeline (no memory buffer, no temp
 * copy). A part cut short by the size limit is treated as a failure, so it never becomes a blob.
 */
export class UploadStorageEngine implements StorageEngine {
  constructor(private readonly pipeline: UploadPipeline) {}

  /** What the engine is still doing for each request: storing, discarding. */
  private readonly inFlight = new WeakMap<Request, Set<Promise<void>>>();

  _handleFile(
    req: Request,
    file: MulterFile,
    callback: (error?: unknown, info?: Partial<UploadedBlob>) => void,
  ): void {
    this.track(
      req,
      this.handle(req, file).then(
        (info) => callback(null, info),
        (error: unknown) => callback(error),
      ),
    );
  }

  _removeFile(
    req: Request,
    file: MulterFile & Partial<UploadedBlob>,
    callback: (error: Error | null) => void,
  ): void {
    if (!file.record) return callback(null);
    this.track(
      req,
      this.pipeline.discard(file.record).then(
        () => callback(null),
        (error: Error) => callback(error),
      ),
    );
  }

  /**
   * Resolves once nothing of this request's upload is still being stored or discarded. When the
   * multipart body breaks, multer reports the error at once, while the part's record and blob may
   * still be on their way in or out; answering only after this means a client told "rejected"
   * finds nothing of its upload left.
   */
  async settled(req: Request): Promise<void> {
    const work = this.inFlight.get(req);
    while (work && work.size > 0) await Promise.all(work);
  }

  private track(req: Request, work: Promise<unknown>): void {
    let pending = this.inFlight.get(req);
    if (!pending) this.inFlight.set(req, (pending = new Set()));
    const settled: Promise<void> = work.then(
      () => void pending.delete(settled),
      () => void pending.delete(settled),
    );
    pending.add(settled);
  }

  private async handle(req: Request, file: MulterFile): Promise<UploadedBlob> {
    const target = uploadTargetOf(req);
    if (!target) throw new UnauthorizedException();
    const stream = file.stream as BusboyFileStream;
    try {
      return await this.pipeline.receive(
        {
          owner: target.owner,
          uploadRequestId: target.uploadRequestId,
          name: file.originalname,
          client: clientContextOf(req),
          route: 'multipart',
        },
        stream,
        () => stream.truncated === true,
      );
    } catch (error) {
      stream.resume();
      throw error;
    }
  }
}
