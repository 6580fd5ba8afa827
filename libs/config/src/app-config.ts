import type { MailConfig } from './mail.config-schema';
import type { ApiKeysConfig } from './api-keys.config-schema';
import type { WebhooksConfig } from './webhooks.config-schema';
import type { MfaConfig } from './mfa.config-schema';
import type { WebAuthnConfig } from './webauthn.config-schema';
import type { OidcConfig } from './oidc.config-schema';
import type { KeysConfig } from './keys.config-schema';
import type { RetentionConfig } from './retention.config-schema';
import type { AuditConfig } from './audit.config-schema';

export type Environment = 'development' | 'test' | 'production';
export type StorageDriver = 'local' | 's3' | 'gcs';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface HttpConfig {
  port: number;
  /** Express `trust proxy` value: hop count, or a list of addresses/subnets. */
  trustProxy: number | string[] | false;
  /** `localhost` accepts any http(s)://localhost or 127.0.0.1 origin (development only). */
  allowedOrigins: string[] | 'localhost';
  /**
   * Base of every absolute URL we hand out (share links), never taken from the request's Host;
   * no trailing slash. Outside production, http://localhost:<PORT> unless PUBLIC_URL is set.
   */
  publicUrl: string;
  jsonBodyLimit: number;
  /** Time for the request headers to arrive; slow-loris protection. */
  headersTimeoutMs: number;
  /** Time for a request body to arrive, except a streamed upload's; slow-body protection. */
  bodyTimeoutMs: number;
  /** Idle time allowed on a socket between and within requests; an upload that keeps sending is never cut. */
  idleTimeoutMs: number;
  keepAliveTimeoutMs: number;
  shutdownTimeoutMs: number;
}

export interface DatabaseConfig {
  /** Unset in development and test: the embedded database is started instead. */
  url?: string;
  serverSelectionTimeoutMs: number;
  pingTimeoutMs: number;
  /**
   * Connections the driver's pool opens to one server at most; operations beyond wait for one.
   * The driver's own cap is 100 per server per instance, which a burst fills and keeps.
   */
  maxPoolSize: number;
  /** A pooled connection unused this long is closed, so the pool shrinks again after a burst. */
  maxIdleTimeMs: number;
}

export interface StorageConfig {
  driver: StorageDriver;
  maxFileSize: number;
  /** Temporaries of interrupted writes older than this are swept. */
  tempObjectMaxAgeMs: number;
  local: { path: string };
  s3?: {
    bucket: string;
    region: string;
    endpoint?: string;
    forcePathStyle: boolean;
    /** The bucket has S3 Object Lock: holds and retention are also set on the objects. */
    objectLock?: boolean;
    /** Bytes all S3 uploads together may hold in part buffers (S3_UPLOAD_MEMORY). */
    uploadMemory?: number;
  };
  gcs?: { bucket: string; projectId?: string; apiEndpoint?: string };
}

export interface AuthConfig {
  secretKey: string;
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  /** How long a request may reuse the principal an access token resolved to; 0: never. */
  principalCacheTtlMs: number;
  registration: 'open' | 'closed';
  allowedEmailDomains: string[];
  admin?: { email: string; password: string };
  lockout: LoginLockoutConfig;
  /** Requests per RATE_LIMIT_WINDOW and client IP to register, login and refresh. */
  rateLimit: number;
}

/** Failed logins within `durationMs` that lock an account or a client IP out for `durationMs`. */
export interface LoginLockoutConfig {
  accountThreshold: number;
  ipThreshold: number;
  durationMs: number;
}

export interface LinksConfig {
  defaultTtlMs: number;
  maxTtlMs: number;
  requirePassword: boolean;
}

export interface RateLimitConfig {
  windowMs: number;
  limit: number;
  redisUrl?: string;
}

export interface ClamavConfig {
  host: string;
  port: number;
  /** Accept uploads unscanned (with a warning event) when clamd fails; never in production. */
  failOpen: boolean;
  connectTimeoutMs: number;
  /** How long clamd may go without taking bytes or, after the last byte, without answering. */
  scanTimeoutMs: number;
}

export interface UploadsConfig {
  /** How long a resumable upload may stay unfinished before it is swept (UPLOAD_EXPIRY). */
  expiryMs: number;
}

export interface AppConfig {
  environment: Environment;
  version: string;
  dataDir: string;
  /** The built web app (index.html and assets) served at `/`. */
  webAppDir: string;
  http: HttpConfig;
  database: DatabaseConfig;
  storage: StorageConfig;
  auth: AuthConfig;
  encryptionKeys: EncryptionKey[];
  /** Who wraps new data keys (KEY_PROVIDER) and the key cache. */
  keys: KeysConfig;
  links: LinksConfig;
  rateLimit: RateLimitConfig;
  /** Set when CLAMAV_HOST is: every upload is scanned by clamd before it becomes ready. */
  clamav?: ClamavConfig;
  uploads: UploadsConfig;
  logLevel: LogLevel;
  /** When set, /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  mfa: MfaConfig;
  mail: MailConfig;
  webhooks: WebhooksConfig;
  apiKeys: ApiKeysConfig;
  webauthn: WebAuthnConfig;
  /** Set when OIDC_ISSUER is: single sign-on through that provider. */
  oidc?: OidcConfig;
  retention: RetentionConfig;
  /** Signed checkpoints of the audit chain. */
  audit: AuditConfig;
}
