import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  InjectMetric,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Model } from 'mongoose';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { StoredFile } from './file.schema';
import { readyFilesEstimate } from './ready-files-estimate';

const UPLOAD_BYTES = 'storage_upload_bytes_total';
const DOWNLOAD_BYTES = 'storage_download_bytes_total';
const UPLOAD_SECONDS = 'storage_upload_duration_seconds';
const DOWNLOAD_SECONDS = 'storage_download_duration_seconds';
const STORED_BYTES = 'strongroom_stored_bytes';
const STORED_FILES = 'strongroom_stored_files';
const UPLOADS_STARTED = 'strongroom_uploads_started_total';
const UPLOADS_COMPLETED = 'strongroom_uploads_completed_total';
const UPLOADS_EXPIRED = 'strongroom_uploads_expired_total';
const UPLOAD_ROUTE_BYTES = 'strongroom_upload_received_bytes_total';
const TRANSFER_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800];
const GAUGE_REFRESH_MS = 30_000;

export const FILE_METRIC_PROVIDERS = [
  makeCounterProvider({
    name: UPLOAD_BYTES,
    help: 'Bytes stored by uploads, by driver',
    labelNames: ['driver'],
  }),
  makeCounterProvider({
    name: DOWNLOAD_BYTES,
    help: 'Bytes served by downloads, by driver',
    labelNames: ['driver'],
  }),
  makeHistogramProvider({
    name: UPLOAD_SECONDS,
    help: 'Upload duration from first byte to durable blob, by driver and outcome (ok, error, or aborted: the body stopped before its end)',
    labelNames: ['driver', 'outcome'],
    buckets: TRANSFER_BUCKETS,
  }),
  makeHistogramProvider({
    name: DOWNLOAD_SECONDS,
    help: 'Download duration, by driver and outcome',
    labelNames: ['driver', 'outcome'],
    buckets: TRANSFER_BUCKETS,
  }),
  makeCounterProvider({
    name: UPLOADS_STARTED,
    help: 'Uploads begun, by route (multipart, tus)',
    labelNames: ['route'],
  }),
  makeCounterProvider({
    name: UPLOADS_COMPLETED,
    help: 'Uploads that became ready files, by route',
    labelNames: ['route'],
  }),
  makeCounterProvider({
    name: UPLOADS_EXPIRED,
    help: 'Resumable uploads abandoned and swept after UPLOAD_EXPIRY',
  }),
  makeCounterProvider({
    name: UPLOAD_ROUTE_BYTES,
    help: 'Plaintext bytes durably stored by uploads, by route',
    labelNames: ['route'],
  }),
  makeGaugeProvider({ name: STORED_BYTES, help: 'Bytes in ready files, all users' }),
  makeGaugeProvider({
    name: STORED_FILES,
    help: 'Number of ready files, all users; an estimate: the collection size less pending uploads',
  }),
];

/**
 * `aborted`: the upload's body stopped before its end, because the client hung up or the virus
 * scan refused it mid-stream; no fault of storage's.
 */
export type TransferOutcome = 'ok' | 'error' | 'aborted';

/** How the bytes came: one multipart request, or resumable (tus) requests. */
export type UploadRoute = 'multipart' | 'tus';

/** Transfer counters and the stored totals; the totals come from the database, shared by all instances. */
@Injectable()
export class FileMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('FileMetrics');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectModel(StoredFile.name) private readonly files: Model<StoredFile>,
    @InjectMetric(UPLOAD_BYTES) private readonly uploadBytes: Counter<'driver'>,
    @InjectMetric(DOWNLOAD_BYTES) private readonly downloadBytes: Counter<'driver'>,
    @InjectMetric(UPLOAD_SECONDS) private readonly uploadSeconds: Histogram<'driver' | 'outcome'>,
    @InjectMetric(DOWNLOAD_SECONDS)
    private readonly downloadSeconds: Histogram<'driver' | 'outcome'>,
    @InjectMetric(STORED_BYTES) private readonly storedBytes: Gauge,
    @InjectMetric(STORED_FILES) private readonly storedFiles: Gauge,
    @InjectMetric(UPLOADS_STARTED) private readonly started: Counter<'route'>,
    @InjectMetric(UPLOADS_COMPLETED) private readonly completed: Counter<'route'>,
    @InjectMetric(UPLOADS_EXPIRED) private readonly expired: Counter,
    @InjectMetric(UPLOAD_ROUTE_BYTES) private readonly routeBytes: Counter<'route'>,
  ) {}

  uploadStarted(route: UploadRoute): void {
    this.started.inc({ route });
  }

  uploadCompleted(route: UploadRoute): void {
    this.completed.inc({ route });
  }

  uploadsExpired(count: number): void {
    this.expired.inc(count);
  }

  uploadReceived(route: UploadRoute, bytes: number): void {
    this.routeBytes.inc({ route }, bytes);
  }

  /** Starts timing an upload; call the result with the outcome and the bytes stored. */
  uploadTimer(driver: string): (outcome: TransferOutcome, bytes?: number) => void {
    const stop = this.uploadSeconds.startTimer({ driver });
    return (outcome, bytes = 0) => {
      stop({ outcome });
      if (outcome === 'ok') this.uploadBytes.inc({ driver }, bytes);
    };
  }

  downloadTimer(driver: string): (outcome: TransferOutcome, bytes?: number) => void {
    const stop = this.downloadSeconds.startTimer({ driver });
    return (outcome, bytes = 0) => {
      stop({ outcome });
      if (outcome === 'ok') this.downloadBytes.inc({ driver }, bytes);
    };
  }

  onModuleInit(): void {
    void this.refreshTotals();
    this.timer = setInterval(() => void this.refreshTotals(), GAUGE_REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async refreshTotals(): Promise<void> {
    try {
      const [files, [totals]] = await Promise.all([
        readyFilesEstimate(this.files),
        this.files
          .aggregate<{ bytes: number }>([
            { $match: { status: 'ready' } },
            { $group: { _id: null, bytes: { $sum: '$size' } } },
          ])
          .exec(),
      ]);
      this.storedBytes.set(totals?.bytes ?? 0);
      this.storedFiles.set(files);
    } catch (error) {
      this.logger.warn(`could not refresh the stored totals: ${(error as Error).message}`);
    }
  }
}
