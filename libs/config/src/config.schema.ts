import { z } from 'zod';
import path from 'node:path';
import { isIP } from 'node:net';
import { parseByteSize } from './units';
import { blankToUndefined, duration, durationOrOff, integer, withDefault } from './schema-fields';
import { uploadsConfig, uploadsEnvironment } from './uploads.config-schema';
import type { AppConfig, EncryptionKey } from './app-config';
import { mfaConfigFrom, mfaEnvironment } from './mfa.config-schema';
import { mailConfigFrom, mailEnvironment } from './mail.config-schema';
import { apiKeysConfigFrom, apiKeysEnvironment } from './api-keys.config-schema';
import { retentionConfigFrom, retentionEnvironment } from './retention.config-schema';
import { databaseConfigFrom, databaseEnvironment } from './database.config-schema';
import { webhooksConfigFrom, webhooksEnvironment } from './webhooks.config-schema';
import {
  webauthnConfigFrom,
  webauthnEnvironment,
  webauthnProblems,
} from './webauthn.config-schema';
import {
  oidcConfigFrom,
  oidcEnvironment,
  oidcProblems,
  oidcProductionProblems,
} from './oidc.config-schema';
import {
  keysConfigFrom,
  keysEnvironment,
  keysProblems,
  keysProductionProblems,
} from './keys.config-schema';
import { auditConfigFrom, auditEnvironment, auditProductionProblems } from './audit.config-schema';

export type RawEnvironment = Record<string, string | undefined>;

export interface GeneratedSecrets {
  secretKey: string;
  encryptionKeys: string;
  /** Absent from data folders created before audit checkpoints were signed. */
  auditSigningKey?: string;
}

export interface ParseOptions {
  version: string;
  cwd: string;
  /** Supplies SECRET_KEY, ENCRYPTION_KEYS and AUDIT_SIGNING_KEY outside production when unset. */
  developmentSecrets: (dataDir: string) => GeneratedSecrets;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

const MIN_SECRET_LENGTH = 32;
const KEY_BYTES = 32;

const optionalText = z.preprocess(blankToUndefined, z.string().trim().optional());

const byteSize = (example: string) =>
  z.string().transform((text, ctx) => {
    const value = parseByteSize(text);
    if (value === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `'${text}' is not a size; use bytes or units, e.g. ${example}, 1.5GB or 1048576`,
      });
      return z.NEVER;
    }
    return value;
  });

const boolean = z
  .string()
  .trim()
  .toLowerCase()
  .refine((text) => ['true', 'false', '1', '0', 'yes', 'no'].includes(text), {
    message: 'must be true or false',
  })
  .transform((text) => ['true', '1', 'yes'].includes(text));

const commaList = z.string().transform((text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const originList = commaList.superRefine((origins, ctx) => {
  for (const origin of origins) {
    if (origin === '*') continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (
      !parsed ||
      !/^https?:$/.test(parsed.protocol) ||
      parsed.origin !== origin.replace(/\/$/, '')
    ) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `'${origin}' is not an origin; use scheme://host[:port], e.g. https://files.example.com`,
      });
    }
  }
});

/** An absolute http(s) base for the URLs we hand out, kept without its trailing slash. */
const publicUrl = z.string().transform((text, ctx) => {
  let parsed: URL | undefined;
  try {
    parsed = new URL(text.trim());
  } catch {
    parsed = undefined;
  }
  if (
    !parsed ||
    !/^https?:$/.test(parsed.protocol) ||
    parsed.search !== '' ||
    parsed.hash !== '' ||
    parsed.username !== '' ||
    parsed.password !== '' ||
    text.includes('?') ||
    text.includes('#')
  ) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      // The value is not echoed: it may hold credentials.
      message:
        'must be an http(s) base URL such as https://files.example.com (a path is allowed), without query, fragment or credentials',
    });
    return z.NEVER;
  }
  return parsed.href.replace(/\/+$/, '');
});

