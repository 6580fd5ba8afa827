/**
 * Child processes of a benchmark (our server, the baseline servers, nginx): the tests'
 * ServerProcess, run in their own process group (Ctrl-C reaches only the benchmark, which then
 * stops them in order) with a longer stop grace. Our own children announce themselves with one
 * JSON line on stdout.
 */
import { readFile } from 'node:fs/promises';
import { ServerProcess, type ServerProcessOptions } from '@strongroom/testing';

const STOP_GRACE_MS = 10_000;

export type BenchChildOptions = Omit<ServerProcessOptions, 'ownProcessGroup' | 'stopGraceMs'>;

/** What a child prints as one JSON line on stdout once it serves: `{"ready":true,"port":…,"pid":…}`. */
export interface ReadyLine {
  ready: true;
  port: number;
  pid: number;
}

export interface ReadyChild {
  child: ServerProcess;
  ready: ReadyLine;
}

export function spawnBenchChild(options: BenchChildOptions): ServerProcess {
  return ServerProcess.spawn({ ...options, ownProcessGroup: true, stopGraceMs: STOP_GRACE_MS });
}

/**
 * Spawns a child that prints a ready line and waits for that line; fails if it dies first. The
 * child's stdout goes straight to its log file, as a deployment's goes to its log collector: read
 * through a pipe by this process, which is also the client generating the load, every log line
 * would cost the client time, and a full pipe would stall the server's synchronous writes.
 */
export async function spawnReadyChild(
  options: Omit<BenchChildOptions, 'onStdoutLine'>,
  timeoutMs: number,
): Promise<ReadyChild> {
  let ready: ReadyLine | undefined;
  const child = spawnBenchChild(options);
  await child.waitUntilReady(async () => {
    ready = await readyLineIn(options.logFile, child.pid);
    return ready !== undefined;
  }, timeoutMs);
  if (!ready) throw new Error(`${options.name} reported no ready line`);
  return { child, ready };
}

/** This child's ready line: a log file may hold an earlier child's, appended to. */
async function readyLineIn(logFile: string, pid: number): Promise<ReadyLine | undefined> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .map(parseReadyLine)
    .find((ready) => ready?.pid === pid);
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

/** Prints the ready line; for the children's own use. */
export function announceReady(port: number): void {
  const line: ReadyLine = { ready: true, port, pid: process.pid };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
