import type { SecurityEventsService } from '@strongroom/audit';
import { type ClientContext, TooManyAttemptsException } from '@strongroom/common';
import type { LoginLockoutService, LoginSubject } from '../lockout/login-lockout.service';

/** Second-factor attempts obey the sign-in lockout: while it holds, no code is even checked. */
export async function refuseWhileLockedOut(
  lockout: LoginLockoutService,
  subject: LoginSubject,
): Promise<void> {
  const active = await lockout.activeLockout(subject);
  if (!active) return;
  const who = active.scope === 'account' ? 'this account' : 'your network address';
  throw new TooManyAttemptsException(
    `Too many failed sign-ins for ${who}; try again in ${active.retryAfterSeconds} seconds`,
    active.retryAfterSeconds,
  );
}

export interface WrongSecondFactor {
  userId: string;
  subject: LoginSubject;
  client: ClientContext;
  /** Set when a signed-in user made the attempt (removing the factor). */
  actorId?: string;
  details?: Record<string, string>;
}

/** Counts a wrong code (or password at removal) like a failed login, and records the lock it sets. */
export async function recordWrongSecondFactor(
  lockout: LoginLockoutService,
  events: SecurityEventsService,
  { userId, subject, client, actorId, details }: WrongSecondFactor,
): Promise<void> {
  const triggered = await lockout.recordFailure(subject);
  await events.record({ type: 'mfa_verify_failed', client, actorId, subjectId: userId, details });
  if (triggered) {
    await events.record({
      type: 'account_locked',
      client,
      subjectId: userId,
      details: {
        email: subject.email,
        scope: triggered.scope,
        seconds: triggered.retryAfterSeconds,
        step: 'second_factor',
      },
    });
  }
}
