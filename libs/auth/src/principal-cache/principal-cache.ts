import type { AuthenticatedUser } from '@strongroom/common';

interface Entry {
  principal: AuthenticatedUser;
  tokenVersion: number;
  expiresAt: number;
}

/** What the cache drops: sessions by id, every session of some users, or everything. */
export interface Invalidation {
  sessions?: string[];
  users?: string[];
  all?: boolean;
}

/**
 * The principals that access tokens resolved to, by session: what JwtStrategy would otherwise
 * read from the users and sessions collections on every request. Bounded in size and age; an
 * entry goes as soon as a write touches its user or its session (PrincipalInvalidation). A
 * lookup that was under way while anything was dropped does not store its answer
 * (`generation`), so a read from before a write can never be cached after it.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private readonly sessionsOfUser = new Map<string, Set<string>>();
  private generationCount = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** Taken before a lookup and handed back to `set`. */
  get generation(): number {
    return this.generationCount;
  }

  get(sessionId: string, userId: string, tokenVersion: number): AuthenticatedUser | undefined {
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.drop(sessionId);
      return undefined;
    }
    return entry.principal.id === userId && entry.tokenVersion === tokenVersion
      ? entry.principal
      : undefined;
  }

  set(principal: AuthenticatedUser, tokenVersion: number, generation: number): void {
    const sessionId = principal.sessionId;
    if (!this.enabled || !sessionId || generation !== this.generationCount) return;
    this.drop(sessionId);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.drop(oldest);
    }
    this.entries.set(sessionId, { principal, tokenVersion, expiresAt: this.now() + this.ttlMs });
    const sessions = this.sessionsOfUser.get(principal.id) ?? new Set<string>();
    sessions.add(sessionId);
    this.sessionsOfUser.set(principal.id, sessions);
  }

  invalidate({ sessions = [], users = [], all = false }: Invalidation): void {
    this.generationCount++;
    if (all) {
      this.entries.clear();
      this.sessionsOfUser.clear();
      return;
    }
    for (const sessionId of sessions) this.drop(sessionId);
    for (const userId of users) {
      for (const sessionId of [...(this.sessionsOfUser.get(userId) ?? [])]) this.drop(sessionId);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private drop(sessionId: string): void {
    const entry = this.entries.get(sessionId);
    if (!entry) return;
    this.entries.delete(sessionId);
    const sessions = this.sessionsOfUser.get(entry.principal.id);
    sessions?.delete(sessionId);
    if (sessions?.size === 0) this.sessionsOfUser.delete(entry.principal.id);
  }
}
