import { Inject, Injectable, Logger } from '@nestjs/common';
import { SecurityEventsService } from '@strongroom/audit';
import { DependencyUnavailableError } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { ClamdClient } from './clamd.client';
import { UploadScan, type UploadScanDependencies } from './upload-scan';
import { VirusScanMetrics } from './virus-scan.metrics';

/** Virus scanning of uploads through clamd, when CLAMAV_HOST is set; off otherwise. */
@Injectable()
export class VirusScanner {
  private readonly logger = new Logger('VirusScan');
  private readonly client: ClamdClient | undefined;
  private readonly deps: UploadScanDependencies;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    events: SecurityEventsService,
    private readonly metrics: VirusScanMetrics,
  ) {
    this.client = config.clamav ? new ClamdClient(config.clamav) : undefined;
    this.deps = { events, metrics, failOpen: config.clamav?.failOpen ?? false };
  }

  get enabled(): boolean {
    return this.client !== undefined;
  }

  /** Uploads are refused while clamd is down (the default); not so under CLAMAV_FAIL_OPEN. */
  get required(): boolean {
    return this.enabled && !this.deps.failOpen;
  }

  /** For readiness: resolves when clamd answers a PING; throws a ClamdError otherwise. */
  async ping(): Promise<void> {
    await this.client?.ping();
  }

  /**
   * Opens the scan of one upload before any byte is stored, so that an unreachable clamd costs
   * nothing: undefined when scanning is off, a DependencyUnavailableError (503) when clamd cannot
   * be reached and scanning fails closed.
   */
  async begin(): Promise<UploadScan | undefined> {
    if (!this.client) return undefined;
    try {
      return UploadScan.open(await this.client.instream(), this.deps);
    } catch (error) {
      if (this.deps.failOpen) return UploadScan.unavailable(error as Error, this.deps);
      this.metrics.count('error');
      this.logger.error(`upload refused, no virus scanner: ${(error as Error).message}`);
      throw new DependencyUnavailableError('virus scanner', { cause: error });
    }
  }
}
