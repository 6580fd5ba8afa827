import { Command, CommandRunner, Option } from 'nest-commander';
import { RestoreService } from '@strongroom/backup';

interface RestoreOptions {
  from: string;
  force?: boolean;
  withDevSecrets?: string;
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
    const report = await this.restores.restore(options.from, {
      force: options.force,
      devSecrets: options.withDevSecrets,
    });
    const forced =
      report.droppedCollections > 0 || report.deletedBlobs > 0
        ? ` after dropping ${report.droppedCollections} collections and deleting ${report.deletedBlobs} blobs`
        : '';
    process.stdout.write(
      `restored ${report.documents} documents in ${report.collections} collections and ${report.blobs} blobs${forced}\n`,
    );
    if (report.secretsFile) {
      process.stdout.write(
        `carried the old development secrets into ${report.secretsFile}; restart the server so it uses them\n`,
      );
    }
  }

  @Option({
    flags: '--with-dev-secrets <file>',
    description:
      "development only: the old data folder's secrets.json; its keys must open the archive's, and it replaces this data folder's secrets.json once the restore succeeds",
  })
  parseWithDevSecrets(value: string): string {
    return value;
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
