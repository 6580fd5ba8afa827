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
}

export interface UploadScanDependencies {
  events: SecurityEventsService;
  metrics: VirusScanMetrics;
  failOpen: boolean;
}

const logger = new Logger('VirusScan');

/** Hands every chunk on at once and to clamd, calling back only once clamd has taken it too. */
class ScanTap extends Transform {
  constructor(private readonly feed: (chunk: Buffer) => Promise<void>) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.push(chunk);
    void this.feed(chunk).then(() => callback());
  }
}

/**
 * One upload's scan: the bytes go to storage and to clamd side by side, and `conclude` decides
 * whether the stored file may become ready. A failure of clamd never interrupts the bytes on their
 * way to storage; it becomes the verdict, so the caller removes what was stored (fail closed).
 */
export class UploadScan {
  private failure: Error | undefined;

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

  private async unscanned(upload: ScannedUpload, error: Error): Promise<void> {
    this.deps.metrics.count('error');
    if (!this.deps.failOpen) {
      logger.error(`upload ${upload.fileId} refused, no virus scan verdict: ${error.message}`);
      throw new DependencyUnavailableError('virus scanner', { cause: error });
    }
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
        actorId: upload.ownerId,
        fileId: upload.fileId,
        details: { ...details, name: upload.fileName },
      })
      // The events service logs the event itself when the trail cannot take it.
      .catch(() => undefined);
  }
}
