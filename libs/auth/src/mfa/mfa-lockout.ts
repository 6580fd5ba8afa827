import { TooManyAttemptsException } from '@strongroom/common';
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
