/**
 * CPU time (user + system) a process has used, from /proc/<pid>/stat. Unlike throughput, the CPU
 * a server spends per byte hardly moves with background load, so it explains a ratio on a busy
 * host.
 */
import { readFileSync } from 'node:fs';

/** USER_HZ: 100 on every Linux ABI Node runs on (`getconf CLK_TCK`). */
const TICKS_PER_SECOND = 100;

function ownCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3,
    // utime field 14 and stime field 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU seconds of `pid`, plus its live direct children with `withChildren` (nginx's workers);
 * undefined when the process or /proc is not there.
 */
export function readCpuSeconds(pid: number, withChildren = false): number | undefined {
  const own = ownCpuSeconds(pid);
  if (own === undefined || !withChildren) return own;
  return childrenOf(pid).reduce((sum, child) => sum + (ownCpuSeconds(child) ?? 0), own);
}
