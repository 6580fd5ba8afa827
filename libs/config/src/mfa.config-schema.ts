import { z } from 'zod';
import { ROLES, type Role } from '@strongroom/common';
import { parseDuration } from './units';

export interface MfaConfig {
  /** Roles that must have a second factor: their sign-in ends in enrolment until they have one. */
  requiredRoles: Role[];
  /** Lifetime of the single-purpose token between the password step and the code step. */
  tokenTtlMs: number;
  /** The issuer an authenticator app shows beside the account. */
  totpIssuer: string;
}

const MAX_TOKEN_TTL_MS = 15 * 60_000;

const text = (fallback: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback),
    z.string(),
  );

/** The second-factor variables, composed into the one environment schema. */
export const mfaEnvironment = {
  MFA_REQUIRED_ROLES: text('').transform((value, ctx): Role[] => {
    const roles = value
      .split(',')
      .map((role) => role.trim().toLowerCase())
      .filter(Boolean);
    const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `'${unknown.join(', ')}' is not a role; use a comma-separated list of ${ROLES.join(', ')}`,
      });
      return z.NEVER;
    }
    return [...new Set(roles as Role[])];
  }),
  MFA_TOKEN_TTL: text('5m').transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined || ms < 30_000 || ms > MAX_TOKEN_TTL_MS) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `'${value}' is not a duration between 30s and 15m, e.g. 5m`,
      });
      return z.NEVER;
    }
    return ms;
  }),
  MFA_TOTP_ISSUER: text('Strongroom').pipe(
    z
      .string()
      .max(64, 'must be at most 64 characters')
      .regex(/^[^:]+$/, 'must not contain ":"'),
  ),
};

export function mfaConfigFrom(env: {
  MFA_REQUIRED_ROLES: Role[];
  MFA_TOKEN_TTL: number;
  MFA_TOTP_ISSUER: string;
}): MfaConfig {
  return {
    requiredRoles: env.MFA_REQUIRED_ROLES,
    tokenTtlMs: env.MFA_TOKEN_TTL,
    totpIssuer: env.MFA_TOTP_ISSUER,
  };
}
