import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

const GRANT_FORMAT = /^([0-9a-f]{24})\.(\d{10})(?:\.([0-9a-f]{24}))?\.([A-Za-z0-9_-]{43})$/;

/** The signed part of a grant: `linkId.expiry`, then `.subject` when it names one. */
function grantBody(linkId: string, expires: number | string, subject?: string): string {
  return [linkId, expires, ...(subject ? [subject] : [])].join('.');
}

/** What a valid grant says besides its link: the verified recipient's record, if it names one. */
export interface GrantContents {
  subject?: string;
}

/**
 * Short-lived download grants for locked links: `linkId.expiry[.subject].signature`, HMAC-SHA256
 * with a key derived from SECRET_KEY for this purpose only. A grant opens one link, for minutes;
 * the password itself never travels in a URL. `subject` is the id of a recipient's verification
 * (never the address itself, which would then sit in URLs).
 */
export class LinkGrantSigner {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    this.key = Buffer.from(
      hkdfSync('sha256', secretKey, 'strongroom', 'share-link download grant', 32),
    );
  }

  issue(linkId: string, lifetimeSeconds: number, subject?: string, now = Date.now()): string {
    const body = grantBody(linkId, Math.floor(now / 1000) + lifetimeSeconds, subject);
    return `${body}.${this.sign(body)}`;
  }

  /** The contents of an unexpired, untampered grant for exactly this link; otherwise null. */
  verify(grant: string, linkId: string, now = Date.now()): GrantContents | null {
    const match = GRANT_FORMAT.exec(grant);
    if (!match || match[1] !== linkId || Number(match[2]) * 1000 < now) return null;
    const [, , expires, subject, signature] = match;
    const body = grantBody(linkId, expires, subject);
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    return subject ? { subject } : {};
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
