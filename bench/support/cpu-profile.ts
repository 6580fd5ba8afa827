/**
 * Where a V8 CPU profile (`node --cpu-prof`) spent its time: self time summed by where the code
 * lives (a package in node_modules, Node's internals, our own libs and apps) and by function.
 * A native function (a syscall binding, a builtin) is charged to the place of the JavaScript that
 * called it, so a log line's `write` counts for the logger and a socket's for Node's streams.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatTable } from '../stats';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  name: string;
  /** Share of all samples, 0..1. */
  share: number;
}

export interface ProfileSummary {
  byPlace: ProfileShare[];
  byFunction: ProfileShare[];
  /** CPU milliseconds sampled (idle left out). */
  busyMs: number;
}

/**
 * A stretch of the profile, in microseconds of the monotonic clock: the profile's timestamps are
 * `process.hrtime` microseconds of the machine, so the process that drove the load can mark them.
 */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

/** Now on the clock the profile's timestamps use. */
export function profileClockUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

const VM_STATES = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/** The package, Node internal or our own lib a script URL belongs to. */
function placeOf(url: string): string {
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const ours = /\/((?:libs|apps|bench|test)\/[^/]+)\//.exec(url);
  return ours ? ours[1] : url;
}

function top(counts: Map<string, number>, total: number, n: number): ProfileShare[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, count]) => ({ name, share: count / total }));
}

export async function summarizeCpuProfile(
  file: string,
  options: { window?: ProfileWindow; top?: number } = {},
): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parents.set(child, node.id);
  }
  /** Where a sampled node's time goes: its own script, or for native code its caller's. */
  const labelOf = (id: number): { place: string; fn: string } => {
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return { place: '(unknown)', fn: '(unknown)' };
    const name = frame.functionName || '(anonymous)';
    if (VM_STATES.has(name)) return { place: name, fn: name };
    if (frame.url) {
      const place = placeOf(frame.url);
      return { place, fn: `${name} ${place}:${frame.lineNumber + 1}` };
    }
    for (let up = parents.get(id); up !== undefined; up = parents.get(up)) {
      const caller = nodes.get(up)?.callFrame;
      if (caller?.url) {
        const place = placeOf(caller.url);
        return { place, fn: `${name} (native) ← ${caller.functionName || '(anonymous)'} ${place}` };
      }
    }
    return { place: '(native)', fn: `${name} (native)` };
  };

  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const weight = profile.timeDeltas[i] ?? 0;
    at += weight;
    const window = options.window;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    const { place, fn } = labelOf(id);
    if (place === '(idle)') return;
    total += weight;
    byPlace.set(place, (byPlace.get(place) ?? 0) + weight);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + weight);
  });
  const n = options.top ?? 15;
  return {
    byPlace: top(byPlace, total, n),
    byFunction: top(byFunction, total, n),
    busyMs: total / 1000,
  };
}

/** The newest `.cpuprofile` in `dir` (a process writes its own when it exits), if any. */
export async function newestCpuProfile(dir: string): Promise<string | undefined> {
  const [file] = (await readdir(dir))
    .filter((name) => name.endsWith('.cpuprofile'))
    .sort()
    .reverse();
  return file === undefined ? undefined : path.join(dir, file);
}

/** A summary as two tables: self CPU by place (titled `placeTitle`), then by function. */
export function formatProfileSummary(summary: ProfileSummary, placeTitle = 'where'): string {
  const table = (rows: ProfileShare[], title: string) =>
    formatTable(
      [title, 'self CPU'],
      rows.map((row) => [row.name, `${(row.share * 100).toFixed(1)}%`]),
    );
  return `${table(summary.byPlace, placeTitle)}\n\n${table(summary.byFunction, 'function')}`;
}

/**
 * The newest profile in `profileDir` (its process must have exited), summarised over each
 * window: one section per window, titled by its key.
 */
export async function profileOverWindows(
  profileDir: string,
  windows: ReadonlyMap<string, ProfileWindow>,
): Promise<string> {
  const file = await newestCpuProfile(profileDir);
  if (!file) return 'no CPU profile was written';
  const sections: string[] = [];
  for (const [row, window] of windows) {
    const summary = await summarizeCpuProfile(file, { window, top: 20 });
    sections.push(
      `${row}: ${summary.busyMs.toFixed(0)} ms of CPU sampled\n\n${formatProfileSummary(summary)}`,
    );
  }
  return sections.join('\n\n');
}
