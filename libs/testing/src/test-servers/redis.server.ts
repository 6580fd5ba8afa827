import { existsSync } from 'node:fs';
import path from 'node:path';
import { freeLoopbackPort, LOOPBACK, ServerProcess, tcpReplyStartsWith } from './server-process';

const REDIS_SERVER = '/usr/bin/redis-server';
const READY_TIMEOUT_MS = 15_000;

export interface RedisStartOptions {
  /** Holds the log (and is Redis' working folder, though nothing is persisted). */
  workDir: string;
  /** A fixed port, e.g. to restart Redis where a client expects it; by default a free one. */
  port?: number;
}

/** Debian's redis-server on loopback, without persistence: the tests' shared rate-limit store. */
export class RedisServer {
  private constructor(
    private readonly process: ServerProcess,
    readonly port: number,
  ) {}

  /** What REDIS_URL is set to. */
  get url(): string {
    return `redis://${LOOPBACK}:${this.port}`;
  }

  static async start(options: RedisStartOptions): Promise<RedisServer> {
    if (!existsSync(REDIS_SERVER)) {
      throw new Error(`${REDIS_SERVER} is missing: install the Debian package redis-server`);
    }
    const port = options.port ?? (await freeLoopbackPort());
    const server = ServerProcess.spawn({
      name: 'redis-server',
      binary: REDIS_SERVER,
      args: [
        '--bind',
        LOOPBACK,
        '--port',
        String(port),
        '--dir',
        options.workDir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--loglevel',
        'warning',
      ],
      logFile: path.join(options.workDir, 'redis-server.log'),
    });
    // An inline PING: Redis reads plain text lines too.
    await server.waitUntilReady(
      () => tcpReplyStartsWith(port, 'PING\r\n', '+PONG'),
      READY_TIMEOUT_MS,
    );
    return new RedisServer(server, port);
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
