import { Command, CommandRunner, Option } from 'nest-commander';
import { parseDuration } from '@strongroom/config';
import { FileSweeper, STALE_PENDING_AGE_MS, type SweepReport } from '@strongroom/files';

interface SweepOptions {
  olderThan?: number;
}

@Command({
  name: 'sweep',
  description:
    'Remove abandoned uploads: stale pending records with their blobs, blobs no record points at, and temporaries of writes a crash cut short',
})
export class SweepCommand extends CommandRunner {
  constructor(private readonly sweeper: FileSweeper) {
    super();
  }

  async run(_params: string[], options: SweepOptions): Promise<void> {
    const report = await this.sweeper.sweep(options.olderThan ?? STALE_PENDING_AGE_MS);
    process.stdout.write(`${describeSweep(report)}\n`);
  }

  @Option({
    flags: '--older-than <duration>',
    description: 'how old a pending upload must be to count as abandoned (default 1h)',
  })
  parseOlderThan(value: string): number {
    const ms = parseDuration(value);
    if (ms === undefined)
      throw new Error(`--older-than: '${value}' is not a duration; use e.g. 30m or 2h`);
    return ms;
  }
}

export function describeSweep(report: SweepReport): string {
  return (
    `removed ${report.stalePending} stale pending uploads, ${report.orphanBlobs} orphan blobs ` +
    `and ${report.temporaries} storage temporaries` +
    (report.held > 0
      ? `; kept ${report.held} objects the storage holds (legal hold or retention)`
      : '')
  );
}
