/** Bad command-line arguments: the benchmark prints the message and its usage, and exits 2. */
export class UsageError extends Error {}

/**
 * Runs a benchmark's main: exit code 2 with the usage for bad arguments, 1 when it could not
 * measure at all, 0 otherwise (whatever it measured).
 */
export function runBenchmark(main: () => Promise<void>, usage: string): void {
  main().catch((err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n${usage}`);
      process.exitCode = 2;
      return;
    }
    console.error('benchmark failed:', err);
    process.exitCode = 1;
  });
}
