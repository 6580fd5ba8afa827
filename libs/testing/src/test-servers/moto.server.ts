import path from 'node:path';
import { freeLoopbackPort, LOOPBACK, ServerProcess } from './server-process';

const READY_TIMEOUT_MS = 30_000;

export interface MotoStartOptions {
  /** The Python of a venv with `moto[server]` (test/support/python-tools.ts installs it). */
  python: string;
  /** Holds the log. */
  workDir: string;
  /** A fixed port, to start it again where the application expects it; by default a free one. */
  port?: number;
}

/**
 * moto_server on loopback: AWS's APIs in memory, here for KMS, which it implements with its
 * encryption context enforced. Any credentials are accepted. Its keys live only as long as the
 * process: a restart on the same port is an empty KMS.
 */
export class MotoServer {
  private constructor(
    private readonly process: ServerProcess,
    readonly port: number,
  ) {}

  /** What AWS_KMS_ENDPOINT is set to. */
  get endpoint(): string {
    return `http://${LOOPBACK}:${this.port}`;
  }

  static async start(options: MotoStartOptions): Promise<MotoServer> {
    const port = options.port ?? (await freeLoopbackPort());
    const server = ServerProcess.spawn({
      name: 'moto_server',
      binary: options.python,
      args: ['-m', 'moto.server', '-H', LOOPBACK, '-p', String(port)],
      logFile: path.join(options.workDir, 'moto.log'),
    });
    try {
      await server.waitUntilReady(
        async () => (await fetch(`http://${LOOPBACK}:${port}/moto-api/`)).ok,
        READY_TIMEOUT_MS,
      );
    } catch (error) {
      await server.stop();
      throw error;
    }
    return new MotoServer(server, port);
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
