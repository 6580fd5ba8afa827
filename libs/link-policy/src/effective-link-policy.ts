import { BadRequestException } from '@nestjs/common';

/** The largest maxDownloads any link may have, whatever the rules. */
export const MAX_LINK_DOWNLOADS = 1_000_000;

/** A limit and the rule it comes from, so a refusal can name the rule to change. */
export interface Limit<T> {
  value: T;
  source: string;
}

/** What applies to one person's links and shares: the strictest of every rule that applies to them. */
export interface EffectiveLinkPolicy {
  defaultTtlMs: number;
  maxTtl: Limit<number>;
  requirePassword: Limit<boolean>;
  maxDownloads: Limit<number>;
  publicLinks: Limit<boolean>;
  /** Every link must name recipients who verify their address. */
  verifyRecipients: Limit<boolean>;
  /** null: any domain. */
  allowedRecipientDomains: Limit<string[] | null>;
}

export interface RuleValues {
  source: string;
  maxTtlMs: number | null;
  requirePassword: boolean | null;
  maxDownloads: number | null;
  publicLinks: boolean | null;
  verifyRecipients: boolean | null;
  allowedRecipientDomains: string[] | null;
}

const DAY_MS = 86_400_000;

/** Folds the rules into the defaults, keeping at every limit the strictest value and its source. */
export function strictestOf(defaults: RuleValues & { defaultTtlMs: number }, rules: RuleValues[]) {
  const policy: EffectiveLinkPolicy = {
    defaultTtlMs: defaults.defaultTtlMs,
    maxTtl: { value: defaults.maxTtlMs!, source: defaults.source },
    requirePassword: { value: defaults.requirePassword!, source: defaults.source },
    maxDownloads: { value: MAX_LINK_DOWNLOADS, source: defaults.source },
    publicLinks: { value: true, source: defaults.source },
    verifyRecipients: { value: false, source: defaults.source },
    allowedRecipientDomains: { value: null, source: defaults.source },
  };
  for (const rule of rules) {
    const { source } = rule;
    if (rule.maxTtlMs !== null && rule.maxTtlMs < policy.maxTtl.value)
      policy.maxTtl = { value: rule.maxTtlMs, source };
    if (rule.requirePassword && !policy.requirePassword.value)
      policy.requirePassword = { value: true, source };
    if (rule.maxDownloads !== null && rule.maxDownloads < policy.maxDownloads.value)
      policy.maxDownloads = { value: rule.maxDownloads, source };
    if (rule.publicLinks === false && policy.publicLinks.value)
      policy.publicLinks = { value: false, source };
    if (rule.verifyRecipients && !policy.verifyRecipients.value)
      policy.verifyRecipients = { value: true, source };
    if (rule.allowedRecipientDomains !== null) {
      const current = policy.allowedRecipientDomains.value;
      policy.allowedRecipientDomains = {
        value: current
          ? current.filter((domain) => rule.allowedRecipientDomains!.includes(domain))
          : [...rule.allowedRecipientDomains],
        source: current ? `${policy.allowedRecipientDomains.source} and ${source}` : source,
      };
    }
  }
  policy.defaultTtlMs = Math.min(policy.defaultTtlMs, policy.maxTtl.value);
  return policy;
}

export interface LinkRequest {
  expiresAt?: Date;
  password?: string;
  maxDownloads?: number;
  /** The addresses that may unlock the link with a one-time code. */
  recipients?: string[];
}

/**
 * Checks a new link against the policy and fills in what the request left out (the expiry, and a
 * download limit when the policy caps downloads); a refusal is a 400 that names the rule.
 */
export function admitLink(
  policy: EffectiveLinkPolicy,
  request: LinkRequest,
  now = Date.now(),
): { expiresAt: Date; maxDownloads: number | null } {
  if (!policy.publicLinks.value) {
    throw new BadRequestException(
      `Public links are not allowed for you (${policy.publicLinks.source}); share with a colleague or a group instead`,
    );
  }
  const expiresAt = request.expiresAt ?? new Date(now + policy.defaultTtlMs);
  if (expiresAt.getTime() <= now) throw new BadRequestException('expiresAt must be in the future');
  if (expiresAt.getTime() > now + policy.maxTtl.value) {
    throw new BadRequestException(
      `expiresAt may be at most ${describeDays(policy.maxTtl.value)} away (${policy.maxTtl.source})`,
    );
  }
  if (policy.requirePassword.value && !request.password) {
    throw new BadRequestException(
      `A password is required on every link (${policy.requirePassword.source})`,
    );
  }
  if (policy.verifyRecipients.value && !request.recipients?.length) {
    throw new BadRequestException(
      `Every link must name its recipients, who verify their address (${policy.verifyRecipients.source})`,
    );
  }
  for (const recipient of request.recipients ?? []) admitRecipient(policy, recipient);
  const capped = policy.maxDownloads.value < MAX_LINK_DOWNLOADS;
  if (request.maxDownloads !== undefined && request.maxDownloads > policy.maxDownloads.value) {
    throw new BadRequestException(
      `maxDownloads may be at most ${policy.maxDownloads.value} (${policy.maxDownloads.source})`,
    );
  }
  return {
    expiresAt,
    maxDownloads: request.maxDownloads ?? (capped ? policy.maxDownloads.value : null),
  };
}

/** Refuses a share with an address outside the allowed domains, naming the rule. */
export function admitRecipient(policy: EffectiveLinkPolicy, email: string): void {
  const allowed = policy.allowedRecipientDomains.value;
  if (allowed === null) return;
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (!allowed.includes(domain)) {
    const list = allowed.length ? allowed.join(', ') : 'no domain';
    throw new BadRequestException(
      `You may share only with addresses at ${list} (${policy.allowedRecipientDomains.source})`,
    );
  }
}

function describeDays(ms: number): string {
  const days = ms / DAY_MS;
  return Number.isInteger(days) ? `${days} days` : `${Math.floor(ms / 1000)} seconds`;
}
