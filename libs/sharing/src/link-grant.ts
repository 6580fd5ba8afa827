import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

const GRANT_FORMAT = /^([0-9a-f]{24})\.(\d{10})\.([A-Za-z0-9_-]{43})$/;

/**
 * Short-lived download grants for password links: `linkId.expiry.signature`, HMAC-SHA256 with a
 * key derived from SECRET_KEY for this purpose only. A grant opens one link, for minutes; the
 * password itself never travels in a URL.
 */
export class LinkGrantSigner {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    this.key = Buffer.from(
      hkdfSync('sha256', secretKey, 'strongroom', 'share-link download grant', 32),
    );
  }

  issue(linkId: string, lifetimeSeconds: number, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + lifetimeSeconds;
    return `${linkId}.${expires}.${this.sign(linkId, expires)}`;
  }

  /** True only for an unexpired grant, untampered, for exactly this link. */
  verify(grant: string, linkId: string, now = Date.now()): boolean {
    const match = GRANT_FORMAT.exec(grant);
    if (!match || match[1] !== linkId || Number(match[2]) * 1000 < now) return false;
    const expected = Buffer.from(this.sign(match[1], Number(match[2])));
    const given = Buffer.from(match[3]);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private sign(linkId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${linkId}.${expires}`).digest('base64url');
  }
}
