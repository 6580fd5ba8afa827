/**
 * Where a stretch of work spent the whole machine's CPU: seconds of each process involved (a
 * server, MinIO, this process and the clients it spawned and reaped, such as curl), and how busy
 * every core was meanwhile. When the cores are saturated, two paths compare by CPU per byte, not
 * by time: the one doing more work per byte cannot be faster.
 */
import { readFileSync } from 'node:fs';
import { readCpuSeconds } from './cpu-time';

const TICKS_PER_SECOND = 100;

interface MachineTicks {
  busy: number;
  total: number;
}

/** Every core's ticks from /proc/stat: idle and iowait count as not busy. */
function machineTicks(): MachineTicks {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  const ticks = cpu.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, t) => sum + t, 0);
  return { busy: total - ticks[3] - (ticks[4] ?? 0), total };
}

/** This process's CPU seconds, and those of the children it has waited for (fields 14–17). */
function ownAndReaped(): { own: number; reaped: number } {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return {
    own: (fields[11] + fields[12]) / TICKS_PER_SECOND,
    reaped: (fields[13] + fields[14]) / TICKS_PER_SECOND,
  };
}

export interface CpuAccount {
  /** CPU seconds per named process (plus `bench` and `clients`) over the stretch. */
  seconds: Map<string, number>;
  /** Share of all cores busy over the stretch, 0..1, whoever used them. */
  machineBusy: number;
  /** Wall-clock seconds of the stretch. */
  wallSeconds: number;
}

/** Starts counting; the returned function ends the stretch and says where the CPU went. */
export function accountCpu(processes: ReadonlyMap<string, number>): () => CpuAccount {
  const started = performance.now();
  const machine = machineTicks();
  const self = ownAndReaped();
  const before = new Map([...processes].map(([name, pid]) => [name, readCpuSeconds(pid) ?? 0]));
  return () => {
    const machineAfter = machineTicks();
    const selfAfter = ownAndReaped();
    const seconds = new Map<string, number>();
    for (const [name, pid] of processes) {
      seconds.set(name, (readCpuSeconds(pid) ?? 0) - (before.get(name) ?? 0));
    }
    seconds.set('bench', selfAfter.own - self.own);
    seconds.set('clients', selfAfter.reaped - self.reaped);
    return {
      seconds,
      machineBusy:
        (machineAfter.busy - machine.busy) / Math.max(1, machineAfter.total - machine.total),
      wallSeconds: (performance.now() - started) / 1000,
    };
  };
}
