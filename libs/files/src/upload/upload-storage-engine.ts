import { PayloadTooLargeException, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { type AuthenticatedUser, clientContextOf } from '@strongroom/common';
import type { UploadScan, VirusScanner } from '@strongroom/scanning';
import type { FilesService, StoredUpload } from '../files.service';
import type { StoredFileDocument } from '../file.schema';

/** What the engine hands to the controller as `req.file`, besides multer's own fields. */
export interface UploadedBlob extends StoredUpload {
  record: StoredFileDocument;
}

type MulterFile = Parameters<StorageEngine['_handleFile']>[1];
type BusboyFileStream = MulterFile['stream'] & { truncated?: boolean };

function declaredLength(req: Request): number | undefined {
  const value = Number(req.headers['content-length']);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * A multer engine that pipes the part straight into the StorageProvider (no memory buffer, no temp
 * copy). A part cut short by the size limit is treated as a failure, so it never becomes a blob.
 */
export class UploadStorageEngine implements StorageEngine {
  constructor(
    private readonly files: FilesService,
    private readonly scanner: VirusScanner,
  ) {}

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
      this.files.discardUpload(file.record).then(
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
    const owner = (req as Request & { user?: AuthenticatedUser }).user;
    if (!owner) throw new UnauthorizedException();
    const stream = file.stream as BusboyFileStream;
    let record: StoredFileDocument | undefined;
    let scan: UploadScan | undefined;
    try {
      scan = await this.scanner.begin();
      record = await this.files.beginUpload(owner, file.originalname, declaredLength(req));
      const stored = await this.files.storeBlob(record, scan ? scan.inspect(stream) : stream);
      if (stream.truncated) throw new PayloadTooLargeException();
      // Still pending: an infected or unscanned file is removed before anyone can see it.
      await scan?.conclude({
        fileId: record.id as string,
        ownerId: owner.id,
        fileName: record.name,
        client: clientContextOf(req),
      });
      return { ...stored, record };
    } catch (error) {
      scan?.abort();
      if (record) await this.files.discardUpload(record);
      stream.resume();
      throw scan?.stoppedUpload ?? error;
    }
  }
}
