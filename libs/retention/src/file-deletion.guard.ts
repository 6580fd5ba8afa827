import { Inject, Injectable } from '@nestjs/common';
import { SecurityEventsService } from '@strongroom/audit';
import { type ClientContext, DeletionHeldError, type KeptRecord } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { GroupsService } from '@strongroom/groups';
import type { LegalHoldDocument } from './legal-hold.schema';
import { LegalHoldsService } from './legal-holds.service';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the guard needs to know of a file. */
export interface GuardedFile {
  id: string;
  name: string;
  ownerId: string;
  uploadedAt: Date;
  /** A retention date stamped on the record (when an erasure kept the file), honoured as is. */
  retainedUntil?: Date;
}

export interface Retention {
  until: Date;
  /** e.g. `the instance's 30-day retention (RETENTION_MIN_DAYS)`. */
  rule: string;
}

/** Who asked for the deletion, for the audit event of a refusal. */
export interface DeletionRequester {
  actorId?: string;
  client?: ClientContext;
  /** Which path asked: `owner or admin`, `user erasure`, `sweeper`. */
  path: string;
}

/**
 * The one place that decides whether a file may be deleted: not while a legal hold covers it
 * (its own, or one on all of its owner's files), nor before the longest retention that applies
 * (the instance's RETENTION_MIN_DAYS, the owner's groups', a date stamped on the record) has run.
 * Every path that deletes a file asks here first.
 */
@Injectable()
export class FileDeletionGuard {
  constructor(
    private readonly holds: LegalHoldsService,
    private readonly groups: GroupsService,
    private readonly events: SecurityEventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Throws DeletionHeldError (409) naming the hold or the retention when the file must stay. */
  async assertDeletable(file: GuardedFile, requester: DeletionRequester): Promise<void> {
    const kept = await this.keptAmong([file], requester);
    if (kept.length > 0) throw heldError(kept[0]);
  }

  /** The files of a batch that must stay, each with why; the rest may go. */
  async keptAmong(files: GuardedFile[], requester: DeletionRequester): Promise<KeptRecord[]> {
    const kept: KeptRecord[] = [];
    for (const file of files) {
      const record = await this.refusal(file, await this.whyKept(file), requester);
      if (record) kept.push(record);
    }
    return kept;
  }

  /**
   * Asked again once the file's record is gone, for a hold placed since the first check: placing
   * a hold writes the hold and then looks for the file, a deletion removes the record and then
   * looks for holds, so of two that race at least one sees the other. The caller puts the record
   * back when this returns a refusal.
   */
  async heldSinceCheck(
    file: GuardedFile,
    requester: DeletionRequester,
  ): Promise<KeptRecord | undefined> {
    return this.refusal(file, await this.whyHeld(file), requester);
  }

  /** Why the file must stay (a sentence naming the hold or the retention), or undefined. */
  async whyKept(file: GuardedFile, now = new Date()): Promise<string | undefined> {
    const held = await this.whyHeld(file);
    if (held) return held;
    const retention = await this.retentionOf(file);
    if (retention && retention.until > now) {
      return `retained until ${retention.until.toISOString()} by ${retention.rule}`;
    }
    return undefined;
  }

  /** The latest date any rule keeps the file until, or undefined when no rule applies. */
  async retentionOf(file: GuardedFile): Promise<Retention | undefined> {
    const candidates: Retention[] = [];
    const instanceDays = this.config.retention.minDays;
    if (instanceDays > 0) {
      candidates.push({
        until: new Date(file.uploadedAt.getTime() + instanceDays * DAY_MS),
        rule: `the instance's ${instanceDays}-day retention (RETENTION_MIN_DAYS)`,
      });
    }
    const group = await this.groups.longestRetentionOf(file.ownerId);
    if (group) {
      candidates.push({
        until: new Date(file.uploadedAt.getTime() + group.days * DAY_MS),
        rule: `the ${group.days}-day retention of the group "${group.group}"`,
      });
    }
    if (file.retainedUntil) {
      candidates.push({ until: file.retainedUntil, rule: 'a retention recorded on the file' });
    }
    return candidates.sort((a, b) => b.until.getTime() - a.until.getTime())[0];
  }

  private async whyHeld(file: GuardedFile): Promise<string | undefined> {
    const [hold] = await this.holds.covering(file.id, file.ownerId);
    return hold ? describeHold(hold) : undefined;
  }

  /** Records the refusal of a file that must stay; undefined (nothing recorded) when it may go. */
  private async refusal(
    file: GuardedFile,
    why: string | undefined,
    requester: DeletionRequester,
  ): Promise<KeptRecord | undefined> {
    if (why === undefined) return undefined;
    await this.events.record({
      type: 'deletion_refused_held',
      client: requester.client,
      actorId: requester.actorId,
      fileId: file.id,
      details: { path: requester.path, why },
    });
    return { id: file.id, name: file.name, why };
  }
}

/** The 409 for one file that must stay. */
export function heldError(kept: KeptRecord): DeletionHeldError {
  return new DeletionHeldError(`The file "${kept.name}" cannot be deleted: it is ${kept.why}`, [
    kept,
  ]);
}

function describeHold(hold: LegalHoldDocument): string {
  const scope = hold.subject === 'file' ? 'legal hold' : "legal hold on all of its owner's files";
  const placed = hold.placedAt.toISOString().slice(0, 10);
  return `under ${scope} placed by ${hold.placedByEmail} on ${placed}: "${hold.reason}"; an admin or auditor must release it first`;
}
