import { Command, CommandRunner, Option } from 'nest-commander';
import { RestoreService } from '@strongroom/backup';

interface RestoreOptions {
  from: string;
  force?: boolean;
}

@Command({
  name: 'restore',
  description:
    'Restore a backup folder into an empty deployment; the archive is verified in full first',
})
export class RestoreCommand extends CommandRunner {
  constructor(private readonly restores: RestoreService) {
    super();
  }

  async run(_params: string[], options: RestoreOptions): Promise<void> {
    const report = await this.restores.restore(options.from, { force: options.force });
    const forced =
      report.droppedCollections > 0 || report.deletedBlobs > 0
        ? ` after dropping ${report.droppedCollections} collections and deleting ${report.deletedBlobs} blobs`
        : '';
    process.stdout.write(
      `restored ${report.documents} documents in ${report.collections} collections and ${report.blobs} blobs${forced}\n`,
    );
  }

  @Option({
    flags: '-f, --from <folder>',
    description: 'the archive folder written by backup',
    required: true,
  })
  parseFrom(value: string): string {
    return value;
  }

  @Option({
    flags: '--force',
    description:
      'restore into a non-empty deployment: drop all its collections and delete all its blobs first',
  })
  parseForce(): boolean {
    return true;
  }
}
