import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Model } from 'mongoose';
import type { Counter } from 'prom-client';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DependencyUnavailableError,
  indexesBuilt,
  isDuplicateKeyError,
  pageTotal,
} from '@strongroom/common';
import { type ChainPosition, GENESIS_HASH, hashEvent } from './audit-chain';
import {
  AUDIT_EVENT_TYPES,
  AUDIT_OUTCOMES,
  type AuditEventType,
  type AuditOutcome,
  FAILURE_EVENT_TYPES,
} from './audit-event-types';
import {
  type AuditEventFilters,
  type AuditEventQuery,
  auditEventsQuery,
  fileLedgerQuery,
} from './audit-event-queries';
import {
  type AuditActor,
  type AuditDetails,
  AuditEvent,
  type AuditTarget,
} from './audit-event.schema';
import { AuditEventPage, AuditEventResponse } from './dto/audit-event.dto';
import { FileActivityItem, FileActivityPage } from './dto/file-activity.dto';
import { AuditPersonalData } from './personal-data/audit-personal-data.service';

export const AUDIT_APPEND_CONFLICTS_TOTAL = 'audit_append_conflicts_total';

export interface AuditEventInput {
  type: AuditEventType;
  /** When it happened; defaults to now. */
  at?: Date;
  actor?: AuditActor;
  target?: AuditTarget;
  /** Defaults to 'failure' for types that are failures by nature, else 'success'. */
  outcome?: AuditOutcome;
  requestId?: string;
  details?: AuditDetails;
}

/** Lets the writer that took the sequence number finish, then try the next one. */
const MAX_ATTEMPTS = 25;
const backoffMs = (attempt: number) => Math.random() * Math.min(200, 5 * 2 ** attempt);
/** Appends that wait together are written in one insert of at most this many events. */
const MAX_BATCH = 100;

type EventContent = Omit<AuditEvent, 'seq' | 'prevHash' | 'hash'>;

interface PendingAppend {
  content: EventContent;
  resolve: (event: AuditEventResponse) => void;
  reject: (error: unknown) => void;
}

/** Copies the defined, non-empty string fields only, so the hash covers exactly what is stored. */
function definedStrings<T extends object>(value: T | undefined): T {
  const out: Record<string, string> = {};
  for (const [key, field] of Object.entries(value ?? {})) {
    if (typeof field === 'string' && field !== '') out[key] = field;
  }
  return out as T;
}

function checkedDetails(details: AuditDetails | undefined): AuditDetails {
  const out: AuditDetails = {};
  for (const [key, value] of Object.entries(details ?? {})) {
    if (value === undefined) continue;
    const ok =
      value === null ||
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!ok)
      throw new TypeError(`audit detail ${key} must be a string, finite number, boolean or null`);
    out[key] = value;
  }
  return out;
}

/**
 * The tamper-evident audit trail: an append-only hash chain in `audit_events`.
 *
 * Appending reads the head (highest seq), builds seq + 1 naming the head's hash, and inserts it.
 * The unique index on seq makes the insert the arbiter between writers: when another instance
 * took that number first the insert fails with a duplicate key, and this one re-reads the head and
 * tries again (bounded, with jittered backoff). Nothing is ever read-modified-written, so the
 * embedded database's lost concurrent updates cannot break the chain. Within one process one
 * writer appends, so an instance never collides with itself and remembers the head it wrote; the
 * appends that arrive while it writes wait and go together in the next insert, chained in the
 * order they arrived (group commit). Written one by one, every request that records an event
 * queued behind all the others' inserts: under 64 busy clients that wait passed a minute, and
 * nginx answered 504.
 */
@Injectable()
export class AuditTrail implements OnModuleInit {
  private readonly queue: PendingAppend[] = [];
  private writing = false;
  /** The last event this instance appended; stale when another instance appended since. */
  private head?: ChainPosition;
  /** The unique index on seq is what keeps writers apart: nothing is appended before it exists. */
  private readonly indexesBuilt: () => Promise<unknown>;
  private readonly appendedListeners: ((seq: number) => void)[] = [];

  constructor(
    @InjectModel(AuditEvent.name) private readonly events: Model<AuditEvent>,
    @InjectMetric(AUDIT_APPEND_CONFLICTS_TOTAL) private readonly conflicts: Counter,
    private readonly personalData: AuditPersonalData,
  ) {
    this.indexesBuilt = indexesBuilt(events);
  }

  async onModuleInit(): Promise<void> {
    await this.indexesBuilt();
  }

  /** Called with each sequence number this instance appends (the checkpointer counts them). */
  onAppended(listener: (seq: number) => void): void {
    this.appendedListeners.push(listener);
  }

