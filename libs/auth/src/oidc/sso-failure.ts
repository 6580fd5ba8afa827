/**
 * Why a single sign-on did not end signed in. The code travels to the web app's sign-in page as
 * `?sso_error=<code>`, where it is shown as a message; nothing else about the failure leaves.
 */
export const SSO_FAILURE_MESSAGES = {
  not_configured: 'Single sign-on is not configured on this server.',
  provider_unavailable:
    'The identity provider could not be reached. Try again later, or sign in with your password if your administrator allows it.',
  provider_refused: 'The identity provider did not sign you in (it refused or was cancelled).',
  session_expired:
    'The sign-in took too long or was started in another browser. Start it again from this page.',
  invalid_state:
    'The sign-in answer did not belong to this sign-in. Start it again from this page.',
  code_rejected:
    'The identity provider refused the sign-in code (already used or expired). Start it again from this page.',
  token_expired: "The identity provider's token had expired. Start the sign-in again.",
  invalid_token:
    "The identity provider's answer failed verification (signature, audience, issuer or nonce). Ask your administrator to check the single sign-on settings.",
  access_denied:
    'Your identity provider account is not allowed to use this service. Ask your administrator for access.',
  email_missing:
    'The identity provider did not send a verified email address, which a new account needs.',
  email_in_use:
    'An account with this email already exists. Sign in with your password (and second factor) first, then link single sign-on from your account.',
  not_provisioned:
    'No account is linked to this identity and accounts are not created automatically. Ask your administrator for an account.',
  account_disabled: 'This account is disabled. Ask your administrator.',
  identity_in_use: 'This identity provider account is already linked to another account.',
  last_admin:
    'The identity provider no longer grants you the admin role, but you are the last active admin: another admin must be promoted first.',
} as const;

export type SsoFailureCode = keyof typeof SSO_FAILURE_MESSAGES;

export class SsoFailure extends Error {
  constructor(
    readonly code: SsoFailureCode,
    /** For the log and the audit event only: never shown to the client. */
    readonly detail?: string,
  ) {
    super(`${code}${detail ? `: ${detail}` : ''}`);
    this.name = 'SsoFailure';
  }
}
