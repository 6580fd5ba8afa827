import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { ensureGoTool, type EnsureGoToolOptions } from './go-tool';
import { freeLoopbackPort, LOOPBACK, ServerProcess } from './server-process';

/** MinIO publishes no Go-module release tags; this is master as of 2026-02-12 (the last commit). */
export const MINIO_VERSION = 'v0.0.0-20260212201848-7aac2a2c5b7c';
const READY_TIMEOUT_MS = 60_000;

export interface MinioStartOptions {
  /** Holds the data folder and the log. */
  workDir: string;
  bucket: string;
  log?: (msg: string) => void;
}

export function ensureMinioBinary(options: EnsureGoToolOptions = {}): Promise<string> {
  return ensureGoTool('minio', 'github.com/minio/minio', MINIO_VERSION, options);
}

/** A single-drive MinIO on a free loopback port with a fresh bucket: the S3 the tests talk to. */
export class MinioServer {
  readonly region = 'us-east-1';

  private constructor(
    private readonly process: ServerProcess,
    readonly endpoint: string,
    readonly bucket: string,
    readonly accessKey: string,
    readonly secretKey: string,
  ) {}

  /** MinIO's own pid: what a benchmark charges the server side's CPU to. */
  get pid(): number {
    return this.process.pid;
  }

  static async start(options: MinioStartOptions): Promise<MinioServer> {
    const binary = await ensureMinioBinary({ log: options.log });
    const dataDir = path.join(options.workDir, 'data');
    await mkdir(dataDir, { recursive: true });
    const [port, consolePort] = [await freeLoopbackPort(), await freeLoopbackPort()];
    const endpoint = `http://${LOOPBACK}:${port}`;
    const accessKey = 'strongroom-test';
    const secretKey = randomBytes(18).toString('base64url');

    const server = ServerProcess.spawn({
      name: 'minio',
      binary,
      args: [
        'server',
        dataDir,
        '--address',
        `${LOOPBACK}:${port}`,
        '--console-address',
        `${LOOPBACK}:${consolePort}`,
        '--quiet',
      ],
      env: {
        MINIO_ROOT_USER: accessKey,
        MINIO_ROOT_PASSWORD: secretKey,
        MINIO_BROWSER: 'off',
        MINIO_UPDATE: 'off',
      },
      logFile: path.join(options.workDir, 'minio.log'),
    });
    const minio = new MinioServer(server, endpoint, options.bucket, accessKey, secretKey);
    try {
      await server.waitUntilReady(async () => {
        const response = await fetch(`${endpoint}/minio/health/live`);
        return response.ok;
      }, READY_TIMEOUT_MS);
      const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
      const client = await minio.client();
      try {
        await client.send(new CreateBucketCommand({ Bucket: options.bucket }));
      } finally {
        client.destroy();
      }
    } catch (error) {
      await server.stop();
      throw error;
    }
    return minio;
  }

  /**
   * An S3 client with the root credentials, for checks the StorageProvider does not offer. The SDK
   * is loaded on demand: the benchmark's server imports this library, and should not carry it.
   */
  async client(): Promise<S3Client> {
    const { S3Client } = await import('@aws-sdk/client-s3');
    return new S3Client({
      region: this.region,
      endpoint: this.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: this.accessKey, secretAccessKey: this.secretKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
