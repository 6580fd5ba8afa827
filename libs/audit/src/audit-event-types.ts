export const AUDIT_EVENT_TYPES = [
  'login_succeeded',
  'login_failed',
  'account_locked',
  'refresh_token_reused',
  'password_changed',
  'user_created',
  'role_changed',
  'user_disabled',
  'user_enabled',
  'quota_changed',
  'user_deleted',
  'file_uploaded',
  'file_downloaded',
  'file_renamed',
  'file_deleted',
  'share_created',
  'share_revoked',
  'link_created',
  'link_revoked',
  'link_downloaded',
  'link_unlock_failed',
  'link_recipient_code_sent',
  'link_recipient_verified',
  'link_recipient_verification_failed',
  'keys_rotated',
  'upload_infected',
  'upload_unscanned',
  'file_integrity_failed',
  'account_exported',
  'mfa_enrolled',
  'mfa_confirmed',
  'mfa_disabled',
  'mfa_verify_succeeded',
  'mfa_verify_failed',
  'mfa_recovery_code_used',
  'passkey_registered',
  'passkey_renamed',
  'passkey_removed',
  'passkey_counter_regressed',
  'group_created',
  'group_updated',
  'group_deleted',
  'group_member_added',
  'group_member_removed',
  'bundle_created',
  'bundle_updated',
  'bundle_deleted',
  'bundle_archive_downloaded',
  'link_policy_changed',
  'api_key_created',
  'api_key_first_used',
  'api_key_revoked',
  'session_revoked',
  'sso_login_succeeded',
  'sso_login_failed',
  'sso_identity_linked',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** Security events are audit events; the older names stay for existing callers. */
export const SECURITY_EVENT_TYPES = AUDIT_EVENT_TYPES;
export type SecurityEventType = AuditEventType;

export const AUDIT_OUTCOMES = ['success', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Types that record a refusal or an attack; their outcome is 'failure' unless a caller says otherwise. */
export const FAILURE_EVENT_TYPES: ReadonlySet<AuditEventType> = new Set<AuditEventType>([
  'login_failed',
  'account_locked',
  'refresh_token_reused',
  'link_unlock_failed',
  'link_recipient_verification_failed',
  'mfa_verify_failed',
  'passkey_counter_regressed',
  'sso_login_failed',
  'upload_infected',
  'file_integrity_failed',
]);

/** What the owner's access ledger of a file shows: who fetched its bytes, by account or by link. */
export const FILE_ACCESS_EVENT_TYPES = [
  'file_downloaded',
  'link_downloaded',
] as const satisfies readonly AuditEventType[];
export type FileAccessEventType = (typeof FILE_ACCESS_EVENT_TYPES)[number];
