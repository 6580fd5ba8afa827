import type { ApiKeyScope } from './api-key-scopes';

export const ROLES = ['user', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as established by the authentication guard for this request. */
export interface AuthenticatedUser {
  id: string;
  email: string;
  role: Role;
  /** The signed-in session (refresh-token family) an access token belongs to. */
  sessionId?: string;
  /** Set when the caller presented a personal API key instead of an access token. */
  apiKey?: { id: string; scopes: readonly ApiKeyScope[] };
}
