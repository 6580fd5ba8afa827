import { LinkGrantSigner } from './link-grant';

describe('LinkGrantSigner', () => {
  const signer = new LinkGrantSigner('s'.repeat(40));
  const linkId = '6650f1c2a1b2c3d4e5f60718';
  const now = Date.UTC(2026, 10, 28, 12, 0, 0);

  it('accepts its own unexpired grant for the same link', () => {
    expect(signer.verify(signer.issue(linkId, 300, now), linkId, now + 299_000)).toBe(true);
  });

  it('rejects an expired grant', () => {
    expect(signer.verify(signer.issue(linkId, 300, now), linkId, now + 301_000)).toBe(false);
  });

  it('rejects a grant for another link', () => {
    expect(signer.verify(signer.issue(linkId, 300, now), '6650f1c2a1b2c3d4e5f60719', now)).toBe(
      false,
    );
  });

  it('rejects a forged expiry, signature or key', () => {
    const [id, expires, signature] = signer.issue(linkId, 300, now).split('.');
    expect(signer.verify(`${id}.${Number(expires) + 3600}.${signature}`, linkId, now)).toBe(false);
    expect(signer.verify(`${id}.${expires}.${'A'.repeat(43)}`, linkId, now)).toBe(false);
    const other = new LinkGrantSigner('t'.repeat(40));
    expect(signer.verify(other.issue(linkId, 300, now), linkId, now)).toBe(false);
  });

  it.each(['', 'garbage', `${'0'.repeat(24)}.1.x`, 'a.b.c.d'])('rejects malformed %p', (grant) => {
    expect(signer.verify(grant, linkId, now)).toBe(false);
  });
});
