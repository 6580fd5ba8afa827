import { Module } from '@nestjs/common';
import { VIRUS_SCAN_METRIC_PROVIDERS, VirusScanMetrics } from './virus-scan.metrics';
import { VirusScanner } from './virus-scanner.service';

@Module({
  providers: [VirusScanner, VirusScanMetrics, ...VIRUS_SCAN_METRIC_PROVIDERS],
  exports: [VirusScanner],
})
export class ScanningModule {}
