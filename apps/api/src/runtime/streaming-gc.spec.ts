import { spawnSync } from 'node:child_process';
import { STREAMING_GC_FLAGS, YOUNG_GENERATION_NODE_OPTIONS } from './streaming-gc';

/** `--no-foo=…` or `--foo=…` → `--foo`, as `node --v8-options` lists it. */
function flagName(flag: string): string {
  return flag.replace(/=.*$/, '').replace(/^--no-/, '--');
}

describe('STREAMING_GC_FLAGS', () => {
  // V8 ignores a flag it does not know without a word, so a Node upgrade that drops one would
  // quietly bring back the mark-compact storms the transfer benchmark found.
  it('names only flags that this Node version’s V8 knows', () => {
    const listed = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    expect(listed.status).toBe(0);
    const known = new Set(
      [...listed.stdout.matchAll(/^\s+(--[a-z0-9-]+)\s/gm)].map((match) => match[1]),
    );
    expect(STREAMING_GC_FLAGS.map(flagName).filter((name) => !known.has(name))).toEqual([]);
  });

  // 16 transfers at once, each holding two 1 MiB buffers and dropping one per step, 2 GiB in all:
  // the dead buffers must be collected as they pile up, not only once the heap's limit is reached.
  it('keeps the buffer garbage of many transfers at once bounded', () => {
    const script = `
      const v8 = require('node:v8');
      for (const flag of JSON.parse(process.argv[1])) v8.setFlagsFromString(flag);
      const transfers = Array.from({ length: 16 }, () => [Buffer.alloc(1 << 20), Buffer.alloc(1 << 20)]);
      let peak = 0;
      let steps = 0;
      (function step() {
        for (const held of transfers) {
          held.shift();
          held.push(Buffer.allocUnsafe(1 << 20).fill(1, 0, 1));
        }
        for (let i = 0; i < 320; i++) ({ i, list: [i] });
        peak = Math.max(peak, process.memoryUsage().arrayBuffers);
        if (++steps < 128) setImmediate(step);
        else process.stdout.write(String(peak));
      })();`;
    const run = spawnSync(process.execPath, ['-e', script, JSON.stringify(STREAMING_GC_FLAGS)], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const peakMiB = Number(run.stdout) / (1024 * 1024);
    expect(peakMiB).toBeGreaterThan(32);
    expect(peakMiB).toBeLessThan(512);
  });

  // Objects that survive a collection or two, as those of many requests at once do, make V8 grow
  // the young generation; by default up to 2 × 64 MiB on this Node.
  it('caps the young generation at 32 MiB when given in NODE_OPTIONS at start', () => {
    const script = `
      const v8 = require('node:v8');
      let kept = [];
      for (let i = 0; i < 4e6; i++) {
        kept.push({ i, name: 'x' + i });
        if (kept.length > 200000) kept = [];
      }
      const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
      process.stdout.write(String(young.space_size));`;
    const run = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: YOUNG_GENERATION_NODE_OPTIONS },
    });
    expect(run.status).toBe(0);
    expect(Number(run.stdout) / (1024 * 1024)).toBeLessThanOrEqual(32);
  });
});
