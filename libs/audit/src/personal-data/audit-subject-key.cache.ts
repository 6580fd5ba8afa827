import { LRUCache } from 'lru-cache';
import type { AuditSubjectKey } from './audit-subject-key.schema';

/** Which cached records a write makes stale: some subjects', or all. */
export interface SubjectKeyInvalidation {
  subjects?: string[];
  all?: boolean;
}

export interface AuditSubjectKeyCacheOptions {
  ttlMs: number;
  maxEntries: number;
  /** Whether this instance hears the others' invalidations now; while not, nothing is answered. */
  live: () => boolean;
  now?: () => number;
}

/**
 * The subject-key records as the database holds them (the key wrapped, or the erasure's
 * tombstone), by subject: what sealing an audit event would otherwise read once per event.
 * Bounded in number and age; an entry goes as soon as a write touches its record. A lookup that
 * was under way while anything was dropped does not store its answer (`generation`), so a read
 * from before an erasure can never be cached after it.
 */
export class AuditSubjectKeyCache {
  private readonly records?: LRUCache<string, AuditSubjectKey>;
  private generationCount = 0;

  constructor(private readonly options: AuditSubjectKeyCacheOptions) {
    if (options.ttlMs > 0 && options.maxEntries > 0) {
      this.records = new LRUCache<string, AuditSubjectKey>({
        max: options.maxEntries,
        ttl: options.ttlMs,
        updateAgeOnGet: false,
        ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
      });
    }
  }

  get enabled(): boolean {
    return this.records !== undefined;
  }

  /** Taken before a lookup and handed back to `set`. */
  get generation(): number {
    return this.generationCount;
  }

  get size(): number {
    return this.records?.size ?? 0;
  }

  get(subjectId: string): AuditSubjectKey | undefined {
    return this.options.live() ? this.records?.get(subjectId) : undefined;
  }

  set(record: AuditSubjectKey, generation: number): void {
    if (generation !== this.generationCount || !this.options.live()) return;
    this.records?.set(record.subjectId, record);
  }

  invalidate({ subjects = [], all = false }: SubjectKeyInvalidation): void {
    this.generationCount++;
    if (all) this.records?.clear();
    else for (const subjectId of subjects) this.records?.delete(subjectId);
  }
}
