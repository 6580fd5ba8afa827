import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { testS3Server } from '@strongroom/testing';

/** An S3 client with the root credentials of the MinIO the global setup started. */
export function testS3Client(): S3Client {
  const server = testS3Server();
  return new S3Client({
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKey, secretAccessKey: server.secretKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A fresh bucket with S3 Object Lock (hence versioning) on the test MinIO; returns its name. */
export async function createObjectLockBucket(label: string): Promise<string> {
  const bucket = `${label}-${process.pid}-${Date.now().toString(36)}`.toLowerCase();
  const client = testS3Client();
  try {
    await client.send(
      new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }),
    );
  } finally {
    client.destroy();
  }
  return bucket;
}
