import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { claimNumberedSlot, indexesBuilt, type NumberedSlotStore } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { LoginAttemptSlot } from './login-attempt-slot.schema';

export interface LoginSubject {
  /** Absent when the attempt names no account (a passkey nobody registered): only the IP counts. */
  email?: string;
  ip: string;
}

export interface Lockout {
  scope: 'account' | 'ip';
  retryAfterSeconds: number;
}

interface HeldSlot {
  id: Types.ObjectId;
  slot: number;
  threshold: number;
  scope: Lockout['scope'];
}

/** An attempt that may go ahead: it holds one slot of the account and one of the IP. */
export interface HeldAttempt {
  readonly subject: LoginSubject;
  readonly slots: readonly HeldSlot[];
}

export type Reservation = { attempt: HeldAttempt; lockout?: never } | { lockout: Lockout };

/** The collection of the former per-key counters, which nothing reads or erases any more. */
const FORMER_COUNTERS = 'login_attempts';

/**
 * Time-bounded lockouts after repeated failed logins, per account and per client IP, kept in the
 * database so they hold across instances. A lock always expires: an attacker can delay a victim
 * for at most LOGIN_LOCKOUT_DURATION at a time, never lock them out for good.
 *
 * Every attempt first takes a numbered slot of its account and of its IP (see claimNumberedSlot),
 * before the password is checked, so a burst of concurrent attempts cannot all pass a check
 * made before any of them failed: at most `threshold` verifications per key run in any
 * LOGIN_LOCKOUT_DURATION. A failure keeps its slots until they expire; a key whose slots are all
 * held is locked until its oldest one expires.
 */
@Injectable()
export class LoginLockoutService implements OnModuleInit {
  private readonly indexesBuilt: () => Promise<unknown>;

  constructor(
    @InjectModel(LoginAttemptSlot.name) private readonly slots: Model<LoginAttemptSlot>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.indexesBuilt = indexesBuilt(slots);
  }

  async onModuleInit(): Promise<void> {
    await this.indexesBuilt();
    await this.slots.db.dropCollection(FORMER_COUNTERS).catch((error: { codeName?: string }) => {
      if (error?.codeName !== 'NamespaceNotFound') throw error;
    });
  }

  /** Takes the attempt's slots, or answers the lock in force when the account or IP has none free. */
  async reserve(subject: LoginSubject): Promise<Reservation> {
    await this.indexesBuilt();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.auth.lockout.durationMs);
    // Expired slots are swept here rather than by a TTL index, which the embedded database lacks.
    await this.slots.deleteMany({ expiresAt: { $lte: now } }).exec();
    const attempt = { subject, slots: [] as HeldSlot[] };
    try {
      for (const { key, threshold, scope } of this.keys(subject)) {
        const held = await claimNumberedSlot(this.store(key, expiresAt), threshold);
        if (held === undefined) {
          await this.release(attempt);
          return { lockout: await this.lockoutOf(key, scope, now) };
        }
        attempt.slots.push({ ...held, threshold, scope });
      }
    } catch (error) {
      await this.release(attempt).catch(() => undefined);
      throw error;
    }
    return { attempt };
  }

  /**
   * The attempt failed: its slots stay held until they expire. Returns the lock this failure
   * completed (it took the account's or the IP's last slot), if any.
   */
  failed(attempt: HeldAttempt): Lockout | undefined {
    const last = attempt.slots.find(({ slot, threshold }) => slot === threshold - 1);
    return last && { scope: last.scope, retryAfterSeconds: this.durationSeconds() };
  }

  /** A success frees its own slots and the account's; the IP's failures stay, so spraying is still seen. */
  async succeeded(attempt: HeldAttempt): Promise<void> {
    await this.release(attempt);
    if (attempt.subject.email !== undefined) await this.forgetAccount(attempt.subject.email);
  }

  /** Gives the attempt's slots back, as if it had never been made. */
  async release(attempt: HeldAttempt): Promise<void> {
    if (attempt.slots.length === 0) return;
    await this.slots.deleteMany({ _id: { $in: attempt.slots.map(({ id }) => id) } }).exec();
  }

  /** Drops the account's failures and lock (on success, and when the account is erased). */
  async forgetAccount(email: string): Promise<void> {
    await this.slots.deleteMany({ key: this.accountKey(email) }).exec();
  }

  private store(
    key: string,
    expiresAt: Date,
  ): NumberedSlotStore<{ id: Types.ObjectId; slot: number }> {
    return {
      taken: (below) =>
        this.slots
          .countDocuments(below === undefined ? { key } : { key, slot: { $lt: below } })
          .exec(),
      insert: async (slot) => ({
        id: (await this.slots.create({ key, slot, expiresAt }))._id,
        slot,
      }),
    };
  }

  private async lockoutOf(key: string, scope: Lockout['scope'], now: Date): Promise<Lockout> {
    const oldest = await this.slots
      .findOne({ key, expiresAt: { $gt: now } }, { expiresAt: 1 })
      .sort({ expiresAt: 1 })
      .lean()
      .exec();
    const remainingMs = oldest ? oldest.expiresAt.getTime() - now.getTime() : 0;
    return { scope, retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
  }

  private durationSeconds(): number {
    return Math.ceil(this.config.auth.lockout.durationMs / 1000);
  }

  private accountKey(email: string): string {
    return `account:${email}`;
  }

  private keys(subject: LoginSubject) {
    const { accountThreshold, ipThreshold } = this.config.auth.lockout;
    const ip = { key: `ip:${subject.ip}`, threshold: ipThreshold, scope: 'ip' } as const;
    if (subject.email === undefined) return [ip];
    return [
      {
        key: this.accountKey(subject.email),
        threshold: accountThreshold,
        scope: 'account',
      } as const,
      ip,
    ];
  }
}
