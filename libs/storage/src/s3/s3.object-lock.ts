import {
  DeleteObjectCommand,
  ListObjectVersionsCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectLock } from '../storage.port';
import { translateS3Error } from './s3-errors';

/**
 * S3 Object Lock on a bucket created with it (which is versioned). Retention is GOVERNANCE mode:
 * the app cannot delete before the date, while an operator with s3:BypassGovernanceRetention can
 * still correct a mistaken rule, which COMPLIANCE mode would forbid for ever.
 */
export class S3ObjectLock implements ObjectLock {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async setLegalHold(key: string, on: boolean): Promise<void> {
    try {
      await this.client.send(
        new PutObjectLegalHoldCommand({
          Bucket: this.bucket,
          Key: key,
          LegalHold: { Status: on ? 'ON' : 'OFF' },
        }),
      );
    } catch (error) {
      throw translateS3Error(error, key);
    }
  }

  async retainUntil(key: string, until: Date): Promise<void> {
    try {
      await this.client.send(
        new PutObjectRetentionCommand({
          Bucket: this.bucket,
          Key: key,
          Retention: { Mode: 'GOVERNANCE', RetainUntilDate: until },
        }),
      );
    } catch (error) {
      throw translateS3Error(error, key);
    }
  }

  /**
   * In a versioned bucket a plain DELETE only adds a delete marker and always succeeds, so the
   * bytes would stay and a hold would never be tested. Deleting every version of the key is what
   * removes them, and what the bucket refuses while one is held or retained.
   */
  async deleteEveryVersion(key: string): Promise<void> {
    try {
      let keyMarker: string | undefined;
      let versionMarker: string | undefined;
      do {
        const page = await this.client.send(
          new ListObjectVersionsCommand({
            Bucket: this.bucket,
            Prefix: key,
            KeyMarker: keyMarker,
            VersionIdMarker: versionMarker,
          }),
        );
        const versions = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])];
        for (const version of versions) {
          if (version.Key !== key) continue;
          await this.client.send(
            new DeleteObjectCommand({
              Bucket: this.bucket,
              Key: key,
              VersionId: version.VersionId,
            }),
          );
        }
        [keyMarker, versionMarker] = page.IsTruncated
          ? [page.NextKeyMarker, page.NextVersionIdMarker]
          : [undefined, undefined];
      } while (keyMarker);
    } catch (error) {
      throw translateS3Error(error, key, { deleting: true });
    }
  }
}
