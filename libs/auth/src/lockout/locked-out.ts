import { TooManyAttemptsException } from '@strongroom/common';
import type { Lockout } from './login-lockout.service';

/** The 429 for a lock in force, whichever step of signing in met it. */
export function lockedOut(lockout: Lockout): TooManyAttemptsException {
  const who = lockout.scope === 'account' ? 'this account' : 'your network address';
  return new TooManyAttemptsException(
    `Too many failed sign-ins for ${who}; try again in ${lockout.retryAfterSeconds} seconds`,
    lockout.retryAfterSeconds,
  );
}
