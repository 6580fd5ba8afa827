import { session, type TotpEnrolment } from './session';

export interface TotpState {
  enabled: boolean;
  confirmedAt: string | null;
  recoveryCodesLeft: number;
}

const TOTP = '/api/v1/users/me/mfa/totp';

const withBody = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

export const loadTotpState = () => session.request(TOTP) as Promise<TotpState>;

/** A new pending secret; the factor is on only once a code confirms it. */
export const enrolTotp = () => session.request(TOTP, withBody('POST')) as Promise<TotpEnrolment>;

export async function confirmTotp(code: string): Promise<string[]> {
  const answer = (await session.request(`${TOTP}/confirm`, withBody('POST', { code }))) as {
    recoveryCodes: string[];
  };
  return answer.recoveryCodes;
}

export async function disableTotp(password: string, code: string): Promise<void> {
  await session.request(TOTP, withBody('DELETE', { password, code }));
}

/** Every earlier token stops working, this session's too: the person signs in again. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await session.request(
    '/api/v1/users/me/password',
    withBody('PATCH', { currentPassword, newPassword }),
  );
}

export interface SignedInSession {
  id: string;
  current: boolean;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  ip: string | null;
  device: { label: string; browser: string | null; os: string | null; type: string | null };
}

const SESSIONS = '/api/v1/users/me/sessions';

export const listSessions = () => session.request(SESSIONS) as Promise<SignedInSession[]>;

export async function endSession(id: string): Promise<void> {
  await session.request(`${SESSIONS}/${encodeURIComponent(id)}`, withBody('DELETE'));
}

/** Every session but this one, or all of them (then this page signs out too). */
export async function endSessions(keepCurrent: boolean): Promise<void> {
  await session.request(`${SESSIONS}${keepCurrent ? '?keepCurrent=true' : ''}`, withBody('DELETE'));
}

export const API_KEY_SCOPES = [
  'files:read',
  'files:write',
  'shares:write',
  'links:write',
  'audit:read',
  'webhooks:write',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface ApiKey {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  hint: string;
  expiresAt: string;
  createdAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
}

const API_KEYS = '/api/v1/users/me/api-keys';

export const listApiKeys = () => session.request(API_KEYS) as Promise<ApiKey[]>;

/** The new key's secret is in `key`, in this answer only. */
export const createApiKey = (name: string, scopes: ApiKeyScope[], expiresAt: string) =>
  session.request(API_KEYS, withBody('POST', { name, scopes, expiresAt })) as Promise<
    ApiKey & { key: string }
  >;

export async function revokeApiKey(id: string): Promise<void> {
  await session.request(`${API_KEYS}/${encodeURIComponent(id)}`, withBody('DELETE'));
}

export interface Preferences {
  notifyOnLinkDownload: boolean;
}

const PREFERENCES = '/api/v1/users/me/preferences';

export const loadPreferences = () => session.request(PREFERENCES) as Promise<Preferences>;

export const savePreferences = (change: Partial<Preferences>) =>
  session.request(PREFERENCES, withBody('PATCH', change)) as Promise<Preferences>;
