import { type ExecutionContext, SetMetadata } from '@nestjs/common';

export const AUTH_RATE_LIMITED = 'strongroom:authRateLimited';
export const AUTH_THROTTLER = 'auth';

/** Puts a route under the stricter per-IP `auth` throttler (AUTH_RATE_LIMIT_MAX per window). */
export const AuthRateLimited = () => SetMetadata(AUTH_RATE_LIMITED, true);

export function isAuthRateLimited(context: ExecutionContext): boolean {
  return Reflect.getMetadata(AUTH_RATE_LIMITED, context.getHandler()) === true;
}
