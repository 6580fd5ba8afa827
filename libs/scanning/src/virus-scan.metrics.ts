import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';

const VERDICTS_TOTAL = 'virus_scan_verdicts_total';
const VERDICT_SECONDS = 'virus_scan_verdict_duration_seconds';

/** `error`: clamd was unreachable, too slow or answered with an error (the upload was refused,
 * or accepted unscanned under CLAMAV_FAIL_OPEN). */
export const SCAN_VERDICTS = ['clean', 'infected', 'error'] as const;
export type ScanVerdictLabel = (typeof SCAN_VERDICTS)[number];

export const VIRUS_SCAN_METRIC_PROVIDERS = [
  makeCounterProvider({
    name: VERDICTS_TOTAL,
    help: 'Uploads scanned by clamd, by verdict: clean, infected, error',
    labelNames: ['verdict'],
  }),
  makeHistogramProvider({
    name: VERDICT_SECONDS,
    help: 'Time from an upload’s last byte to clamd’s verdict',
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
  }),
];

@Injectable()
export class VirusScanMetrics implements OnModuleInit {
  constructor(
    @InjectMetric(VERDICTS_TOTAL) private readonly verdicts: Counter<'verdict'>,
    @InjectMetric(VERDICT_SECONDS) private readonly verdictSeconds: Histogram,
  ) {}

  /** Every verdict starts at 0, so the first infected upload is an increase alerts can see. */
  onModuleInit(): void {
    for (const verdict of SCAN_VERDICTS) this.verdicts.inc({ verdict }, 0);
  }

  count(verdict: ScanVerdictLabel): void {
    this.verdicts.inc({ verdict });
  }

  /** Starts timing the wait for a verdict; call the result when it arrives. */
  verdictTimer(): () => void {
    return this.verdictSeconds.startTimer();
  }
}
