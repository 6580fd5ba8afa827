type Step = () => Promise<void>;

/**
 * What a benchmark has started, undone last-first when it ends, or on Ctrl-C / SIGTERM (then the
 * benchmark exits with 130), so no server or temp folder outlives it.
 */
export class Cleanups {
  private readonly steps: Step[] = [];
  private running: Promise<void> | undefined;

  private readonly interrupted = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: cleaning up`);
    void this.run().finally(() => process.exit(130));
  };

  constructor() {
    process.once('SIGINT', this.interrupted);
    process.once('SIGTERM', this.interrupted);
  }

  push(step: Step): void {
    this.steps.push(step);
  }

  /** Runs every step once, the last pushed first; a failing step is reported and skipped. */
  run(): Promise<void> {
    process.off('SIGINT', this.interrupted);
    process.off('SIGTERM', this.interrupted);
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        await step().catch((err: Error) => console.error(`cleanup: ${err.message}`));
      }
    })();
    return this.running;
  }
}
