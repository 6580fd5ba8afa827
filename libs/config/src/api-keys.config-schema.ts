import { z } from 'zod';
import { duration, withDefault } from './schema-fields';

export interface ApiKeysConfig {
  /** The furthest a personal API key's expiresAt may be from its creation. */
  maxTtlMs: number;
}

const DAY_MS = 86_400_000;

/** The personal API key variables, composed into the one environment schema. */
export const apiKeysEnvironment = {
  API_KEY_MAX_TTL: withDefault(duration('365d'), '365d').pipe(
    z
      .number()
      .min(DAY_MS, 'must be at least 1d')
      .max(5 * 365 * DAY_MS, 'must be at most 1825d (five years)'),
  ),
};

export function apiKeysConfigFrom(env: { API_KEY_MAX_TTL: number }): ApiKeysConfig {
  return { maxTtlMs: env.API_KEY_MAX_TTL };
}