const trustProxy = z.string().transform((text, ctx) => {
  const value = text.trim().toLowerCase();
  if (value === 'false' || value === '0') return false as const;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const named = ['loopback', 'linklocal', 'uniquelocal'];
  const bad = entries.filter((entry) => !named.includes(entry) && !isIP(entry.split('/')[0]));
  if (bad.length > 0 || entries.length === 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `'${text}' is not a proxy setting; use false, a hop count (1), or addresses/subnets such as 10.0.0.0/8,loopback`,
    });
    return z.NEVER;
  }
  return entries;
});

const encryptionKeys = z.string().transform((text, ctx): EncryptionKey[] => {
  const keys: EncryptionKey[] = [];
  for (const entry of text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(':');
    const id = separator > 0 ? entry.slice(0, separator) : '';
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(id) || key.length !== KEY_BYTES) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `entry ${keys.length + 1} is not id:base64key with a ${KEY_BYTES}-byte key (generate one with: openssl rand -base64 32)`,
      });
      return z.NEVER;
    }
    if (keys.some((existing) => existing.id === id)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `key id '${id}' appears twice` });
      return z.NEVER;
    }
    keys.push({ id, key });
  }
  if (keys.length === 0) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'lists no key' });
    return z.NEVER;
  }
  return keys;
});

const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess(blankToUndefined, schema.optional());

/** Every variable of the contract, as the process receives it. */
export const environmentSchema = z.object({
  ENVIRONMENT: withDefault(z.enum(['development', 'test', 'production']), 'development'),
  DATA_DIR: withDefault(z.string(), './var'),
  WEB_APP_DIR: withDefault(z.string(), 'apps/web/dist'),
  PORT: withDefault(integer(0, 65535), '8000'),
  MONGO_URL: optional(
    z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://'),
  ),
  SECRET_KEY: optional(
    z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`),
  ),
  STORAGE_DRIVER: withDefault(z.enum(['local', 's3', 'gcs']), 'local'),
  FILE_STORAGE_PATH: optionalText,
  MAX_FILE_SIZE: withDefault(byteSize('50MB'), '50MB'),
  TEMP_OBJECT_MAX_AGE: withDefault(
    duration('24h').pipe(
      z
        .number()
        .min(60 * 60_000, 'must be at least 1h: a younger temporary may be a running upload'),
    ),
    '24h',
  ),
  ALLOWED_ORIGINS: optional(originList),
  PUBLIC_URL: optional(publicUrl),
  S3_BUCKET: optionalText,
  S3_REGION: optionalText,
  S3_ENDPOINT: optional(z.string().url('must be a URL such as http://127.0.0.1:9000')),
  S3_FORCE_PATH_STYLE: withDefault(boolean, 'false'),
  S3_OBJECT_LOCK: withDefault(boolean, 'false'),
  S3_UPLOAD_MEMORY: withDefault(
    byteSize('32MB').pipe(z.number().min(10 * 1024 * 1024, 'must be at least 10MiB: two parts')),
    '32MB',
  ),
  GCS_BUCKET: optionalText,
  GCS_PROJECT_ID: optionalText,
  GCS_API_ENDPOINT: optional(z.string().url('must be a URL such as http://127.0.0.1:4443')),
  ENCRYPTION_KEYS: optional(encryptionKeys),
  REGISTRATION: withDefault(z.enum(['open', 'closed']), 'open'),
  ALLOWED_EMAIL_DOMAINS: withDefault(commaList, ''),
  ADMIN_EMAIL: optional(z.string().trim().email('must be an email address')),
  ADMIN_PASSWORD: optionalText,
  ACCESS_TOKEN_TTL: withDefault(duration('15m'), '15m'),
  REFRESH_TOKEN_TTL: withDefault(duration('30d'), '30d'),
  PRINCIPAL_CACHE_TTL: withDefault(durationOrOff('30s'), '30s'),
  LINK_DEFAULT_TTL: withDefault(duration('7d'), '7d'),
  LINK_MAX_TTL: withDefault(duration('90d'), '90d'),
  LINK_REQUIRE_PASSWORD: withDefault(boolean, 'false'),
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')),
  CLAMAV_HOST: optionalText,
  CLAMAV_PORT: withDefault(integer(1, 65535), '3310'),
  CLAMAV_FAIL_OPEN: withDefault(boolean, 'false'),
  CLAMAV_CONNECT_TIMEOUT: withDefault(duration('5s'), '5s'),
  CLAMAV_SCAN_TIMEOUT: withDefault(duration('60s'), '60s'),
  LOG_LEVEL: withDefault(z.enum(['debug', 'info', 'warn', 'error']), 'info'),
  TRUST_PROXY: withDefault(trustProxy, 'false'),
  RATE_LIMIT_WINDOW: withDefault(duration('1m'), '1m'),
  RATE_LIMIT_MAX: withDefault(integer(1, 1_000_000), '300'),
  JSON_BODY_LIMIT: withDefault(byteSize('100KB'), '100KB'),
  HTTP_HEADERS_TIMEOUT: withDefault(duration('30s'), '30s'),
  BODY_TIMEOUT: withDefault(duration('30s'), '30s'),
  HTTP_IDLE_TIMEOUT: withDefault(duration('2m'), '2m'),
  SHUTDOWN_TIMEOUT: withDefault(duration('30s'), '30s'),
  LOGIN_LOCKOUT_THRESHOLD: withDefault(integer(1, 1000), '5'),
  LOGIN_IP_LOCKOUT_THRESHOLD: withDefault(integer(1, 100_000), '50'),
  LOGIN_LOCKOUT_DURATION: withDefault(duration('15m'), '15m'),
  AUTH_RATE_LIMIT_MAX: withDefault(integer(1, 1_000_000), '20'),
  METRICS_TOKEN: optional(
    z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`),
  ),
  ...mfaEnvironment,
  ...apiKeysEnvironment,
  ...uploadsEnvironment,
  ...mailEnvironment,
  ...webhooksEnvironment,
  ...webauthnEnvironment,
  ...oidcEnvironment,
  ...keysEnvironment,
  ...retentionEnvironment,
  ...auditEnvironment,
  ...databaseEnvironment,
});

