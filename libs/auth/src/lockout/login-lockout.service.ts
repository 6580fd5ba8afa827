import { isDuplicateKeyError } from '@strongroom/common';
import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { LoginAttempt } from './login-attempt.schema';

export interface LoginSubject {
  email: string;
  ip: string;
}

export interface Lockout {
  scope: 'account' | 'ip';
  retryAfterSeconds: number;
}

/**
 * Time-bounded lockouts after repeated failed logins, per account and per client IP, kept in the
 * database so they hold across instances. A lock always expires: an attacker can delay a victim
 * for at most LOGIN_LOCKOUT_DURATION at a time, never lock them out for good.
 */
@Injectable()
export class LoginLockoutService {
  constructor(
    @InjectModel(LoginAttempt.name) private readonly attempts: Model<LoginAttempt>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The lock in force for this account or IP, if any. */
  async activeLockout(subject: LoginSubject): Promise<Lockout | undefined> {
    const now = new Date();
    const locked = await this.attempts
      .find({ key: { $in: this.keys(subject).map(([key]) => key) }, lockedUntil: { $gt: now } })
      .lean()
      .exec();
    if (locked.length === 0) return undefined;
    const latest = locked.reduce((a, b) => (a.lockedUntil! > b.lockedUntil! ? a : b));
    return {
      scope: latest.key.startsWith('ip:') ? 'ip' : 'account',
      retryAfterSeconds: Math.max(
        1,
        Math.ceil((latest.lockedUntil!.getTime() - now.getTime()) / 1000),
      ),
    };
  }

  /** Counts a failure for the account and the IP; returns the lock it triggered, if any. */
  async recordFailure(subject: LoginSubject): Promise<Lockout | undefined> {
    let triggered: Lockout | undefined;
    for (const [key, threshold, scope] of this.keys(subject)) {
      const failures = await this.increment(key);
      if (failures >= threshold) {
        const lockedUntil = new Date(Date.now() + this.config.auth.lockout.durationMs);
        await this.attempts
          .updateOne({ key }, { $set: { lockedUntil, failures: 0, windowStart: new Date() } })
          .exec();
        triggered ??= {
          scope,
          retryAfterSeconds: Math.ceil(this.config.auth.lockout.durationMs / 1000),
        };
      }
    }
    return triggered;
  }

  /** A successful login clears the account's count; the IP's stays, so spraying is still seen. */
  async recordSuccess(subject: LoginSubject): Promise<void> {
    await this.forgetAccount(subject.email);
  }

  /** Drops the account's failure count and lock (on success, and when the account is erased). */
  async forgetAccount(email: string): Promise<void> {
    await this.attempts.deleteOne({ key: this.accountKey(email) }).exec();
  }

  private async increment(key: string): Promise<number> {
    const now = new Date();
    const windowStart = new Date(now.getTime() - this.config.auth.lockout.durationMs);
    await this.attempts
      .updateOne(
        { key, windowStart: { $lt: windowStart } },
        { $set: { failures: 0, windowStart: now } },
      )
      .exec();
    for (let attempt = 0; ; attempt++) {
      try {
        const record = await this.attempts
          .findOneAndUpdate(
            { key },
            { $inc: { failures: 1 }, $setOnInsert: { windowStart: now, lockedUntil: null } },
            { upsert: true, new: true },
          )
          .lean()
          .exec();
        return record.failures;
      } catch (error) {
        // Two first failures racing to create the record: the loser simply increments.
        if (!isDuplicateKeyError(error) || attempt > 0) throw error;
      }
    }
  }

  private accountKey(email: string): string {
    return `account:${email}`;
  }

  private keys(subject: LoginSubject): Array<[string, number, Lockout['scope']]> {
    const { accountThreshold, ipThreshold } = this.config.auth.lockout;
    return [
      [this.accountKey(subject.email), accountThreshold, 'account'],
      [`ip:${subject.ip}`, ipThreshold, 'ip'],
    ];
  }
}
