import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import net from 'node:net';

export const LOOPBACK = '127.0.0.1';
const STOP_GRACE_MS = 5_000;
const POLL_INTERVAL_MS = 100;
const LOG_TAIL_LINES = 20;
/** util-linux's setpriv asks the kernel to kill the server when its parent dies, even by SIGKILL. */
const SETPRIV = '/usr/bin/setpriv';

/** Servers still running, killed if this process exits without stopping them. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

export interface ServerProcessOptions {
  /** Name used in messages, e.g. `minio`. */
  name: string;
  binary: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Receives the server's stdout and stderr. */
  logFile: string;
}

/** A third-party server run for the tests: started on loopback, stopped with SIGTERM then SIGKILL. */
export class ServerProcess {
  private readonly exited: Promise<void>;
  private exitReason: string | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly name: string,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => {
      const finish = (reason: string) => {
        if (this.exitReason !== undefined) return;
        this.exitReason = reason;
        live.delete(child);
        resolve();
      };
      child.once('error', (err) => finish(`could not be started: ${err.message}`));
      child.once('close', (code, signal) =>
        finish(signal ? `was killed by ${signal}` : `exited with code ${code}`),
      );
    });
  }

  static spawn(options: ServerProcessOptions): ServerProcess {
    const logFd = openSync(options.logFile, 'a');
    const useSetpriv = process.platform === 'linux' && existsSync(SETPRIV);
    const [command, args] = useSetpriv
      ? [SETPRIV, ['--pdeathsig', 'KILL', '--', options.binary, ...options.args]]
      : [options.binary, options.args];
    try {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', logFd, logFd],
      });
      trackChild(child);
      return new ServerProcess(child, options.name, options.logFile);
    } finally {
      closeSync(logFd);
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Polls `probe` until it resolves true; fails early, with the log's tail, if the server dies. */
  async waitUntilReady(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exitReason !== undefined) throw this.failure(this.exitReason);
      if (await probe().catch(() => false)) return;
      if (Date.now() > deadline) {
        await this.stop();
        throw this.failure(`did not answer within ${timeoutMs / 1000} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }

  /** SIGTERM, then SIGKILL if still running after 5 s; resolves once the process has exited. */
  stop(): Promise<void> {
    if (this.exitReason !== undefined) return Promise.resolve();
    this.stopping ??= (async () => {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
      try {
        await this.exited;
      } finally {
        clearTimeout(timer);
      }
    })();
    return this.stopping;
  }

  private failure(reason: string): Error {
    const tail = readTail(this.logFile);
    return new Error(
      `${this.name} ${reason}` +
        (tail ? `; last lines of ${this.logFile}:\n${tail}` : `; see ${this.logFile}`),
    );
  }
}

function trackChild(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const running of live) running.kill('SIGKILL');
    });
  }
  live.add(child);
}

/** A port nobody listens on right now; also what the "unavailable" tests point adapters at. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, LOOPBACK, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function readTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
  } catch {
    return '';
  }
}