type ParsedEnvironment = z.infer<typeof environmentSchema>;

/** Rules that hold in every environment but span several variables. */
function crossFieldProblems(env: ParsedEnvironment): string[] {
  const problems: string[] = [];
  const require = (name: keyof ParsedEnvironment, why: string) => {
    if (env[name] === undefined) problems.push(`${name}: required ${why}`);
  };
  if (env.STORAGE_DRIVER === 's3') {
    require('S3_BUCKET', 'when STORAGE_DRIVER=s3');
    require('S3_REGION', 'when STORAGE_DRIVER=s3');
  }
  if (env.STORAGE_DRIVER === 'gcs') require('GCS_BUCKET', 'when STORAGE_DRIVER=gcs');
  if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD: set both or neither');
  }
  if (env.LINK_DEFAULT_TTL > env.LINK_MAX_TTL) {
    problems.push('LINK_DEFAULT_TTL: must not be longer than LINK_MAX_TTL');
  }
  if (env.TEMP_OBJECT_MAX_AGE < env.UPLOAD_EXPIRY) {
    // The sweep would remove the parts of resumable uploads that may still be resumed.
    problems.push('TEMP_OBJECT_MAX_AGE: must not be shorter than UPLOAD_EXPIRY');
  }
  if (env.ENVIRONMENT === 'production' && env.PUBLIC_URL !== undefined) {
    problems.push(...webauthnProblems(env, env.PUBLIC_URL));
  }
  problems.push(...oidcProblems(env));
  problems.push(...keysProblems(env));
  return problems;
}

/**
 * The contract's production rules: weak or missing settings refuse to start. They read the raw
 * values so that they are reported together with any type error in the same message.
 */
