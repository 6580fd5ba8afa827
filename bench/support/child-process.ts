/**
 * Child processes of a benchmark (our server, the baseline servers, nginx): spawned in their own
 * process group (Ctrl-C reaches only the benchmark, which then stops them in order), tied to the
 * benchmark's life with setpriv's parent-death signal, logged to a file, stopped SIGTERM→SIGKILL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, openSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** util-linux's setpriv asks the kernel to kill the child when the benchmark dies, even by SIGKILL. */
const SETPRIV = '/usr/bin/setpriv';
const STOP_GRACE_MS = 10_000;
const POLL_INTERVAL_MS = 100;
const LOG_TAIL_LINES = 30;

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

export interface BenchChildOptions {
  /** Used in messages, e.g. `strongroom (local)`. */
  name: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Receives the child's stdout and stderr. */
  logFile: string;
}

/** What a child prints as one JSON line on stdout once it serves: `{"ready":true,"port":…,"pid":…}`. */
export interface ReadyLine {
  ready: true;
  port: number;
  pid: number;
}

export class BenchChild {
  private exitReason: string | undefined;
  private readonly exited: Promise<void>;
  private stopping: Promise<void> | undefined;
  private readonly readyLine: Promise<ReadyLine>;

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
      child.once('exit', (code, signal) =>
        finish(signal ? `was killed by ${signal}` : `exited with code ${code}`),
      );
    });
    const log = createWriteStream(logFile, { flags: 'a' });
    this.readyLine = new Promise((resolve) => {
      if (!child.stdout) return;
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        log.write(`${line}\n`);
        const ready = parseReadyLine(line);
        if (ready) resolve(ready);
      });
      lines.once('close', () => log.end());
    });
  }

  static spawn(options: BenchChildOptions): BenchChild {
    const logFd = openSync(options.logFile, 'a');
    const useSetpriv = process.platform === 'linux' && existsSync(SETPRIV);
    const [command, args] = useSetpriv
      ? [SETPRIV, ['--pdeathsig', 'KILL', '--', options.command, ...options.args]]
      : [options.command, [...options.args]];
    try {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env, // undefined: this process's environment
        stdio: ['ignore', 'pipe', logFd],
        detached: true,
      });
      trackChild(child);
      return new BenchChild(child, options.name, options.logFile);
    } finally {
      closeSync(logFd);
    }
  }

  /** setpriv execs the command, so this is the command's own pid. */
  get pid(): number {
    if (this.child.pid === undefined) throw this.failure(this.exitReason ?? 'has no pid');
    return this.child.pid;
  }

  /** The child's ready line; fails early, with the log's tail, if it exits or takes too long. */
  async waitForReady(timeoutMs: number): Promise<ReadyLine> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(this.failure(`did not report ready within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
    });
    const died = this.exited.then(() => {
      throw this.failure(this.exitReason ?? 'exited');
    });
    try {
      return await Promise.race([this.readyLine, died, timedOut]);
    } catch (error) {
      await this.stop();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Polls `probe` until it resolves true, for children that print no ready line (nginx). */
  async waitUntil(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
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

  /** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
  stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (this.exitReason !== undefined) return Promise.resolve();
    this.stopping ??= (async () => {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
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

function parseReadyLine(line: string): ReadyLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as Partial<ReadyLine>;
    return parsed.ready === true &&
      typeof parsed.port === 'number' &&
      typeof parsed.pid === 'number'
      ? (parsed as ReadyLine)
      : undefined;
  } catch {
    return undefined;
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

function readTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
  } catch {
    return '';
  }
}

/** Prints the ready line; for the children's own use. */
export function announceReady(port: number): void {
  const line: ReadyLine = { ready: true, port, pid: process.pid };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
