/**
 * The S3 side of the transfer benchmark: a MinIO started through libs/testing, the environment
 * that points a Strongroom server at it, and the bare baseline, @aws-sdk/lib-storage's `Upload`
 * with its defaults, sending the same bytes to the same bucket.
 */
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { MINIO_VERSION, MinioServer } from '@strongroom/testing';

const BUCKET = 'strongroom-bench';

export interface S3Target {
  description: string;
  /** MinIO's pid, to count its CPU. */
  pid: number;
  /** What a Strongroom server needs in its environment to store in this bucket. */
  serverEnv: NodeJS.ProcessEnv;
  /** The baseline: lib-storage's Upload, default part size and queue, no hashing. */
  uploadBare(key: string, body: Readable): Promise<void>;
  sizeOf(key: string): Promise<number | undefined>;
  remove(key: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startS3Target(
  workDir: string,
  log: (msg: string) => void,
): Promise<S3Target> {
  const minio = await MinioServer.start({ workDir, bucket: BUCKET, log });
  const client: S3Client = await minio.client();
  return {
    description: `MinIO ${MINIO_VERSION} on ${new URL(minio.endpoint).host}, bucket ${BUCKET}`,
    pid: minio.pid,
    serverEnv: {
      STORAGE_DRIVER: 's3',
      S3_BUCKET: minio.bucket,
      S3_REGION: minio.region,
      S3_ENDPOINT: minio.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: minio.accessKey,
      AWS_SECRET_ACCESS_KEY: minio.secretKey,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    async uploadBare(key, body) {
      await new Upload({ client, params: { Bucket: minio.bucket, Key: key, Body: body } }).done();
    },
    async sizeOf(key) {
      const head = await client.send(new HeadObjectCommand({ Bucket: minio.bucket, Key: key }));
      return head.ContentLength;
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: minio.bucket, Key: key }));
    },
    async stop() {
      client.destroy();
      await minio.stop();
    },
  };
}
