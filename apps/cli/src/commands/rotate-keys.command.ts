import { Command, CommandRunner } from 'nest-commander';
import { FileKeyRotation } from '@strongroom/files';

@Command({
  name: 'rotate-keys',
  description:
    'Re-wrap every file data key under the current (first) ENCRYPTION_KEYS key; blobs are untouched. Safe to interrupt and run again',
})
export class RotateKeysCommand extends CommandRunner {
  constructor(private readonly rotation: FileKeyRotation) {
    super();
  }

  async run(): Promise<void> {
    const report = await this.rotation.rotate((progress) => {
      const done = progress.rewrapped + progress.skipped + progress.failed;
      process.stdout.write(`… ${done} of ${progress.total} data keys handled\n`);
    });
    process.stdout.write(
      `re-wrapped ${report.rewrapped} data keys under key '${report.currentKeyId}' (${report.skipped} already done elsewhere, ${report.failed} failed)\n`,
    );
    if (report.failed > 0) {
      throw new Error(
        `${report.failed} data keys could not be unwrapped (their key id is missing from ENCRYPTION_KEYS or its value is wrong); see the warnings above, fix ENCRYPTION_KEYS and run rotate-keys again`,
      );
    }
  }
}