  /** Adds one event at the end of the chain and returns it as stored. */
  async append(input: AuditEventInput): Promise<AuditEventResponse> {
    if (!AUDIT_EVENT_TYPES.includes(input.type)) {
      throw new TypeError(`unknown audit event type ${String(input.type)}`);
    }
    if (input.outcome !== undefined && !AUDIT_OUTCOMES.includes(input.outcome)) {
      throw new TypeError(`unknown audit outcome ${String(input.outcome)}`);
    }
    const { actor, target, details } = await this.personalData.seal({
      actor: definedStrings(input.actor),
      target: definedStrings(input.target),
      details: checkedDetails(input.details),
    });
    const content = {
      at: input.at ?? new Date(),
      type: input.type,
      actor,
      target,
      outcome: input.outcome ?? (FAILURE_EVENT_TYPES.has(input.type) ? 'failure' : 'success'),
      ...(input.requestId ? { requestId: input.requestId } : {}),
      details,
    } satisfies EventContent;
    return new Promise((resolve, reject) => {
      this.queue.push({ content, resolve, reject });
      void this.drain();
    });
  }

  /** Events matching every given filter, newest first. */
  async query(filters: AuditEventFilters, page: number, limit: number): Promise<AuditEventPage> {
    const { items, total } = await this.page(auditEventsQuery(filters), page, limit);
    const revealed = await this.personalData.reveal(items);
    return { items: revealed.map((event) => AuditEventResponse.from(event)), page, limit, total };
  }

  /** The owner's access ledger: who fetched the file's bytes, by account or by link, newest first. */
  async ledgerForFile(fileId: string, page: number, limit: number): Promise<FileActivityPage> {
    const { items, total } = await this.page(fileLedgerQuery(fileId), page, limit);
    const revealed = await this.personalData.reveal(items);
    return { items: revealed.map((event) => FileActivityItem.from(event)), page, limit, total };
  }

  private async page({ filter, sort }: AuditEventQuery, page: number, limit: number) {
    const [items, total] = await Promise.all([
      this.events
        .find(filter, { _id: 0 })
        .sort(sort)
        .skip((page - 1) * limit)
        .limit(limit)
        .lean<AuditEvent[]>()
        .exec(),
      pageTotal(this.events, filter),
    ]);
    return { items, total };
  }

  /** The one writer: takes whatever waits, in arrival order, until nothing does. */
  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length > 0) await this.appendBatch(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.writing = false;
    }
  }

  /** Chains and inserts the batch; settles every append in it, never throws. */
  private async appendBatch(batch: PendingAppend[]): Promise<void> {
    let waiting = batch;
    try {
      await this.indexesBuilt();
      for (let attempt = 1; ; attempt++) {
        const head = this.head ?? (await this.readHead());
        const events = this.chain(head, waiting);
        try {
          // Inserted as built (lean): they are checked and complete already, and a mongoose
          // document per event was a twentieth of a download's CPU.
          await this.events.insertMany(events, { ordered: true, lean: true });
          this.stored(events, waiting);
          return;
        } catch (error) {
          this.head = undefined;
          if (!isDuplicateKeyError(error)) throw error;
          // An ordered insert stops at the first number another instance took: what came
          // before it is stored and done, and the head is the other instance's now.
          const done = await this.storedPrefix(events);
          this.stored(events.slice(0, done), waiting.slice(0, done));
          this.head = undefined;
          waiting = waiting.slice(done);
          if (waiting.length === 0) return;
          this.conflicts.inc();
          if (attempt >= MAX_ATTEMPTS) {
            throw new DependencyUnavailableError('database', { cause: error });
          }
          await sleep(backoffMs(attempt));
        }
      }
    } catch (error) {
      for (const pending of waiting) pending.reject(error);
    }
  }

  private chain(head: ChainPosition, batch: PendingAppend[]): AuditEvent[] {
    const events: AuditEvent[] = [];
    let position = head;
    for (const { content } of batch) {
      const unhashed = { seq: position.nextSeq, ...content };
      const event = {
        ...unhashed,
        prevHash: position.prevHash,
        hash: hashEvent(position.prevHash, unhashed),
      };
      events.push(event);
      position = { nextSeq: event.seq + 1, prevHash: event.hash };
    }
    return events;
  }

  private stored(events: AuditEvent[], batch: PendingAppend[]): void {
    const last = events.at(-1);
    if (last) this.head = { nextSeq: last.seq + 1, prevHash: last.hash };
    events.forEach((event, index) => {
      for (const listener of this.appendedListeners) listener(event.seq);
      batch[index].resolve(AuditEventResponse.from(event));
    });
  }

  /** How many of `events`, from the first, are in the collection as this instance built them. */
  private async storedPrefix(events: AuditEvent[]): Promise<number> {
    const found = await this.events
      .find({ seq: { $in: events.map((event) => event.seq) } }, { seq: 1, hash: 1 })
      .lean<Pick<AuditEvent, 'seq' | 'hash'>[]>()
      .exec();
    const hashes = new Map(found.map((event) => [event.seq, event.hash]));
    const firstMissing = events.findIndex((event) => hashes.get(event.seq) !== event.hash);
    return firstMissing === -1 ? events.length : firstMissing;
  }

  private async readHead(): Promise<ChainPosition> {
    const last = await this.events
      .findOne({}, { seq: 1, hash: 1 })
      .sort({ seq: -1 })
      .lean<Pick<AuditEvent, 'seq' | 'hash'>>()
      .exec();
    return last
      ? { nextSeq: last.seq + 1, prevHash: last.hash }
      : { nextSeq: 1, prevHash: GENESIS_HASH };
  }
}
