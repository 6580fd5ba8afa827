import { z } from 'zod';
import { ROLES, type Role } from '@strongroom/common';
import { blankToUndefined, withDefault } from './schema-fields';
import { parseDuration } from './units';

/** The callback route; OIDC_REDIRECT_URL defaults to PUBLIC_URL followed by it. */
export const OIDC_CALLBACK_PATH = '/api/v1/auth/oidc/callback';

export interface OidcRoleMapping {
  /** A value of the role claim (an IdP group, app role…). */
  value: string;
  role: Role;
}

export interface OidcConfig {
  /** The issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** Unset: a public client (PKCE only), allowed outside production. */
  clientSecret?: string;
  redirectUrl: string;
  scopes: string;
  /** The claim whose values pick the role; unset: every SSO account gets `user`. */
  roleClaim?: string;
  roleMap: OidcRoleMapping[];
  /** The claim whose values fill the groups bound to them (`idpGroup`); unset: no group follows it. */
  groupsClaim?: string;
  /** The claim that must hold one of `accessValues` for a sign-in to be allowed at all. */
  accessClaim?: string;
  accessValues: string[];
  /** Create an account at a first sign-in; off: only linked accounts may sign in. */
  jitProvisioning: boolean;
  /** Password sign-in is off for everyone but `breakGlassEmails`. */
  only: boolean;
  /** Addresses that may still sign in with a password when `only` is set (compared normalised). */
  breakGlassEmails: string[];
  /** What the sign-in button calls the provider. */
  displayName: string;
  /** Allowed clock difference when checking the ID token's times. */
  clockToleranceMs: number;
}

const text = z.preprocess(blankToUndefined, z.string().trim().optional());

const httpUrl = (example: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .refine((value) => {
        try {
          const url = new URL(value);
          return /^https?:$/.test(url.protocol) && !url.username && !url.password && !url.hash;
        } catch {
          return false;
        }
      }, `must be an http(s) URL such as ${example}, without credentials or fragment`)
      .optional(),
  );

const list = z.preprocess(
  (value) => blankToUndefined(value) ?? '',
  z.string().transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  ),
);

const flag = (fallback: 'true' | 'false') =>
  withDefault(
    z
      .string()
      .trim()
      .toLowerCase()
      .refine((value) => ['true', 'false', '1', '0', 'yes', 'no'].includes(value), {
        message: 'must be true or false',
      })
      .transform((value) => ['true', '1', 'yes'].includes(value)),
    fallback,
  );

/** `value:role` pairs; the value may itself hold colons (URNs), the role is after the last one. */
const roleMap = list.transform((entries, ctx): OidcRoleMapping[] => {
  const mappings: OidcRoleMapping[] = [];
  for (const entry of entries) {
    const separator = entry.lastIndexOf(':');
    const value = entry.slice(0, Math.max(separator, 0)).trim();
    const role = entry
      .slice(separator + 1)
      .trim()
      .toLowerCase();
    if (separator <= 0 || !value || !(ROLES as readonly string[]).includes(role)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `'${entry}' is not value:role with a role of ${ROLES.join(', ')}, e.g. strongroom-admins:admin`,
      });
      return z.NEVER;
    }
    mappings.push({ value, role: role as Role });
  }
  return mappings;
});

/** The single sign-on variables, composed into the one environment schema. */
export const oidcEnvironment = {
  OIDC_ISSUER: httpUrl('https://login.example.com/realms/acme'),
  OIDC_CLIENT_ID: text,
  OIDC_CLIENT_SECRET: text,
  OIDC_REDIRECT_URL: httpUrl('https://files.example.com/api/v1/auth/oidc/callback'),
  OIDC_SCOPES: withDefault(
    z
      .string()
      .trim()
      .refine((value) => value.split(/\s+/).includes('openid'), 'must include openid'),
    'openid email profile',
  ),
  OIDC_ROLE_CLAIM: text,
  OIDC_ROLE_MAP: roleMap,
  OIDC_GROUPS_CLAIM: text,
  OIDC_ACCESS_CLAIM: text,
  OIDC_ACCESS_VALUES: list,
  OIDC_JIT_PROVISIONING: flag('true'),
  OIDC_ONLY: flag('false'),
  OIDC_BREAK_GLASS_EMAILS: list,
  OIDC_DISPLAY_NAME: withDefault(z.string().trim().max(60, 'must be at most 60 characters'), 'SSO'),
  OIDC_CLOCK_TOLERANCE: withDefault(
    z.string().transform((value, ctx) => {
      const ms = /^\s*0+\s*(ms|s|m)?\s*$/i.test(value) ? 0 : parseDuration(value);
      if (ms === undefined || ms > 5 * 60_000) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `'${value}' is not a duration from 0s to 5m, e.g. 30s`,
        });
        return z.NEVER;
      }
      return ms;
    }),
    '30s',
  ),
};

