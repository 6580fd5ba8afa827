import type { Role } from './admin';
import { jsonRequest } from './json-request';
import { session } from './session';

/** The limits a rule sets; null leaves a limit to the other rules and the server's defaults. */
export interface LinkPolicyLimits {
  maxTtlSeconds: number | null;
  requirePassword: boolean | null;
  maxDownloads: number | null;
  publicLinks: boolean | null;
  allowedRecipientDomains: string[] | null;
}

/** A rule for one role or one group; the strictest rule that applies to a person wins. */
export interface LinkPolicyRule extends LinkPolicyLimits {
  id: string;
  role?: Role;
  groupId?: string;
  updatedAt: string;
}

export type RuleSubject = { role: Role } | { groupId: string };

const POLICIES = '/api/v1/link-policies';

export const listRules = () => session.request(POLICIES) as Promise<LinkPolicyRule[]>;

export const createRule = (subject: RuleSubject, limits: LinkPolicyLimits) =>
  session.request(
    POLICIES,
    jsonRequest('POST', { ...subject, ...limits }),
  ) as Promise<LinkPolicyRule>;

export const updateRule = (id: string, limits: LinkPolicyLimits) =>
  session.request(`${POLICIES}/${id}`, jsonRequest('PATCH', limits)) as Promise<LinkPolicyRule>;

export async function deleteRule(id: string): Promise<void> {
  await session.request(`${POLICIES}/${id}`, { method: 'DELETE' });
}
