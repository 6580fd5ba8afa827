import { z } from 'zod';
import { blankToUndefined, duration, durationOrOff, withDefault } from './schema-fields';

export interface AuditConfig {
  /** The Ed25519 private key (its 32-byte seed) that signs checkpoints of the audit chain. */
  signingKey: Buffer;
  /** Raw 32-byte public keys of earlier signing keys, still trusted to verify old checkpoints. */
  verifyKeys: Buffer[];
  /** A checkpoint is due once this many events wait for one… */
  checkpointEvery: number;
  /** …or once the oldest waiting event is this old. */
  checkpointIntervalMs: number;
  /** With REDIS_URL: how long an instance reuses a person's wrapped audit key; 0 reads every time. */
  subjectKeyCacheTtlMs: number;
}

const ED25519_KEY_BYTES = 32;
/** A random 32-byte key has about 26 distinct byte values; fewer than 16 is a made-up one. */
const MIN_DISTINCT_BYTES = 16;

const GENERATE_HINT = 'openssl genpkey -algorithm ed25519 -outform DER | tail -c 32 | base64';

/** Why a base64 key is unusable, or undefined when it is fine. */
export function weakAuditKeyReason(text: string): string | undefined {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== ED25519_KEY_BYTES || key.toString('base64') !== text.trim()) {
    return `must be ${ED25519_KEY_BYTES} bytes in base64 (generate one with: ${GENERATE_HINT})`;
  }
  if (new Set(key).size < MIN_DISTINCT_BYTES) {
    return `is not random enough (generate one with: ${GENERATE_HINT})`;
  }
  return undefined;
}

const base64Key = z.string().transform((text, ctx) => {
  const reason = weakAuditKeyReason(text);
  if (reason) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: reason });
    return z.NEVER;
  }
  return Buffer.from(text.trim(), 'base64');
});

const publicKeyList = z.string().transform((text, ctx) => {
  const keys: Buffer[] = [];
  for (const entry of text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const key = Buffer.from(entry, 'base64');
    if (key.length !== ED25519_KEY_BYTES) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `entry ${keys.length + 1} is not a ${ED25519_KEY_BYTES}-byte Ed25519 public key in base64`,
      });
      return z.NEVER;
    }
    keys.push(key);
  }
  return keys;
});

/** The audit trail's variables, composed into the one environment schema. */
export const auditEnvironment = {
  AUDIT_SIGNING_KEY: z.preprocess(blankToUndefined, base64Key.optional()),
  AUDIT_VERIFY_KEYS: withDefault(publicKeyList, ''),
  AUDIT_CHECKPOINT_EVERY: withDefault(
    z
      .string()
      .trim()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().int().min(1).max(1_000_000)),
    '1000',
  ),
  AUDIT_CHECKPOINT_INTERVAL: withDefault(
    duration('5m').pipe(z.number().min(1_000, 'must be at least 1s')),
    '5m',
  ),
  AUDIT_KEY_CACHE_TTL: withDefault(durationOrOff('5m'), '5m'),
};

/** Production signs with a key the operator keeps; a generated one would die with the data folder. */
export function auditProductionProblems(env: Record<string, string | undefined>): string[] {
  if (env.AUDIT_SIGNING_KEY === undefined) {
    return [
      `AUDIT_SIGNING_KEY: required in production, the Ed25519 key that signs audit checkpoints (generate one with: ${GENERATE_HINT})`,
    ];
  }
  return [];
}

export function auditConfigFrom(
  env: {
    AUDIT_SIGNING_KEY?: Buffer;
    AUDIT_VERIFY_KEYS: Buffer[];
    AUDIT_CHECKPOINT_EVERY: number;
    AUDIT_CHECKPOINT_INTERVAL: number;
    AUDIT_KEY_CACHE_TTL: number;
  },
  generatedSigningKey: string | undefined,
): AuditConfig {
  const signingKey = env.AUDIT_SIGNING_KEY ?? base64Key.parse(generatedSigningKey);
  return {
    signingKey,
    verifyKeys: env.AUDIT_VERIFY_KEYS,
    checkpointEvery: env.AUDIT_CHECKPOINT_EVERY,
    checkpointIntervalMs: env.AUDIT_CHECKPOINT_INTERVAL,
    subjectKeyCacheTtlMs: env.AUDIT_KEY_CACHE_TTL,
  };
}
