import { spawnSync } from 'node:child_process';
import { STREAMING_GC_FLAGS } from './streaming-gc';

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
});
