import { Logger } from '@nestjs/common';
import { type Readable, Transform, type TransformCallback, pipeline } from 'node:stream';
import type { SecurityEventsService } from '@strongroom/audit';
import { type ClientContext, DependencyUnavailableError } from '@strongroom/common';
import type { ClamdInstream } from './clamd.client';
import type { ClamdVerdict } from './clamd-reply';
import { UploadInfectedException } from './upload-infected.exception';
import type { VirusScanMetrics } from './virus-scan.metrics';

/** The upload a verdict is about, for the audit trail. */
export interface ScannedUpload {
  fileId: string;
  ownerId: string;
  fileName: string;
  client: ClientContext;
  /** Set when an anonymous visitor sent it to `ownerId` through an upload request. */
  uploadRequestId?: string;
}

export interface UploadScanDependencies {
  events: SecurityEventsService;
  metrics: VirusScanMetrics;
  failOpen: boolean;
}

const logger = new Logger('VirusScan');

/**
 * Hands every chunk on at once and to clamd, calling back only once clamd has taken it too. A
 * rejected feed errors the stream, which stops the upload.
 */
class ScanTap extends Transform {
  constructor(private readonly feed: (chunk: Buffer) => Promise<void>) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.push(chunk);
    this.feed(chunk).then(() => callback(), callback);
  }
}

/**
 * One upload's scan: the bytes go to storage and to clamd side by side, and `conclude` decides
 * whether the stored file may become ready. When clamd fails mid-stream and scanning fails
 * closed, the upload can only be refused, so the bytes stop there instead of being stored only to
 * be removed; failing open, they go on, and the upload is accepted unscanned.
 */
export class UploadScan {
  private failure: Error | undefined;
  private refusal: DependencyUnavailableError | undefined;

  private constructor(
    private readonly instream: ClamdInstream | undefined,
    failure: Error | undefined,
    private readonly deps: UploadScanDependencies,
  ) {
    this.failure = failure;
  }

  static open(instream: ClamdInstream, deps: UploadScanDependencies): UploadScan {
    return new UploadScan(instream, undefined, deps);
  }

  /** clamd could not be reached, and CLAMAV_FAIL_OPEN lets the upload go on unscanned. */
  static unavailable(failure: Error, deps: UploadScanDependencies): UploadScan {
    return new UploadScan(undefined, failure, deps);
  }

  /** The same bytes, for storage, at the pace of the slower of storage and clamd. */
  inspect(source: Readable): Readable {
    return pipeline(source, new ScanTap((chunk) => this.feed(chunk)), () => undefined);
  }

  /**
   * After the last byte: resolves when the file may become ready; throws UploadInfectedException
   * (422) or, failing closed, DependencyUnavailableError (503). Records the audit event.
   */
  async conclude(upload: ScannedUpload): Promise<void> {
    const verdict = await this.verdict();
    if ('error' in verdict) return this.unscanned(upload, verdict.error);
    if (!verdict.infected) {
      this.deps.metrics.count('clean');
      return;
    }
    this.deps.metrics.count('infected');
    logger.warn(`upload ${upload.fileId} rejected: ${verdict.signature}`);
    await this.recordEvent('upload_infected', upload, { signature: verdict.signature });
    throw new UploadInfectedException(verdict.signature);
  }

  /**
   * Why the scan stopped the upload mid-stream, if it did: the error to answer with, rather than
   * the storage error that stopping the bytes caused.
   */
  get stoppedUpload(): Error | undefined {
    return this.refusal;
  }

  /** The upload failed for another reason; clamd drops the unfinished stream. */
  abort(): void {
    this.instream?.abort();
  }

  private async feed(chunk: Buffer): Promise<void> {
    if (this.failure || !this.instream) return;
    try {
      await this.instream.write(chunk);
    } catch (error) {
      this.failure = error as Error;
      this.instream.abort();
      if (!this.deps.failOpen) throw (this.refusal = this.refuse(this.failure));
    }
  }

  private async verdict(): Promise<ClamdVerdict | { error: Error }> {
    if (this.failure) return { error: this.failure };
    if (!this.instream) return { error: new Error('no connection to clamd') };
    const done = this.deps.metrics.verdictTimer();
    try {
      return await this.instream.finish();
    } catch (error) {
      return { error: error as Error };
    } finally {
      done();
    }
  }

  private refuse(error: Error, fileId?: string): DependencyUnavailableError {
    this.deps.metrics.count('error');
    const upload = fileId ? `upload ${fileId}` : 'an upload';
    logger.error(`${upload} refused, no virus scan verdict: ${error.message}`);
    return new DependencyUnavailableError('virus scanner', { cause: error });
  }

  private async unscanned(upload: ScannedUpload, error: Error): Promise<void> {
    if (!this.deps.failOpen) throw this.refuse(error, upload.fileId);
    this.deps.metrics.count('error');
    logger.warn(
      `upload ${upload.fileId} accepted UNSCANNED (CLAMAV_FAIL_OPEN=true): ${error.message}`,
    );
    await this.recordEvent('upload_unscanned', upload, { reason: error.message });
  }

  private async recordEvent(
    type: 'upload_infected' | 'upload_unscanned',
    upload: ScannedUpload,
    details: Record<string, string>,
  ): Promise<void> {
    await this.deps.events
      .record({
        type,
        client: upload.client,
        // Through an upload request the sender is anonymous; the owner is whom it concerns.
        ...(upload.uploadRequestId ? { subjectId: upload.ownerId } : { actorId: upload.ownerId }),
        fileId: upload.fileId,
        details: {
          ...details,
          name: upload.fileName,
          ...(upload.uploadRequestId ? { uploadRequestId: upload.uploadRequestId } : {}),
        },
      })
      // The events service logs the event itself when the trail cannot take it.
      .catch(() => undefined);
  }
}
