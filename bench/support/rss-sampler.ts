/** Samples a process's resident set size (VmRSS in /proc/<pid>/status) at a fixed interval. */
import { readFileSync } from 'node:fs';

export const RSS_SAMPLE_INTERVAL_MS = 50;

/** VmRSS in bytes, or undefined when the process is gone or /proc is not there. */
export function readRss(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface RssPeak {
  /** RSS when sampling started: the idle level before the transfer. */
  idle: number;
  peak: number;
  /** peak − idle, never negative. */
  growth: number;
  samples: number;
}

export interface RssSampler {
  stop(): RssPeak;
}

/**
 * Starts sampling now; stop() takes a last sample. Growth is over `reference` when given (a
 * fixed idle level), else over the first sample.
 */
export function sampleRss(
  pid: number,
  intervalMs = RSS_SAMPLE_INTERVAL_MS,
  reference?: number,
): RssSampler {
  const idle = reference ?? readRss(pid);
  if (idle === undefined) throw new Error(`cannot read /proc/${pid}/status (VmRSS)`);
  let peak = idle;
  let samples = 1;
  const take = () => {
    const rss = readRss(pid);
    if (rss === undefined) return;
    samples++;
    if (rss > peak) peak = rss;
  };
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { idle, peak, growth: Math.max(0, peak - idle), samples };
    },
  };
}

/**
 * The process's RSS once it has stopped falling (garbage of earlier work collected, freed memory
 * returned): read every `stepMs` until two reads differ by less than 1 MiB, for at most `maxMs`.
 */
export async function settledRss(pid: number, stepMs = 500, maxMs = 10_000): Promise<number> {
  const first = readRss(pid);
  if (first === undefined) throw new Error(`cannot read /proc/${pid}/status (VmRSS)`);
  let last: number = first;
  for (let waited = 0; waited < maxMs; waited += stepMs) {
    await new Promise((resolve) => setTimeout(resolve, stepMs));
    const now: number = readRss(pid) ?? last;
    if (Math.abs(now - last) < 1024 * 1024) return now;
    last = now;
  }
  return last;
}
