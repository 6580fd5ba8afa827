import { jsonRequest } from './json-request';
import { session } from './session';

export interface Group {
  id: string;
  name: string;
  description: string;
  memberCount: number;
  createdAt: string;
}

export interface GroupMember {
  userId: string;
  email: string;
  addedAt: string;
}

const GROUPS = '/api/v1/groups';

/** Every group for an admin; for anyone else the groups they belong to. */
export const listGroups = () => session.request(GROUPS) as Promise<Group[]>;

export const createGroup = (group: { name: string; description?: string }) =>
  session.request(GROUPS, jsonRequest('POST', group)) as Promise<Group>;

export const renameGroup = (id: string, name: string) =>
  session.request(`${GROUPS}/${id}`, jsonRequest('PATCH', { name })) as Promise<Group>;

export async function deleteGroup(id: string): Promise<void> {
  await session.request(`${GROUPS}/${id}`, { method: 'DELETE' });
}

export const listMembers = (id: string) =>
  session.request(`${GROUPS}/${id}/members`) as Promise<GroupMember[]>;

export const addMember = (id: string, email: string) =>
  session.request(
    `${GROUPS}/${id}/members`,
    jsonRequest('POST', { email }),
  ) as Promise<GroupMember>;

export async function removeMember(id: string, userId: string): Promise<void> {
  await session.request(`${GROUPS}/${id}/members/${userId}`, { method: 'DELETE' });
}
