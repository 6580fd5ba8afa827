import type { Bucket } from '@google-cloud/storage';
import type { ObjectLock } from '../storage.port';
import { translateGcsError } from './gcs-errors';

/** Custom metadata naming the retention date; GCS object retention needs a bucket set up for it. */
export const RETAIN_UNTIL_METADATA = 'strongroom-retain-until';
/** Custom metadata mirroring the hold, readable where temporary holds are not (emulators). */
export const LEGAL_HOLD_METADATA = 'strongroom-legal-hold';

/**
 * Holds on GCS objects: a legal hold is the object's temporary hold, which GCS enforces (deletes
 * are refused while it is on; fake-gcs-server stores it but does not enforce it, so the app's
 * deletion guard is what the tests rely on). The hold and the retention date are also written to
 * the object's custom metadata, for operators and emulators to see.
 */
export class GcsObjectLock implements ObjectLock {
  constructor(private readonly bucket: Bucket) {}

  async setLegalHold(key: string, on: boolean): Promise<void> {
    try {
      await this.bucket.file(key).setMetadata({
        temporaryHold: on,
        metadata: { [LEGAL_HOLD_METADATA]: on ? 'on' : 'off' },
      });
    } catch (error) {
      throw translateGcsError(error, key);
    }
  }

  async retainUntil(key: string, until: Date): Promise<void> {
    try {
      await this.bucket
        .file(key)
        .setMetadata({ metadata: { [RETAIN_UNTIL_METADATA]: until.toISOString() } });
    } catch (error) {
      throw translateGcsError(error, key);
    }
  }
}
