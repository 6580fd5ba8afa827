import { newRecoveryCodes, recoveryCodeHash } from './recovery-codes';

describe('recovery codes', () => {
  it('are ten distinct 80-bit codes in groups of four', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
  });

  it('hash the same whatever the case, spaces and dashes, and differently per user', () => {
    const hash = recoveryCodeHash('u1', 'abcd-efgh-ijkl-mnop');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(recoveryCodeHash('u1', ' ABCD EFGH-ijkl mnop ')).toBe(hash);
    expect(recoveryCodeHash('u2', 'abcd-efgh-ijkl-mnop')).not.toBe(hash);
  });
});
