import { Command, CommandRunner, Option } from 'nest-commander';
import {
  type AuditVerification,
  AuditVerifier,
  checkpointsFromFolder,
  type LoadedCheckpoints,
} from '@strongroom/audit';

interface VerifyAuditOptions {
  checkpoints?: string;
}

const STORAGE = 'storage';

@Command({
  name: 'verify-audit',
  description:
    "Check the audit chain in the database against signed checkpoints: the storage backend's (--checkpoints storage, the default) or a folder of copies; names the first bad sequence number and exits 1 when the trail was edited, cut or rewritten",
})
export class VerifyAuditCommand extends CommandRunner {
  constructor(private readonly verifier: AuditVerifier) {
    super();
  }

  async run(_params: string[], options: VerifyAuditOptions): Promise<void> {
    const source = options.checkpoints ?? STORAGE;
    let checkpoints: LoadedCheckpoints | undefined;
    if (source !== STORAGE) {
      checkpoints = await checkpointsFromFolder(source).catch((error: unknown) => {
        throw new Error(
          `--checkpoints: cannot read the folder ${source} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give a folder of checkpoint files or 'storage'`,
        );
      });
    }
    const report = await this.verifier.verify(checkpoints);
    process.stdout.write(`${describeVerification(report)}\n${JSON.stringify(report)}\n`);
    if (!report.valid) {
      throw new Error(
        `the audit trail does not verify from seq ${report.firstInvalidSeq}; deploy/README.md ("Audit checkpoints") says what to do`,
      );
    }
  }

  @Option({
    flags: '--checkpoints <dir|storage>',
    description: "where the signed checkpoints are: 'storage' (default) or a folder of copies",
  })
  parseCheckpoints(value: string): string {
    return value;
  }
}

export function describeVerification(report: AuditVerification): string {
  const proven =
    report.checkpoints.lastSeq === undefined
      ? 'no signed checkpoint yet'
      : `${report.checkpoints.verified} signed checkpoints, the newest at seq ${report.checkpoints.lastSeq}`;
  if (!report.valid) {
    return `audit trail INVALID at seq ${report.firstInvalidSeq}: ${report.reason} (${report.count} events, ${proven})`;
  }
  const waiting =
    report.notYetCheckpointed.count > 0
      ? `; ${report.notYetCheckpointed.count} events from seq ${report.notYetCheckpointed.fromSeq} not yet checkpointed`
      : '';
  return `audit trail valid: ${report.count} events, ${proven}${waiting}`;
}
