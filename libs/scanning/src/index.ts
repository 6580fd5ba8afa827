export { ScanningModule } from './scanning.module';
export { VirusScanner } from './virus-scanner.service';
export type { UploadScan, ScannedUpload } from './upload-scan';
export { UploadInfectedException } from './upload-infected.exception';
export { ClamdClient, ClamdInstream, type ClamdEndpoint } from './clamd.client';
export { ClamdError, parseScanReply, type ClamdVerdict } from './clamd-reply';
