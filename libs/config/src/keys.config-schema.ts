import { z } from 'zod';
import { blankToUndefined, duration, withDefault } from './schema-fields';

export const KEY_PROVIDERS = ['local', 'aws-kms'] as const;
export type KeyProviderName = (typeof KEY_PROVIDERS)[number];

export interface AwsKmsConfig {
  /** Key id, ARN or alias of the symmetric KMS key that wraps new data keys. */
  keyId: string;
  region: string;
  /** Another endpoint than AWS's (a test server); unset in normal use. */
  endpoint?: string;
  /** How long one KMS call may take before the request that needed it fails with 503. */
  timeoutMs: number;
}

export interface KeysConfig {
  /** Who wraps the data keys of new files; records name their own provider, so older ones still open. */
  provider: KeyProviderName;
  /** Set when AWS_KMS_KEY_ID is, whatever the provider, so keys it wrapped still unwrap. */
  awsKms?: AwsKmsConfig;
  /** Unwrapped data keys kept in memory, so a run of range requests costs one KMS call. */
  cache: { ttlMs: number; maxEntries: number };
}

const MAX_CACHE_TTL_MS = 5 * 60_000;

const optionalText = z.preprocess(blankToUndefined, z.string().trim().optional());

/** The key-provider variables, composed into the one environment schema. */
export const keysEnvironment = {
  KEY_PROVIDER: withDefault(z.enum(KEY_PROVIDERS), 'local'),
  AWS_KMS_KEY_ID: optionalText,
  AWS_KMS_REGION: optionalText,
  AWS_KMS_ENDPOINT: z.preprocess(blankToUndefined, z.string().trim().url().optional()),
  AWS_KMS_TIMEOUT: withDefault(duration('5s'), '5s').pipe(
    z.number().min(100, 'must be at least 100ms').max(60_000, 'must be at most 60s'),
  ),
  // 0 turns the cache off: every read asks the key provider.
  KEY_CACHE_TTL: z.preprocess(
    (value) => (typeof value === 'string' && /^\s*0\s*(ms|s|m)?\s*$/i.test(value) ? 0 : value),
    z.union([
      z.literal(0),
      withDefault(duration('30s'), '30s').pipe(
        z
          .number()
          .max(
            MAX_CACHE_TTL_MS,
            'must be at most 5m: an unwrapped key should not outlive a revoked grant by long',
          ),
      ),
    ]),
  ),
  KEY_CACHE_MAX_ENTRIES: withDefault(
    z
      .string()
      .trim()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().int().min(0).max(100_000)),
    '1000',
  ),
};

interface KeysEnvironment {
  KEY_PROVIDER: KeyProviderName;
  AWS_KMS_KEY_ID?: string;
  AWS_KMS_REGION?: string;
  AWS_KMS_ENDPOINT?: string;
  AWS_KMS_TIMEOUT: number;
  KEY_CACHE_TTL: number;
  KEY_CACHE_MAX_ENTRIES: number;
}

export function keysProblems(env: KeysEnvironment): string[] {
  const problems: string[] = [];
  if (env.KEY_PROVIDER === 'aws-kms' && env.AWS_KMS_KEY_ID === undefined) {
    problems.push('AWS_KMS_KEY_ID: required when KEY_PROVIDER=aws-kms (the key id, ARN or alias)');
  }
  if (env.AWS_KMS_KEY_ID !== undefined && env.AWS_KMS_REGION === undefined) {
    problems.push('AWS_KMS_REGION: required when AWS_KMS_KEY_ID is set (e.g. eu-central-1)');
  }
  return problems;
}

/** Settings production refuses, each with the reason; they read raw values like the others. */
export function keysProductionProblems(env: Record<string, string | undefined>): string[] {
  const endpoint = env.AWS_KMS_ENDPOINT?.trim();
  if (endpoint && !endpoint.startsWith('https://')) {
    return [
      'AWS_KMS_ENDPOINT: must be https in production (data keys travel in the answers of GenerateDataKey and Decrypt)',
    ];
  }
  return [];
}

export function keysConfigFrom(env: KeysEnvironment): KeysConfig {
  return {
    provider: env.KEY_PROVIDER,
    awsKms:
      env.AWS_KMS_KEY_ID && env.AWS_KMS_REGION
        ? {
            keyId: env.AWS_KMS_KEY_ID,
            region: env.AWS_KMS_REGION,
            endpoint: env.AWS_KMS_ENDPOINT,
            timeoutMs: env.AWS_KMS_TIMEOUT,
          }
        : undefined,
    cache: { ttlMs: env.KEY_CACHE_TTL, maxEntries: env.KEY_CACHE_MAX_ENTRIES },
  };
}
