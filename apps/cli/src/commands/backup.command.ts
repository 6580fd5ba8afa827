import { Command, CommandRunner, Option } from 'nest-commander';
import { BackupService } from '@strongroom/backup';

interface BackupOptions {
  out: string;
}

@Command({
  name: 'backup',
  description:
    'Write every collection and (local driver) every blob, with a manifest of counts and checksums, into a new folder',
})
export class BackupCommand extends CommandRunner {
  constructor(private readonly backups: BackupService) {
    super();
  }

  async run(_params: string[], options: BackupOptions): Promise<void> {
    const report = await this.backups.create(options.out);
    process.stdout.write(
      `backed up ${report.documents} documents in ${report.collections} collections and ${report.blobs} blobs (${report.blobBytes} bytes) to ${report.folder}\n`,
    );
  }

  @Option({
    flags: '-o, --out <folder>',
    description: 'the archive folder to create (must not exist, or be empty)',
    required: true,
  })
  parseOut(value: string): string {
    return value;
  }
}
