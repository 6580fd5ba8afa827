export const ROLES = ['user', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as established by the authentication guard for this request. */
export interface AuthenticatedUser {
  id: string;
  email: string;
  role: Role;
}
