/**
 * `--server-flags '…'` (and the like) on a benchmark's command line: extra Node/V8 flags for some
 * of its server children, for experiments (a GC trace, a GC setting) before changing code or the
 * deployment. Shared by the benchmarks that take them, so they read and print them the same way.
 */
import { UsageError } from './run-benchmark';

/** `--flag=value` or `--flag`: the name and the inline value, split at the first `=` only. */
export function splitArgument(argument: string): [flag: string, inline: string | undefined] {
  const equals = argument.indexOf('=');
  return equals < 0
    ? [argument, undefined]
    : [argument.slice(0, equals), argument.slice(equals + 1)];
}

/** The flags of a `--server-flags '…'` value: space-separated, none when empty. */
export function parseNodeFlags(flag: string, raw: string | undefined): string[] {
  if (raw === undefined) throw new UsageError(`${flag} needs a value`);
  return raw.split(/\s+/).filter(Boolean);
}

export function describeNodeFlags(flags: readonly string[]): string {
  return flags.length ? flags.join(' ') : 'none';
}
