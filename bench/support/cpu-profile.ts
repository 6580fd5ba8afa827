/**
 * Where a V8 CPU profile (`node --cpu-prof`) spent its time: self time summed by where the code
 * lives (a package in node_modules, Node's internals, our own libs and apps) and by function.
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
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
}

/** The package, Node internal or our own lib a script URL belongs to. */
function placeOf(url: string): string {
  if (!url) return '(native, GC, idle)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const ours = /\/((?:libs|apps)\/[^/]+)\//.exec(url);
  return ours ? ours[1] : url;
}

function top(counts: Map<string, number>, total: number, n: number): ProfileShare[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, count]) => ({ name, share: count / total }));
}

export async function summarizeCpuProfile(file: string, n = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') return;
    const weight = profile.timeDeltas[i] ?? 0;
    total += weight;
    const place = placeOf(frame.url);
    byPlace.set(place, (byPlace.get(place) ?? 0) + weight);
    const fn = `${frame.functionName || '(anonymous)'} ${place}:${frame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + weight);
  });
  return { byPlace: top(byPlace, total, n), byFunction: top(byFunction, total, n) };
}