function productionProblems(raw: RawEnvironment): string[] {
  const env = Object.fromEntries(
    Object.entries(raw).map(([name, value]) => [
      name,
      blankToUndefined(value) as string | undefined,
    ]),
  );
  if (env.ENVIRONMENT?.trim() !== 'production') return [];
  const problems: string[] = [];
  if (env.MONGO_URL === undefined) {
    problems.push(
      'MONGO_URL: required in production (the embedded database is for development and tests)',
    );
  }
  if (env.SECRET_KEY === undefined) {
    problems.push(
      `SECRET_KEY: required in production, at least ${MIN_SECRET_LENGTH} random characters`,
    );
  }
  if (env.ALLOWED_ORIGINS === undefined) {
    problems.push(
      'ALLOWED_ORIGINS: required in production, the comma-separated origins of your web clients',
    );
  } else if (env.ALLOWED_ORIGINS.split(',').some((origin) => origin.trim() === '*')) {
    problems.push(
      'ALLOWED_ORIGINS: * is not allowed in production; list the origins of your web clients',
    );
  }
  if (env.PUBLIC_URL === undefined) {
    problems.push(
      'PUBLIC_URL: required in production, the address clients reach the API at (https://files.example.com); share links are built from it',
    );
  }
  if (env.ENCRYPTION_KEYS === undefined) {
    problems.push(
      'ENCRYPTION_KEYS: required in production, as id:base64key (openssl rand -base64 32)',
    );
  }
  // An unscanned file served to others is exactly what scanning is there to prevent.
  if (['true', '1', 'yes'].includes(env.CLAMAV_FAIL_OPEN?.trim().toLowerCase() ?? '')) {
    problems.push(
      'CLAMAV_FAIL_OPEN: not allowed in production (an unscanned file would be served); leave it false, or unset CLAMAV_HOST to run without scanning',
    );
  }
  if (env.METRICS_TOKEN === undefined) {
    problems.push(
      'METRICS_TOKEN: required in production, so /metrics is not public (openssl rand -base64 48)',
    );
  }
  problems.push(...oidcProductionProblems(env));
  problems.push(...keysProductionProblems(env));
  problems.push(...auditProductionProblems(env));
  return problems;
}

function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? 'environment');
    const message =
      issue.code === 'invalid_enum_value'
        ? `must be one of ${issue.options.join(', ')}`
        : issue.message;
    return `${variable}: ${message}`;
  });
}

