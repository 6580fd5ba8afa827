import { PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('produces argon2id hashes with the OWASP parameters and verifies them', async () => {
    const stored = await hasher.hash('copper kettle orbit lantern');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(hasher.verify(stored, 'copper kettle orbit lantern')).resolves.toBe(true);
    await expect(hasher.verify(stored, 'copper kettle orbit lanterns')).resolves.toBe(false);
  });

  it('never matches when there is no stored hash, yet still does the work', async () => {
    await expect(hasher.verify(undefined, 'strongroom-timing-equaliser')).resolves.toBe(false);
  });

  it('treats a corrupt stored hash as a mismatch', async () => {
    await expect(hasher.verify('not-a-hash', 'anything')).resolves.toBe(false);
  });
});
