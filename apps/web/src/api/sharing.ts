import { session } from './session';

/** With one person (userId, email) or with a group (groupId, groupName). */
export interface Share {
  id: string;
  userId?: string;
  email?: string;
  groupId?: string;
  groupName?: string;
  createdAt: string;
}

export interface Link {
  id: string;
  expiresAt: string;
  maxDownloads: number | null;
  downloads: number;
  hasPassword: boolean;
  /** Named recipients, who open the link with a code by e-mail; empty: anyone with it. */
  recipients: string[];
  revoked: boolean;
  createdAt: string;
}

export interface CreatedLink extends Link {
  token: string;
  url: string;
}

export interface NewLink {
  expiresAt: string;
  password?: string;
  maxDownloads?: number;
  recipients?: string[];
}

export type LinkState = 'active' | 'expired' | 'used-up' | 'revoked';

export function linkState(link: Link, now = Date.now()): LinkState {
  if (link.revoked) return 'revoked';
  if (new Date(link.expiresAt).getTime() <= now) return 'expired';
  if (link.maxDownloads !== null && link.downloads >= link.maxDownloads) return 'used-up';
  return 'active';
}

const post = (path: string, body: unknown) =>
  session.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

export const listShares = (fileId: string) =>
  session.request(`/api/v1/files/${fileId}/shares`) as Promise<Share[]>;

export type ShareAudience = { email: string } | { groupId: string };

export const shareWith = (fileId: string, audience: ShareAudience) =>
  post(`/api/v1/files/${fileId}/shares`, audience) as Promise<Share>;

export async function revokeShare(fileId: string, shareId: string): Promise<void> {
  await session.request(`/api/v1/files/${fileId}/shares/${shareId}`, { method: 'DELETE' });
}

export const listLinks = (fileId: string) =>
  session.request(`/api/v1/files/${fileId}/links`) as Promise<Link[]>;

export const createLink = (fileId: string, link: NewLink) =>
  post(`/api/v1/files/${fileId}/links`, link) as Promise<CreatedLink>;

export async function revokeLink(linkId: string): Promise<void> {
  await session.request(`/api/v1/links/${linkId}`, { method: 'DELETE' });
}

export interface LinkPolicy {
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
  requirePassword: boolean;
  maxDownloadsLimit: number;
  publicLinksAllowed: boolean;
  verifyRecipients: boolean;
  allowedRecipientDomains: string[] | null;
}

export const loadLinkPolicy = () => session.request('/api/v1/links/policy') as Promise<LinkPolicy>;

export interface AccessEvent {
  at: string;
  type: 'file_downloaded' | 'link_downloaded';
  userId?: string;
  linkId?: string;
  /** The address a named recipient verified. */
  recipient?: string;
  ip?: string;
  outcome: 'success' | 'failure';
}

export const loadActivity = (fileId: string) =>
  session.request(`/api/v1/files/${fileId}/activity?limit=20`) as Promise<{
    items: AccessEvent[];
    total: number;
  }>;
