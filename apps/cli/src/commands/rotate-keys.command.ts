import { Command, CommandRunner } from 'nest-commander';
import { KeyRotation, type KeyRotationReport } from '@strongroom/encryption';

@Command({
  name: 'rotate-keys',
  description:
    'Re-wrap every sealed key under the current key: file and upload data keys under KEY_PROVIDER (the first ENCRYPTION_KEYS key, or AWS_KMS_KEY_ID), from whichever provider wrapped them; TOTP secrets under the first ENCRYPTION_KEYS key. Blobs are untouched. Safe to interrupt and run again',
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
        `${report.failed} sealed keys could not be unwrapped (their key id is missing from ENCRYPTION_KEYS or its value is wrong, or their KMS key is not configured in AWS_KMS_KEY_ID); see the warnings above, fix the settings and run rotate-keys again`,
      );
    }
  }
}

export function describeRotation(report: KeyRotationReport): string {
  const kinds = Object.entries(report.byKind)
    .map(([kind, counts]) => `${counts.rewrapped} ${kind}`)
    .join(', ');
  const provider = report.currentProvider === 'local' ? '' : `${report.currentProvider} `;
  return `re-wrapped ${report.rewrapped} sealed keys under ${provider}key '${report.currentKeyId}' (${kinds}; ${report.skipped} already done elsewhere, ${report.failed} failed)`;
}
