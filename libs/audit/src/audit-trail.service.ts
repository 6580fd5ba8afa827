import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FilterQuery, Model } from 'mongoose';
import type { Counter } from 'prom-client';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DependencyUnavailableError,
  KeyedMutex,
  indexesBuilt,
  isDuplicateKeyError,
  pageTotal,
} from '@strongroom/common';
import { type ChainPosition, GENESIS_HASH, hashEvent } from './audit-chain';
import {
  AUDIT_EVENT_TYPES,
  type AuditEventType,
  type AuditOutcome,
  FAILURE_EVENT_TYPES,
  FILE_ACCESS_EVENT_TYPES,
} from './audit-event-types';
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

export interface AuditEventFilters {
  type?: AuditEventType;
  /** A user id or a link id: the events that account or link caused. */
  actor?: string;
  fileId?: string;
  /** Inclusive bounds on the event time. */
  from?: Date;
  to?: Date;
}

/** Lets the writer that took the sequence number finish, then try the next one. */
const MAX_ATTEMPTS = 25;
const backoffMs = (attempt: number) => Math.random() * Math.min(200, 5 * 2 ** attempt);
const CHAIN_KEY = 'audit-chain';

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
 * embedded database's lost concurrent updates cannot break the chain. Within one process appends
 * run one at a time, so an instance never collides with itself and remembers the head it wrote.
 */
@Injectable()
export class AuditTrail implements OnModuleInit {
  private readonly appends = new KeyedMutex();
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
      requestId: input.requestId || undefined,
      details,
    } satisfies Omit<AuditEvent, 'seq' | 'prevHash' | 'hash'>;
    return this.appends.run(CHAIN_KEY, () => this.appendInOrder(content));
  }

  /** Events matching every given filter, newest first. */
  async query(filters: AuditEventFilters, page: number, limit: number): Promise<AuditEventPage> {
    const filter: FilterQuery<AuditEvent> = {};
    if (filters.type) filter.type = filters.type;
    if (filters.actor) {
      filter.$or = [{ 'actor.userId': filters.actor }, { 'actor.linkId': filters.actor }];
    }
    if (filters.fileId) filter['target.fileId'] = filters.fileId;
    if (filters.from || filters.to) {
      filter.at = {
        ...(filters.from && { $gte: filters.from }),
        ...(filters.to && { $lte: filters.to }),
      };
    }
    const { items, total } = await this.page(filter, page, limit);
    const revealed = await this.personalData.reveal(items);
    return { items: revealed.map((event) => AuditEventResponse.from(event)), page, limit, total };
  }

  /** The owner's access ledger: who fetched the file's bytes, by account or by link, newest first. */
  async ledgerForFile(fileId: string, page: number, limit: number): Promise<FileActivityPage> {
    const { items, total } = await this.page(
      { 'target.fileId': fileId, type: { $in: [...FILE_ACCESS_EVENT_TYPES] } },
      page,
      limit,
    );
    const revealed = await this.personalData.reveal(items);
    return { items: revealed.map((event) => FileActivityItem.from(event)), page, limit, total };
  }

  private async page(filter: FilterQuery<AuditEvent>, page: number, limit: number) {
    const [items, total] = await Promise.all([
      this.events
        .find(filter, { _id: 0 })
        .sort({ seq: -1 })
        .skip((page - 1) * limit)
        .limit(limit)
        .lean<AuditEvent[]>()
        .exec(),
      pageTotal(this.events, filter),
    ]);
    return { items, total };
  }

  private async appendInOrder(
    content: Omit<AuditEvent, 'seq' | 'prevHash' | 'hash'>,
  ): Promise<AuditEventResponse> {
    await this.indexesBuilt();
    for (let attempt = 1; ; attempt++) {
      const head = this.head ?? (await this.readHead());
      const unhashed = { seq: head.nextSeq, ...content };
      const event: AuditEvent = {
        ...unhashed,
        prevHash: head.prevHash,
        hash: hashEvent(head.prevHash, unhashed),
      };
      try {
        await this.events.create(event);
        this.head = { nextSeq: event.seq + 1, prevHash: event.hash };
        for (const listener of this.appendedListeners) listener(event.seq);
        return AuditEventResponse.from(event);
      } catch (error) {
        this.head = undefined;
        if (!isDuplicateKeyError(error)) throw error;
        this.conflicts.inc();
        if (attempt >= MAX_ATTEMPTS) {
          throw new DependencyUnavailableError('database', { cause: error });
        }
        await sleep(backoffMs(attempt));
      }
    }
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
