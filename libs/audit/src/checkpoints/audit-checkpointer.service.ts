import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Model } from 'mongoose';
import type { Counter, Gauge } from 'prom-client';
import { Readable } from 'node:stream';
import { indexesBuilt, isDuplicateKeyError } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { STORAGE_PROVIDER, type StorageProvider } from '@strongroom/storage';
import { AuditEvent } from '../audit-event.schema';
import { AuditTrail } from '../audit-trail.service';
import {
  type AuditCheckpoint,
  checkpointFields,
  checkpointMessage,
  checkpointStorageKey,
} from './audit-checkpoint';
import { AuditCheckpointRecord } from './audit-checkpoint.schema';
import { AuditSigner } from './audit-signing-keys';

export const AUDIT_CHECKPOINT_AGE = 'audit_checkpoint_age_seconds';
export const AUDIT_CHECKPOINTS_TOTAL = 'audit_checkpoints_total';
/** How often a due checkpoint is looked for, at most: often enough for the age metric to move. */
const MAX_POLL_MS = 30_000;

type Head = Pick<AuditEvent, 'seq' | 'hash'>;

/**
 * Signs the head of the audit chain every AUDIT_CHECKPOINT_EVERY events or once the oldest event
 * not yet covered is AUDIT_CHECKPOINT_INTERVAL old, and writes the checkpoint outside the
 * database: to the storage backend under its reserved prefix, and to the log. Every instance looks;
 * the unique checkpoint number lets one of them write each checkpoint.
 */
@Injectable()
export class AuditCheckpointer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AuditCheckpoint');
  private readonly signer: AuditSigner;
  private readonly indexesBuilt: () => Promise<unknown>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<AuditCheckpoint | undefined>;
  /** The newest checkpointed seq this instance knows of, so appends rarely need a query. */
  private knownCheckpointSeq = 0;

  constructor(
    @InjectModel(AuditEvent.name) private readonly events: Model<AuditEvent>,
    @InjectModel(AuditCheckpointRecord.name)
    private readonly records: Model<AuditCheckpointRecord>,
    @Inject(STORAGE_PROVIDER) private readonly storage: StorageProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    trail: AuditTrail,
    @InjectMetric(AUDIT_CHECKPOINT_AGE) private readonly age: Gauge,
    @InjectMetric(AUDIT_CHECKPOINTS_TOTAL) private readonly written: Counter,
  ) {
    this.signer = new AuditSigner(config.audit.signingKey);
    this.indexesBuilt = indexesBuilt(records);
    trail.onAppended((seq) => {
      if (seq - this.knownCheckpointSeq >= config.audit.checkpointEvery) void this.poll();
    });
  }

  get keyId(): string {
    return this.signer.keyId;
  }

  get publicKey(): Buffer {
    return this.signer.publicKey;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.poll(),
      Math.min(this.config.audit.checkpointIntervalMs, MAX_POLL_MS),
    );
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Looks once (never twice at a time in one instance); failures are logged and retried later. */
  poll(): Promise<AuditCheckpoint | undefined> {
    this.running ??= this.checkpointIfDue()
      .catch((error: unknown) => {
        this.logger.warn(`audit checkpoint failed: ${(error as Error).message}`);
        return undefined;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Writes a checkpoint when one is due (or, with `force`, whenever events wait for one). */
  async checkpointIfDue(options: { force?: boolean } = {}): Promise<AuditCheckpoint | undefined> {
    await this.indexesBuilt();
    const [head, last] = await Promise.all([
      this.events.findOne({}, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean<Head>().exec(),
      this.records.findOne({}).sort({ number: -1 }).lean<AuditCheckpointRecord>().exec(),
    ]);
    const lastSeq = last?.seq ?? 0;
    this.knownCheckpointSeq = Math.max(this.knownCheckpointSeq, lastSeq);
    if (!head || head.seq <= lastSeq) {
      this.age.set(0);
      return undefined;
    }
    const oldestWaiting = await this.events
      .findOne({ seq: { $gt: lastSeq } }, { at: 1 })
      .sort({ seq: 1 })
      .lean<Pick<AuditEvent, 'at'>>()
      .exec();
    const waitedMs = oldestWaiting ? Date.now() - oldestWaiting.at.getTime() : 0;
    this.age.set(Math.max(0, waitedMs) / 1000);
    const due =
      options.force ||
      head.seq - lastSeq >= this.config.audit.checkpointEvery ||
      waitedMs >= this.config.audit.checkpointIntervalMs;
    if (!due) return undefined;
    return this.write((last?.number ?? 0) + 1, head);
  }

  private async write(number: number, head: Head): Promise<AuditCheckpoint | undefined> {
    const unsigned = { seq: head.seq, hash: head.hash, at: new Date() };
    const checkpoint: AuditCheckpoint = {
      ...unsigned,
      keyId: this.signer.keyId,
      signature: this.signer.sign(checkpointMessage(unsigned)),
    };
    try {
      await this.records.create({ number, ...checkpoint });
    } catch (error) {
      if (isDuplicateKeyError(error)) return undefined; // another instance wrote this one
      throw error;
    }
    const fields = checkpointFields(checkpoint);
    try {
      const json = JSON.stringify(fields);
      await this.storage.write(checkpointStorageKey(checkpoint.seq), Readable.from([json]), {
        sha256: false,
      });
    } catch (error) {
      // Give the number back, so the next look (here or elsewhere) writes it again.
      await this.records.deleteOne({ number }).catch(() => undefined);
      throw error;
    }
    this.logger.log({ auditCheckpoint: fields }, 'audit checkpoint');
    this.knownCheckpointSeq = Math.max(this.knownCheckpointSeq, checkpoint.seq);
    this.written.inc();
    this.age.set(0);
    return checkpoint;
  }
}
