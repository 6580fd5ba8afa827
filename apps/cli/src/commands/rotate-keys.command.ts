import { Command, CommandRunner } from 'nest-commander';
import { KeyRotation, type KeyRotationReport } from '@strongroom/encryption';

@Command({
  name: 'rotate-keys',
  description:
    'Re-wrap everything sealed with ENCRYPTION_KEYS (file and upload data keys, TOTP secrets) under the current (first) key; blobs are untouched. Safe to interrupt and run again',
})
export class RotateKeysCommand extends CommandRunner {
  constructor(private readonly rotation: KeyRotation) {
    super();
  }

  async run(): Promise<void> {
    const report = await this.rotation.rotate((progress) => {
      const done = progress.rewrapped + progress.skipped + progress.failed;
      process.stdout.write(`… ${done} of ${progress.total} sealed keys handled\n`);
    });
    process.stdout.write(`${describeRotation(report)}\n`);
    if (report.failed > 0) {
      throw new Error(
        `${report.failed} sealed keys could not be unwrapped (their key id is missing from ENCRYPTION_KEYS or its value is wrong); see the warnings above, fix ENCRYPTION_KEYS and run rotate-keys again`,
      );
    }
  }
}

export function describeRotation(report: KeyRotationReport): string {
  const kinds = Object.entries(report.byKind)
    .map(([kind, counts]) => `${counts.rewrapped} ${kind}`)
    .join(', ');
  return `re-wrapped ${report.rewrapped} sealed keys under key '${report.currentKeyId}' (${kinds}; ${report.skipped} already done elsewhere, ${report.failed} failed)`;
}
