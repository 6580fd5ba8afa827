import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ensureEmbeddedDbBinary } from './embedded-db-binary';

export interface EmbeddedDbStartOptions {
  dataDir: string;
  /** A free loopback port is picked when omitted. */
  port?: number;
  /** Where the server's stdout and stderr are appended; defaults to `<dataDir>/embedded-db.log`. */
  logFile?: string;
  log?: (msg: string) => void;
}

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
const LOG_TAIL_LINES = 20;

/** Children still running, killed if this process exits without stopping them. */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function trackChild(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const running of liveChildren) running.kill('SIGKILL');
    });
  }
  liveChildren.add(child);
}

interface Run {
  child: ChildProcess;
  exited: Promise<void>;
  hasExited: boolean;
  stopping?: Promise<void>;
}

/** A FerretDB (SQLite backend) server on loopback, for development and tests. */
export class EmbeddedDbProcess {
  private run: Run | undefined;

  private constructor(
    private readonly binary: string,
    readonly port: number,
    readonly dataDir: string,
    readonly logFile: string,
  ) {}

  static async start(options: EmbeddedDbStartOptions): Promise<EmbeddedDbProcess> {
    const binary = await ensureEmbeddedDbBinary({ log: options.log });
    const dataDir = path.resolve(options.dataDir);
    const logFile = path.resolve(options.logFile ?? path.join(dataDir, 'embedded-db.log'));
    const port = options.port ?? (await freeLoopbackPort());
    const db = new EmbeddedDbProcess(binary, port, dataDir, logFile);
    await db.spawn();
    return db;
  }

  get url(): string {
    return `mongodb://${HOST}:${this.port}/`;
  }

  /** The pid of the current server process; changes on restart(). */
  get pid(): number | undefined {
    return this.run?.child.pid;
  }

  /** SIGTERM, then SIGKILL if still running after 5 s; resolves once the process has exited. */
  stop(): Promise<void> {
    const run = this.run;
    if (!run || run.hasExited) return Promise.resolve();
    run.stopping ??= (async () => {
      run.child.kill('SIGTERM');
      const timer = setTimeout(() => run.child.kill('SIGKILL'), STOP_GRACE_MS);
      try {
        await run.exited;
      } finally {
        clearTimeout(timer);
      }
    })();
    return run.stopping;
  }

  /** SIGKILL, to simulate a crash; resolves once the process has exited. */
  kill(): Promise<void> {
    const run = this.run;
    if (!run || run.hasExited) return Promise.resolve();
    run.child.kill('SIGKILL');
    return run.exited;
  }

  /** Starts the server again on the same port and data folder, stopping it first if running. */
  async restart(): Promise<void> {
    await this.stop();
    await this.spawn();
  }

  private async spawn(): Promise<void> {
    try {
      mkdirSync(path.dirname(this.logFile), { recursive: true });
    } catch (err) {
      throw new Error(
        `embedded-db: cannot create the folder for ${this.logFile}: ${(err as Error).message}`,
      );
    }
    const logFd = openSync(this.logFile, 'a');
    const logStart = statSync(this.logFile).size;

    // The server exits when its standard input closes, which the kernel does when this process
    // dies in any way, SIGKILL included: a database never outlives its launcher.
    const child = spawn(
      this.binary,
      [
        '-port',
        String(this.port),
        '-data',
        this.dataDir,
        '-log-level',
        'warn',
        '-exit-on-stdin-eof',
      ],
      { stdio: ['pipe', 'pipe', logFd] },
    );
    trackChild(child);

    const run: Run = { child, hasExited: false, exited: Promise.resolve() };
    let onExit: (reason: string) => void = () => undefined;
    run.exited = new Promise<void>((resolve) => {
      let done = false;
      const finish = (reason: string) => {
        if (done) return;
        done = true;
        run.hasExited = true;
        liveChildren.delete(child);
        closeSync(logFd);
        onExit(reason);
        resolve();
      };
      child.on('error', (err) => finish(`could not be started: ${err.message}`));
      child.on('close', (code, signal) =>
        finish(signal ? `was killed by ${signal}` : `exited with code ${code}`),
      );
    });
    this.run = run;

    const readyLine = `embedded-db ready on ${HOST}:${this.port}`;
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      let buffered = '';
      const fail = (reason: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const tail = readLogTail(this.logFile, logStart);
        reject(
          new Error(
            `embedded-db on port ${this.port} (data ${this.dataDir}) ${reason} before it was ready` +
              (tail ? `; last lines of ${this.logFile}:\n${tail}` : `; see ${this.logFile}`),
          ),
        );
      };
      const timer = setTimeout(() => {
        fail(`did not start within ${READY_TIMEOUT_MS / 1000} s`);
        child.kill('SIGKILL');
      }, READY_TIMEOUT_MS);
      onExit = fail;

      child.stdout?.on('data', (chunk: Buffer) => {
        writeSync(logFd, chunk);
        if (settled) return;
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        if (lines.some((line) => line.trim() === readyLine)) {
          settled = true;
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function readLogTail(file: string, from: number): string {
  try {
    return readFileSync(file)
      .subarray(from)
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .slice(-LOG_TAIL_LINES)
      .join('\n');
  } catch {
    return '';
  }
}
