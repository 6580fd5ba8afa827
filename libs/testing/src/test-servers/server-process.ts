import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { createInterface } from 'node:readline';

export const LOOPBACK = '127.0.0.1';
const STOP_GRACE_MS = 5_000;
const POLL_INTERVAL_MS = 100;
const PROBE_TIMEOUT_MS = 1_000;
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
  args: readonly string[];
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Receives the server's stdout and stderr. */
  logFile: string;
  /**
   * Runs the server in a process group of its own, so a Ctrl-C in the terminal reaches only the
   * parent, which then stops its servers in order (the benchmarks).
   */
  ownProcessGroup?: boolean;
  /** Called with each line the server prints on stdout; the lines still go to the log. */
  onStdoutLine?: (line: string) => void;
  /** How long stop() waits after SIGTERM before it sends SIGKILL; 5 s by default. */
  stopGraceMs?: number;
}

/** A server run for the tests or benchmarks: started on loopback, stopped with SIGTERM then SIGKILL. */
export class ServerProcess {
  private readonly exited: Promise<void>;
  private exitReason: string | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly name: string,
    readonly logFile: string,
    private readonly stopGraceMs: number,
  ) {
    this.exited = new Promise((resolve) => {
      const finish = (reason: string) => {
        if (this.exitReason !== undefined) return;
        this.exitReason = reason;
        live.delete(child);
        resolve();
      };
      child.once('error', (err) => finish(`could not be started: ${err.message}`));
      // 'exit', not 'close': a piped stdout may stay open in a grandchild the server left behind.
      child.once('exit', (code, signal) =>
        finish(signal ? `was killed by ${signal}` : `exited with code ${code}`),
      );
    });
  }

  static spawn(options: ServerProcessOptions): ServerProcess {
    const logFd = openSync(options.logFile, 'a');
    const useSetpriv = process.platform === 'linux' && existsSync(SETPRIV);
    const [command, args] = useSetpriv
      ? [SETPRIV, ['--pdeathsig', 'KILL', '--', options.binary, ...options.args]]
      : [options.binary, [...options.args]];
    try {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', options.onStdoutLine ? 'pipe' : logFd, logFd],
        detached: options.ownProcessGroup ?? false,
      });
      trackChild(child);
      if (options.onStdoutLine) copyLines(child, options.logFile, options.onStdoutLine);
      return new ServerProcess(
        child,
        options.name,
        options.logFile,
        options.stopGraceMs ?? STOP_GRACE_MS,
      );
    } finally {
      closeSync(logFd);
    }
  }

  /** setpriv execs the server, so this is the server's own pid. */
  get pid(): number {
    if (this.child.pid === undefined) throw this.failure(this.exitReason ?? 'has no pid');
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

  /** SIGTERM, then SIGKILL if still running after the grace period; resolves once it has exited. */
  stop(): Promise<void> {
    if (this.exitReason !== undefined) return Promise.resolve();
    this.stopping ??= (async () => {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), this.stopGraceMs);
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

/** Hands each stdout line to `onLine` and appends it to the log. */
function copyLines(child: ChildProcess, logFile: string, onLine: (line: string) => void): void {
  if (!child.stdout) return;
  const log = createWriteStream(logFile, { flags: 'a' });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    log.write(`${line}\n`);
    onLine(line);
  });
  lines.once('close', () => log.end());
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

/**
 * Whether a loopback TCP server answers `request` with a reply that starts with `expected`: the
 * readiness probe for servers with a line protocol (Redis, clamd), no client library needed.
 */
export function tcpReplyStartsWith(
  port: number,
  request: string,
  expected: string,
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, LOOPBACK);
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (reply.length >= expected.length) done(reply.startsWith(expected));
    });
    socket.on('close', () => done(reply.startsWith(expected)));
  });
}

function readTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
  } catch {
    return '';
  }
}