/** Keys as ENCRYPTION_KEYS or a development secrets file writes them; throws naming the problem. */
export function parseEncryptionKeys(text: string): EncryptionKey[] {
  const parsed = encryptionKeys.safeParse(text);
  if (!parsed.success)
    throw new Error(parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}

function developmentSecrets(secrets: GeneratedSecrets) {
  return {
    secretKey: secrets.secretKey,
    encryptionKeys: encryptionKeys.parse(secrets.encryptionKeys),
    auditSigningKey: secrets.auditSigningKey,
  };
}

/** Validates the environment and returns typed configuration, or throws listing every problem. */
export function parseEnvironment(raw: RawEnvironment, options: ParseOptions): AppConfig {
  const parsed = environmentSchema.safeParse(raw);
  const problems = [
    ...(parsed.success ? crossFieldProblems(parsed.data) : zodProblems(parsed.error)),
    ...productionProblems(raw),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigValidationError(problems);
  const env = parsed.data;

  const dataDir = path.resolve(options.cwd, env.DATA_DIR);
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  const generated =
    env.SECRET_KEY === undefined ||
    env.ENCRYPTION_KEYS === undefined ||
    env.AUDIT_SIGNING_KEY === undefined
      ? developmentSecrets(options.developmentSecrets(dataDir))
      : undefined;

  return {
    environment: env.ENVIRONMENT,
    version: options.version,
    dataDir,
    webAppDir: path.resolve(options.cwd, env.WEB_APP_DIR),
    http: {
      port: env.PORT,
      trustProxy: env.TRUST_PROXY,
      allowedOrigins: env.ALLOWED_ORIGINS ?? 'localhost',
      publicUrl,
      jsonBodyLimit: env.JSON_BODY_LIMIT,
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT,
      bodyTimeoutMs: env.BODY_TIMEOUT,
      idleTimeoutMs: env.HTTP_IDLE_TIMEOUT,
      keepAliveTimeoutMs: Math.min(env.HTTP_IDLE_TIMEOUT, 65_000),
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT,
    },
    database: databaseConfigFrom(env),
    storage: {
      driver: env.STORAGE_DRIVER,
      maxFileSize: env.MAX_FILE_SIZE,
      tempObjectMaxAgeMs: env.TEMP_OBJECT_MAX_AGE,
      local: {
        path: path.resolve(options.cwd, env.FILE_STORAGE_PATH ?? path.join(dataDir, 'uploads')),
      },
      s3:
        env.S3_BUCKET && env.S3_REGION
          ? {
              bucket: env.S3_BUCKET,
              region: env.S3_REGION,
              endpoint: env.S3_ENDPOINT,
              forcePathStyle: env.S3_FORCE_PATH_STYLE,
              objectLock: env.S3_OBJECT_LOCK,
              uploadMemory: env.S3_UPLOAD_MEMORY,
            }
          : undefined,
      gcs: env.GCS_BUCKET
        ? {
            bucket: env.GCS_BUCKET,
            projectId: env.GCS_PROJECT_ID,
            apiEndpoint: env.GCS_API_ENDPOINT,
          }
        : undefined,
    },
    auth: {
      secretKey: env.SECRET_KEY ?? generated!.secretKey,
      accessTokenTtlMs: env.ACCESS_TOKEN_TTL,
      refreshTokenTtlMs: env.REFRESH_TOKEN_TTL,
      principalCacheTtlMs: env.PRINCIPAL_CACHE_TTL,
      registration: env.REGISTRATION,
      allowedEmailDomains: env.ALLOWED_EMAIL_DOMAINS.map((domain) => domain.toLowerCase()),
      admin:
        env.ADMIN_EMAIL && env.ADMIN_PASSWORD
          ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }
          : undefined,
      lockout: {
        accountThreshold: env.LOGIN_LOCKOUT_THRESHOLD,
        ipThreshold: env.LOGIN_IP_LOCKOUT_THRESHOLD,
        durationMs: env.LOGIN_LOCKOUT_DURATION,
      },
      rateLimit: env.AUTH_RATE_LIMIT_MAX,
    },
    encryptionKeys: env.ENCRYPTION_KEYS ?? generated!.encryptionKeys,
    keys: keysConfigFrom(env),
    links: {
      defaultTtlMs: env.LINK_DEFAULT_TTL,
      maxTtlMs: env.LINK_MAX_TTL,
      requirePassword: env.LINK_REQUIRE_PASSWORD,
    },
    rateLimit: {
      windowMs: env.RATE_LIMIT_WINDOW,
      limit: env.RATE_LIMIT_MAX,
      redisUrl: env.REDIS_URL,
    },
    clamav: env.CLAMAV_HOST
      ? {
          host: env.CLAMAV_HOST,
          port: env.CLAMAV_PORT,
          failOpen: env.CLAMAV_FAIL_OPEN,
          connectTimeoutMs: env.CLAMAV_CONNECT_TIMEOUT,
          scanTimeoutMs: env.CLAMAV_SCAN_TIMEOUT,
        }
      : undefined,
    uploads: uploadsConfig(env),
    logLevel: env.LOG_LEVEL,
    metricsToken: env.METRICS_TOKEN,
    mfa: mfaConfigFrom(env),
    mail: mailConfigFrom(env, publicUrl),
    webhooks: webhooksConfigFrom(env),
    apiKeys: apiKeysConfigFrom(env),
    webauthn: webauthnConfigFrom(env, publicUrl),
    oidc: oidcConfigFrom(env, publicUrl),
    retention: retentionConfigFrom(env),
    audit: auditConfigFrom(env, generated?.auditSigningKey),
  };
}
