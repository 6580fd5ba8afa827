import type { Role } from '@strongroom/common';
import type { OidcConfig } from '@strongroom/config';

export type Claims = Record<string, unknown>;

/** Ordered from least to most privilege; the highest role any value maps to wins. */
const ROLE_RANK: Record<Role, number> = { user: 0, auditor: 1, admin: 2 };

/** A claim's values: a string, a list of strings, or (Azure app roles, Keycloak) nested by dots. */
export function claimValues(claims: Claims, name: string): string[] {
  let value: unknown = claims[name];
  if (value === undefined && name.includes('.')) {
    value = name.split('.').reduce<unknown>((node, key) => {
      return node && typeof node === 'object' ? (node as Claims)[key] : undefined;
    }, claims);
  }
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** Whether the access claim holds one of the values that grant access (always, when unset). */
export function grantsAccess(claims: Claims, config: OidcConfig): boolean {
  if (!config.accessClaim) return true;
  const values = claimValues(claims, config.accessClaim);
  return values.some((value) => config.accessValues.includes(value));
}

/** The role the claims map to: the highest of every matching value, else `user`. */
export function roleFromClaims(claims: Claims, config: OidcConfig): Role {
  if (!config.roleClaim) return 'user';
  const values = new Set(claimValues(claims, config.roleClaim));
  return config.roleMap
    .filter((mapping) => values.has(mapping.value))
    .reduce<Role>(
      (best, mapping) => (ROLE_RANK[mapping.role] > ROLE_RANK[best] ? mapping.role : best),
      'user',
    );
}
