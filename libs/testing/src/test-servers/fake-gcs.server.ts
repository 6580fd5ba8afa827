import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ensureGoTool, type EnsureGoToolOptions } from './go-tool';
import { freeLoopbackPort, LOOPBACK, ServerProcess } from './server-process';

export const FAKE_GCS_VERSION = 'v1.56.1';
const READY_TIMEOUT_MS = 30_000;

export interface FakeGcsStartOptions {
  /** Holds the data folder and the log. */
  workDir: string;
  bucket: string;
  log?: (msg: string) => void;
}

export function ensureFakeGcsBinary(options: EnsureGoToolOptions = {}): Promise<string> {
  return ensureGoTool(
    'fake-gcs-server',
    'github.com/fsouza/fake-gcs-server',
    FAKE_GCS_VERSION,
    options,
  );
}

/** fake-gcs-server over plain http on a free loopback port, with a fresh bucket: the tests' GCS. */
export class FakeGcsServer {
  private constructor(
    private readonly process: ServerProcess,
    /** What GCS_API_ENDPOINT is set to; the JSON API lives under /storage/v1. */
    readonly endpoint: string,
    readonly bucket: string,
  ) {}

  static async start(options: FakeGcsStartOptions): Promise<FakeGcsServer> {
    const binary = await ensureFakeGcsBinary({ log: options.log });
    const dataDir = path.join(options.workDir, 'data');
    await mkdir(dataDir, { recursive: true });
    const port = await freeLoopbackPort();
    const endpoint = `http://${LOOPBACK}:${port}`;

    const server = ServerProcess.spawn({
      name: 'fake-gcs-server',
      binary,
      args: [
        '-scheme',
        'http',
        '-host',
        LOOPBACK,
        '-port',
        String(port),
        '-backend',
        'filesystem',
        '-filesystem-root',
        dataDir,
        // Upload and download URLs it hands out must point back at this port, not at :4443.
        '-public-host',
        `${LOOPBACK}:${port}`,
        '-external-url',
        endpoint,
        '-log-level',
        'warn',
      ],
      logFile: path.join(options.workDir, 'fake-gcs-server.log'),
    });
    try {
      await server.waitUntilReady(async () => {
        const response = await fetch(`${endpoint}/storage/v1/b`);
        return response.ok;
      }, READY_TIMEOUT_MS);
      const created = await fetch(`${endpoint}/storage/v1/b?project=strongroom-test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: options.bucket }),
      });
      if (!created.ok) {
        throw new Error(
          `fake-gcs-server refused to create bucket ${options.bucket}: HTTP ${created.status} ${await created.text()}`,
        );
      }
    } catch (error) {
      await server.stop();
      throw error;
    }
    return new FakeGcsServer(server, endpoint, options.bucket);
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
