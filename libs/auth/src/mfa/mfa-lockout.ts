import type { SecurityEventsService } from '@strongroom/audit';
import type { ClientContext } from '@strongroom/common';
import { lockedOut } from '../lockout/locked-out';
import type {
  HeldAttempt,
  LoginLockoutService,
  LoginSubject,
} from '../lockout/login-lockout.service';

/**
 * Second-factor attempts obey the sign-in lockout: each takes its slots before any code is
 * checked, so a burst of guesses is bounded exactly as a burst of passwords is.
 */
export async function reserveSecondFactorAttempt(
  lockout: LoginLockoutService,
  subject: LoginSubject,
): Promise<HeldAttempt> {
  const reservation = await lockout.reserve(subject);
  if (reservation.lockout) throw lockedOut(reservation.lockout);
  return reservation.attempt;
}

export interface WrongSecondFactor {
  attempt: HeldAttempt;
  /** Unknown when a password-less attempt named no registered passkey. */
  userId?: string;
  client: ClientContext;
  /** Set when a signed-in user made the attempt (removing the factor). */
  actorId?: string;
  details?: Record<string, string>;
  /** A password-less passkey sign-in is a first step, and fails as a login does. */
  event?: 'mfa_verify_failed' | 'login_failed';
}

/** Keeps a wrong code's (or password's, at removal) slots like a failed login's, and records the lock it sets. */
export async function recordWrongSecondFactor(
  lockout: LoginLockoutService,
  events: SecurityEventsService,
  { attempt, userId, client, actorId, details, event = 'mfa_verify_failed' }: WrongSecondFactor,
): Promise<void> {
  const triggered = lockout.failed(attempt);
  await events.record({ type: event, client, actorId, subjectId: userId, details });
  if (triggered) {
    await events.record({
      type: 'account_locked',
      client,
      subjectId: userId,
      details: {
        email: attempt.subject.email ?? null,
        scope: triggered.scope,
        seconds: triggered.retryAfterSeconds,
        step: event === 'login_failed' ? 'passkey' : 'second_factor',
      },
    });
  }
}
