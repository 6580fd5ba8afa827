export * from './app-config';
export { APP_CONFIG } from './config.tokens';
export { AppConfigModule } from './config.module';
export {
  ConfigValidationError,
  type GeneratedSecrets,
  parseEncryptionKeys,
  parseEnvironment,
  type RawEnvironment,
} from './config.schema';
export { loadConfig } from './load-config';
export { parseByteSize, parseDuration } from './units';
export type { MfaConfig } from './mfa.config-schema';
export type { MailConfig } from './mail.config-schema';
export type { ApiKeysConfig } from './api-keys.config-schema';
export type { WebhooksConfig } from './webhooks.config-schema';
export type { WebAuthnConfig } from './webauthn.config-schema';
export { OIDC_CALLBACK_PATH, type OidcConfig, type OidcRoleMapping } from './oidc.config-schema';
export {
  KEY_PROVIDERS,
  type AwsKmsConfig,
  type KeyProviderName,
  type KeysConfig,
} from './keys.config-schema';
export { MAX_RETENTION_DAYS, type RetentionConfig } from './retention.config-schema';
export type { AuditConfig } from './audit.config-schema';
