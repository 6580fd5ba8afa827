import { LinkGrantSigner } from './link-grant';

describe('LinkGrantSigner', () => {
  const signer = new LinkGrantSigner('s'.repeat(40));
  const linkId = '6650f1c2a1b2c3d4e5f60718';
  const subject = '6650f1c2a1b2c3d4e5f607aa';
  const now = Date.UTC(2026, 10, 28, 12, 0, 0);

  it('accepts its own unexpired grant for the same link', () => {
    expect(signer.verify(signer.issue(linkId, 300, undefined, now), linkId, now + 299_000)).toEqual(
      {},
    );
  });

  it('carries a subject that cannot be swapped for another', () => {
    const grant = signer.issue(linkId, 300, subject, now);
    expect(signer.verify(grant, linkId, now)).toEqual({ subject });
    const swapped = grant.replace(subject, '6650f1c2a1b2c3d4e5f607bb');
    expect(signer.verify(swapped, linkId, now)).toBeNull();
    const dropped = grant.replace(`.${subject}`, '');
    expect(signer.verify(dropped, linkId, now)).toBeNull();
  });

  it('rejects an expired grant', () => {
    expect(
      signer.verify(signer.issue(linkId, 300, undefined, now), linkId, now + 301_000),
    ).toBeNull();
  });

  it('rejects a grant for another link', () => {
    expect(
      signer.verify(signer.issue(linkId, 300, undefined, now), '6650f1c2a1b2c3d4e5f60719', now),
    ).toBeNull();
  });

  it('rejects a forged expiry, signature or key', () => {
    const [id, expires, signature] = signer.issue(linkId, 300, undefined, now).split('.');
    expect(signer.verify(`${id}.${Number(expires) + 3600}.${signature}`, linkId, now)).toBeNull();
    expect(signer.verify(`${id}.${expires}.${'A'.repeat(43)}`, linkId, now)).toBeNull();
    const other = new LinkGrantSigner('t'.repeat(40));
    expect(signer.verify(other.issue(linkId, 300, undefined, now), linkId, now)).toBeNull();
  });

  it.each(['', 'garbage', `${'0'.repeat(24)}.1.x`, 'a.b.c.d'])('rejects malformed %p', (grant) => {
    expect(signer.verify(grant, linkId, now)).toBeNull();
  });
});