interface OidcEnvironment {
  OIDC_ISSUER?: string;
  OIDC_CLIENT_ID?: string;
  OIDC_CLIENT_SECRET?: string;
  OIDC_REDIRECT_URL?: string;
  OIDC_SCOPES: string;
  OIDC_ROLE_CLAIM?: string;
  OIDC_ROLE_MAP: OidcRoleMapping[];
  OIDC_GROUPS_CLAIM?: string;
  OIDC_ACCESS_CLAIM?: string;
  OIDC_ACCESS_VALUES: string[];
  OIDC_JIT_PROVISIONING: boolean;
  OIDC_ONLY: boolean;
  OIDC_BREAK_GLASS_EMAILS: string[];
  OIDC_DISPLAY_NAME: string;
  OIDC_CLOCK_TOLERANCE: number;
}

/** Rules across the variables, in every environment. */
export function oidcProblems(env: OidcEnvironment): string[] {
  const problems: string[] = [];
  if (env.OIDC_ISSUER === undefined) {
    if (env.OIDC_ONLY) problems.push('OIDC_ONLY: needs OIDC_ISSUER (single sign-on is off)');
    return problems;
  }
  if (env.OIDC_CLIENT_ID === undefined) {
    problems.push('OIDC_CLIENT_ID: required when OIDC_ISSUER is set');
  }
  if (env.OIDC_ROLE_MAP.length > 0 && env.OIDC_ROLE_CLAIM === undefined) {
    problems.push('OIDC_ROLE_MAP: needs OIDC_ROLE_CLAIM, the claim whose values it maps');
  }
  if ((env.OIDC_ACCESS_CLAIM === undefined) !== (env.OIDC_ACCESS_VALUES.length === 0)) {
    problems.push(
      'OIDC_ACCESS_CLAIM and OIDC_ACCESS_VALUES: set both (the claim and the values that grant access) or neither',
    );
  }
  return problems;
}

/** Settings production refuses, each with the reason; they read raw values like the others. */
export function oidcProductionProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const issuer = env.OIDC_ISSUER?.trim();
  if (!issuer) return problems;
  if (!issuer.startsWith('https://')) {
    problems.push(
      'OIDC_ISSUER: must be https in production (discovery, keys and tokens would travel in the clear)',
    );
  }
  if (!env.OIDC_CLIENT_SECRET?.trim()) {
    problems.push(
      'OIDC_CLIENT_SECRET: required in production; the server is a confidential client, so a stolen code alone is not enough',
    );
  }
  const redirect = env.OIDC_REDIRECT_URL?.trim();
  if (redirect && !redirect.startsWith('https://')) {
    problems.push('OIDC_REDIRECT_URL: must be https in production (the code travels in it)');
  }
  const only = ['true', '1', 'yes'].includes(env.OIDC_ONLY?.trim().toLowerCase() ?? '');
  if (only && !env.OIDC_BREAK_GLASS_EMAILS?.trim()) {
    problems.push(
      'OIDC_BREAK_GLASS_EMAILS: required in production with OIDC_ONLY, so an admin can still sign in when the provider is down',
    );
  }
  return problems;
}

export function oidcConfigFrom(env: OidcEnvironment, publicUrl: string): OidcConfig | undefined {
  if (env.OIDC_ISSUER === undefined || env.OIDC_CLIENT_ID === undefined) return undefined;
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    redirectUrl: env.OIDC_REDIRECT_URL ?? `${publicUrl}${OIDC_CALLBACK_PATH}`,
    scopes: env.OIDC_SCOPES.split(/\s+/).join(' '),
    roleClaim: env.OIDC_ROLE_CLAIM,
    roleMap: env.OIDC_ROLE_MAP,
    groupsClaim: env.OIDC_GROUPS_CLAIM,
    accessClaim: env.OIDC_ACCESS_CLAIM,
    accessValues: env.OIDC_ACCESS_VALUES,
    jitProvisioning: env.OIDC_JIT_PROVISIONING,
    only: env.OIDC_ONLY,
    breakGlassEmails: env.OIDC_BREAK_GLASS_EMAILS,
    displayName: env.OIDC_DISPLAY_NAME,
    clockToleranceMs: env.OIDC_CLOCK_TOLERANCE,
  };
}
