import { BadRequestException } from '@nestjs/common';
import {
  admitLink,
  admitRecipient,
  MAX_LINK_DOWNLOADS,
  type RuleValues,
  strictestOf,
} from './effective-link-policy';

const DAY = 86_400_000;
const defaults = {
  source: 'LINK_*',
  defaultTtlMs: 7 * DAY,
  maxTtlMs: 30 * DAY,
  requirePassword: false,
  maxDownloads: null,
  publicLinks: null,
  verifyRecipients: null,
  allowedRecipientDomains: null,
};
const rule = (source: string, values: Partial<RuleValues>): RuleValues => ({
  source,
  maxTtlMs: null,
  requirePassword: null,
  maxDownloads: null,
  publicLinks: null,
  verifyRecipients: null,
  allowedRecipientDomains: null,
  ...values,
});

describe('strictestOf', () => {
  it('is the defaults when no rule applies', () => {
    expect(strictestOf(defaults, [])).toEqual({
      defaultTtlMs: 7 * DAY,
      maxTtl: { value: 30 * DAY, source: 'LINK_*' },
      requirePassword: { value: false, source: 'LINK_*' },
      maxDownloads: { value: MAX_LINK_DOWNLOADS, source: 'LINK_*' },
      publicLinks: { value: true, source: 'LINK_*' },
      verifyRecipients: { value: false, source: 'LINK_*' },
      allowedRecipientDomains: { value: null, source: 'LINK_*' },
    });
  });

  it('keeps the strictest value of each limit with the rule it comes from', () => {
    const policy = strictestOf(defaults, [
      rule('role', {
        maxTtlMs: 3 * DAY,
        maxDownloads: 10,
        allowedRecipientDomains: ['a.com', 'b.com'],
      }),
      rule('group X', { maxTtlMs: 5 * DAY, requirePassword: true, maxDownloads: 3 }),
      rule('group Y', { publicLinks: false, allowedRecipientDomains: ['b.com', 'c.com'] }),
      rule('group Z', { publicLinks: true, requirePassword: false }),
    ]);
    expect(policy.maxTtl).toEqual({ value: 3 * DAY, source: 'role' });
    expect(policy.defaultTtlMs).toBe(3 * DAY);
    expect(policy.requirePassword).toEqual({ value: true, source: 'group X' });
    expect(policy.maxDownloads).toEqual({ value: 3, source: 'group X' });
    expect(policy.publicLinks).toEqual({ value: false, source: 'group Y' });
    expect(policy.allowedRecipientDomains).toEqual({
      value: ['b.com'],
      source: 'role and group Y',
    });
  });
});

describe('admitLink', () => {
  const now = Date.parse('2026-12-01T00:00:00Z');
  const policy = strictestOf(defaults, [
    rule('the rule for users', { maxTtlMs: 2 * DAY, maxDownloads: 5 }),
  ]);

  it('fills in the expiry and the capped download limit', () => {
    expect(admitLink(policy, {}, now)).toEqual({
      expiresAt: new Date(now + 2 * DAY),
      maxDownloads: 5,
    });
    expect(admitLink(strictestOf(defaults, []), {}, now).maxDownloads).toBeNull();
  });

  it.each([
    [{ expiresAt: new Date(now + 3 * DAY) }, /at most 2 days away \(the rule for users\)/],
    [{ expiresAt: new Date(now - 1) }, /in the future/],
    [{ maxDownloads: 6 }, /maxDownloads may be at most 5 \(the rule for users\)/],
  ])('refuses %o naming the rule', (request, message) => {
    expect(() => admitLink(policy, request, now)).toThrow(message);
  });

  it('refuses any link where public links are off, and one without a password where required', () => {
    const closed = strictestOf(defaults, [rule('group Y', { publicLinks: false })]);
    expect(() => admitLink(closed, {}, now)).toThrow(/not allowed for you \(group Y\)/);
    const locked = strictestOf(defaults, [rule('group X', { requirePassword: true })]);
    expect(() => admitLink(locked, {}, now)).toThrow(/password is required .*\(group X\)/);
    expect(admitLink(locked, { password: 'long enough secret' }, now).expiresAt).toEqual(
      new Date(now + 7 * DAY),
    );
  });
});

describe('recipients of a link', () => {
  const now = Date.parse('2026-12-01T00:00:00Z');
  it('are required where a rule wants verified recipients, and held to the allowed domains', () => {
    const verified = strictestOf(defaults, [
      rule('group Legal', { verifyRecipients: true, allowedRecipientDomains: ['example.com'] }),
    ]);
    expect(() => admitLink(verified, {}, now)).toThrow(/must name its recipients.*\(group Legal\)/);
    expect(() => admitLink(verified, { recipients: ['x@evil.example'] }, now)).toThrow(
      /only with addresses at example.com/,
    );
    expect(() => admitLink(verified, { recipients: ['ana@example.com'] }, now)).not.toThrow();
  });
});

describe('admitRecipient', () => {
  it('lets any address through without a domain rule, and only listed domains with one', () => {
    expect(() => admitRecipient(strictestOf(defaults, []), 'x@anywhere.org')).not.toThrow();
    const policy = strictestOf(defaults, [
      rule('group Legal', { allowedRecipientDomains: ['example.com'] }),
    ]);
    expect(() => admitRecipient(policy, 'ana@example.com')).not.toThrow();
    expect(() => admitRecipient(policy, 'ana@sub.example.com')).toThrow(BadRequestException);
    expect(() => admitRecipient(policy, 'ana@evil.example')).toThrow(
      /only with addresses at example.com \(group Legal\)/,
    );
  });
});
