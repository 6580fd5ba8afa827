/**
 * A server process's resident memory and open file descriptors over a long run, sampled from
 * /proc/<pid> at a fixed interval, with the least-squares slope of each: what grows steadily
 * under a constant load is a leak, what only jumps and settles is not.
 */
import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { readRss } from './rss-sampler';

export interface ProcSample {
  /** Milliseconds since sampling began. */
  atMs: number;
  rssBytes: number;
  fds: number;
}

/** Entries of /proc/<pid>/fd: sockets, files, pipes, epoll, … ; undefined when the process is gone. */
export function openFds(pid: number): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}

export interface ProcSampler {
  readonly samples: readonly ProcSample[];
  stop(): void;
}

export function sampleProc(pid: number, intervalMs: number): ProcSampler {
  const started = performance.now();
  const samples: ProcSample[] = [];
  const take = () => {
    const rssBytes = readRss(pid);
    const fds = openFds(pid);
    if (rssBytes === undefined || fds === undefined) return;
    samples.push({ atMs: performance.now() - started, rssBytes, fds });
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    samples,
    stop: () => clearInterval(timer),
  };
}

/** The least-squares slope of `y` over `x`; 0 with fewer than two distinct x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.x - meanX) * (p.y - meanY);
    variance += (p.x - meanX) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

/**
 * The lowest point of each `window` of x, placed at the window's middle. Memory held by work in
 * flight (a download's buffers, an upload's chunks) comes and goes within seconds and lifts only
 * some samples; what a leak keeps lifts every sample after it, so it lifts these floors too.
 */
export function floors(
  points: readonly { x: number; y: number }[],
  window: number,
): { x: number; y: number }[] {
  if (points.length === 0) return [];
  const first = points[0].x;
  // Only whole windows: a short last one has fewer samples, so its lowest point sits higher.
  const whole = Math.floor((points[points.length - 1].x - first) / window);
  const lowest = new Map<number, number>();
  for (const p of points) {
    const index = Math.floor((p.x - first) / window);
    if (index < whole) lowest.set(index, Math.min(lowest.get(index) ?? Infinity, p.y));
  }
  return [...lowest].map(([index, y]) => ({ x: first + (index + 0.5) * window, y }));
}
