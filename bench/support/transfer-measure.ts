/**
 * What the transfer benchmarks share to time a transfer and judge it: samples per contender,
 * the measurement around one transfer (throughput, server RSS growth, server CPU per GiB), the
 * rotation of contenders from round to round, paired ratios and MET/MISSED verdicts.
 */
import { statfs } from 'node:fs/promises';
import { median, ratio } from '../stats';
import { readCpuSeconds } from './cpu-time';
import { profileClockUs, type ProfileWindow } from './cpu-profile';
import type { Served } from './our-server';
import { type RssPeak, sampleRss } from './rss-sampler';

export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;

/** Every sample of one contender in one scenario, aligned by round. */
export class Samples {
  readonly mbPerSecond: number[] = [];
  readonly rssGrowth: number[] = [];
  /** Peak RSS, in bytes: growth over another reference than the sampler's. */
  readonly rssPeak: number[] = [];
  /** Server CPU seconds (user + system) per GiB moved. */
  readonly cpuPerGiB: number[] = [];
}

/** A contender that could not run, and why. */
export type Unavailable = { reason: string };

export const isAvailable = <T extends object>(value: T | Unavailable): value is T =>
  !('reason' in value);

export function fail(message: string): never {
  throw new Error(message);
}

export function mbps(bytes: number, seconds: number): number {
  return bytes / 1e6 / seconds;
}

export function fmtMbps(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

export function fmtMiB(bytes: number): string {
  return (bytes / MIB).toFixed(1);
}

/** The bytes free under `folder`; fails the run before it starts when fewer than `needed`. */
export async function freeDiskAtLeast(folder: string, needed: number): Promise<number> {
  const disk = await statfs(folder);
  const free = disk.bavail * disk.bsize;
  if (free < needed) {
    fail(`${folder} has ${fmtMiB(free)} MiB free; this run needs about ${fmtMiB(needed)} MiB`);
  }
  return free;
}

export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].slice(0, 160);
}

/** The server process a transfer is charged to: its RSS is sampled, its CPU time counted. */
export interface Watch {
  pid: number;
  /** Sample RSS (not for nginx: its master's RSS says nothing about its worker). */
  rss: boolean;
  /** Count the CPU of its direct children too (nginx's workers). */
  children: boolean;
  /** RSS growth is over this fixed idle level, not over the level just before the transfer. */
  rssReference?: number;
}

export const watchServer = (server: Served): Watch => ({
  pid: server.pid,
  rss: true,
  children: false,
});

export interface Measured {
  mbPerSecond: number;
  rss?: RssPeak;
  cpuSecondsPerGiB?: number;
  /** When it ran, on the clock of the servers' CPU profiles. */
  window: ProfileWindow;
}

/** Runs `transfer` (returning its seconds) and records throughput, RSS growth and server CPU. */
export async function measure(
  samples: Samples | undefined,
  watch: Watch | undefined,
  bytes: number,
  transfer: () => Promise<number>,
): Promise<Measured> {
  const sampler = watch?.rss ? sampleRss(watch.pid, undefined, watch.rssReference) : undefined;
  const cpuBefore = watch ? readCpuSeconds(watch.pid, watch.children) : undefined;
  let seconds: number;
  let rss: RssPeak | undefined;
  const fromUs = profileClockUs();
  try {
    seconds = await transfer();
  } finally {
    rss = sampler?.stop();
  }
  const window = { fromUs, toUs: profileClockUs() };
  const cpuAfter = watch ? readCpuSeconds(watch.pid, watch.children) : undefined;
  const cpuSecondsPerGiB =
    cpuBefore === undefined || cpuAfter === undefined
      ? undefined
      : ((cpuAfter - cpuBefore) * GIB) / bytes;
  const rate = mbps(bytes, seconds);
  samples?.mbPerSecond.push(rate);
  if (rss) {
    samples?.rssGrowth.push(rss.growth);
    samples?.rssPeak.push(rss.peak);
  }
  if (cpuSecondsPerGiB !== undefined) samples?.cpuPerGiB.push(cpuSecondsPerGiB);
  return { mbPerSecond: rate, rss, cpuSecondsPerGiB, window };
}

/** A progress line for one measured transfer (stderr). */
export function noteMeasured(tag: string, what: string, who: string, result: Measured): void {
  progress(
    `  ${tag}  ${what.padEnd(22)} ${who.padEnd(26)} ${fmtMbps(result.mbPerSecond).padStart(6)} MB/s` +
      (result.cpuSecondsPerGiB === undefined
        ? ''
        : `  server CPU ${result.cpuSecondsPerGiB.toFixed(2)} s/GiB`) +
      (result.rss ? `  RSS +${fmtMiB(result.rss.growth)} MiB` : ''),
  );
}

/** `items` in an order that rotates with the round, so no contender always goes first. */
export function rotate<T>(items: readonly T[], round: number): T[] {
  return items.map((_, k) => items[(round + k) % items.length]);
}

/** Median (min–max) of MB/s values. */
export function spread(values: readonly number[]): string {
  if (values.length === 0) return 'n/a';
  if (values.length === 1) return fmtMbps(values[0]);
  return `${fmtMbps(median(values))} (${fmtMbps(Math.min(...values))}–${fmtMbps(Math.max(...values))})`;
}

/** The median of the per-round ratios: each round's pair ran back to back under the same load. */
export function pairedRatio(ours: Samples, base: Samples): number | undefined {
  const n = Math.min(ours.mbPerSecond.length, base.mbPerSecond.length);
  if (n === 0) return undefined;
  return median(Array.from({ length: n }, (_, i) => ours.mbPerSecond[i] / base.mbPerSecond[i]));
}

/** The median of the per-round CPU-per-GiB ratios, or undefined without a baseline. */
export function pairedCpuRatio(ours: Samples, base: Samples | undefined): number | undefined {
  const n = base ? Math.min(ours.cpuPerGiB.length, base.cpuPerGiB.length) : 0;
  if (!base || n === 0) return undefined;
  return median(Array.from({ length: n }, (_, i) => ours.cpuPerGiB[i] / base.cpuPerGiB[i]));
}

export interface Verdicts {
  met: number;
  missed: string[];
}

export function verdict(verdicts: Verdicts, name: string, met: boolean | undefined): string {
  if (met === undefined) return 'n/a';
  if (met) verdicts.met++;
  else verdicts.missed.push(name);
  return met ? 'MET' : 'MISSED';
}

/** The last line of a benchmark: every target met, or which were missed. */
export function verdictLine(verdicts: Verdicts): string {
  const total = verdicts.met + verdicts.missed.length;
  return verdicts.missed.length === 0
    ? `TARGETS MET: ${verdicts.met} of ${total}`
    : `TARGETS MISSED: ${verdicts.missed.join(', ')} (${verdicts.met} of ${total} met)`;
}

/** `median / max` of RSS growths in MiB. */
export function rssCell(values: readonly number[]): string {
  return values.length === 0 ? 'n/a' : `${fmtMiB(median(values))} / ${fmtMiB(Math.max(...values))}`;
}

export { ratio };
