import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freeLoopbackPort, LOOPBACK, ServerProcess } from './server-process';

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
    await server.waitUntilReady(() => answersPing(port), READY_TIMEOUT_MS);
    return new RedisServer(server, port);
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}

/** One inline PING over a plain socket: no client library needed to know Redis is up. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, LOOPBACK);
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
