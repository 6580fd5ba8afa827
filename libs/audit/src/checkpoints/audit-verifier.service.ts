import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { STORAGE_PROVIDER, type StorageProvider } from '@strongroom/storage';
import { AuditEvent } from '../audit-event.schema';
import { type ChainReport, verifyChain } from './audit-chain-verifier';
import { checkpointsFromStorage, type LoadedCheckpoints } from './audit-checkpoint-source';
import { AuditKeySet, rawPublicKeyOf } from './audit-signing-keys';

const VERIFY_BATCH = 500;

export interface AuditVerification extends ChainReport {
  /** Entries under the checkpoint prefix that are not checkpoints at all. */
  unreadableCheckpoints: { name: string; problem: string }[];
}

/**
 * Checks the audit chain in the database against the signed checkpoints kept outside it (the
 * storage backend's, or a folder of copies), trusting the current signing key and the earlier
 * ones in AUDIT_VERIFY_KEYS.
 */
@Injectable()
export class AuditVerifier {
  private readonly keys: AuditKeySet;

  constructor(
    @InjectModel(AuditEvent.name) private readonly events: Model<AuditEvent>,
    @Inject(STORAGE_PROVIDER) private readonly storage: StorageProvider,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.keys = new AuditKeySet([
      rawPublicKeyOf(config.audit.signingKey),
      ...config.audit.verifyKeys,
    ]);
  }

  /** Against the checkpoints in the storage backend, unless others are given. */
  async verify(checkpoints?: LoadedCheckpoints): Promise<AuditVerification> {
    const loaded = checkpoints ?? (await checkpointsFromStorage(this.storage));
    const cursor = this.events
      .find({}, { _id: 0 })
      .sort({ seq: 1 })
      .lean<AuditEvent>()
      .cursor({ batchSize: VERIFY_BATCH });
    const report = await verifyChain(cursor, loaded.checkpoints, this.keys);
    if (report.valid && loaded.unreadable.length > 0) {
      return {
        ...report,
        valid: false,
        headHash: undefined,
        reason: `${loaded.unreadable[0].name} under the checkpoint prefix is not a checkpoint (${loaded.unreadable[0].problem})`,
        unreadableCheckpoints: loaded.unreadable,
      };
    }
    return { ...report, unreadableCheckpoints: loaded.unreadable };
  }
}
