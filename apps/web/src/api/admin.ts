import { jsonRequest } from './json-request';
import { session } from './session';

export type Role = 'user' | 'auditor' | 'admin';
export const ROLES: readonly Role[] = ['user', 'auditor', 'admin'];

export interface ManagedUser {
  id: string;
  email: string;
  displayName?: string;
  role: Role;
  disabled: boolean;
  storageUsed: number;
  quota: number | null;
  createdAt: string;
  lastLoginAt?: string;
}

export interface UserPage {
  items: ManagedUser[];
  page: number;
  limit: number;
  total: number;
}

export const USERS_PAGE_SIZE = 20;

export function listUsers(q: string, page: number): Promise<UserPage> {
  const params = new URLSearchParams({ page: String(page), limit: String(USERS_PAGE_SIZE) });
  if (q.trim()) params.set('q', q.trim());
  return session.request(`/api/v1/users?${params}`) as Promise<UserPage>;
}

export interface NewUser {
  email: string;
  password: string;
  role: Role;
  displayName?: string;
}

export const createUser = (user: NewUser) =>
  session.request('/api/v1/users', jsonRequest('POST', user)) as Promise<ManagedUser>;

export type UserChange = Partial<Pick<ManagedUser, 'role' | 'disabled' | 'quota'>>;

export const updateUser = (id: string, change: UserChange) =>
  session.request(`/api/v1/users/${id}`, jsonRequest('PATCH', change)) as Promise<ManagedUser>;

export async function deleteUser(id: string): Promise<void> {
  await session.request(`/api/v1/users/${id}`, { method: 'DELETE' });
}

export interface DailyActivity {
  date: string;
  uploads: number;
  bytes: number;
}

export interface InstanceStats {
  users: number;
  files: number;
  bytesStored: number;
  topUsers: Pick<ManagedUser, 'id' | 'email' | 'displayName' | 'storageUsed' | 'quota'>[];
  days: number;
  daily: DailyActivity[];
}

export const loadStats = (days = 30) =>
  session.request(`/api/v1/admin/stats?days=${days}`) as Promise<InstanceStats>;
