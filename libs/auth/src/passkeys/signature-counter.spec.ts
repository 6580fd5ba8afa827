import { counterVerdict } from './signature-counter';

describe('counterVerdict', () => {
  it('accepts a counter that stays 0: the authenticator keeps none (synced passkeys)', () => {
    expect(counterVerdict(0, 0)).toBe('not-kept');
  });

  it('accepts a counter that went up, by any amount', () => {
    expect(counterVerdict(0, 1)).toBe('advanced');
    expect(counterVerdict(7, 8)).toBe('advanced');
    expect(counterVerdict(7, 1_000)).toBe('advanced');
  });

  it('flags a non-zero counter that did not go up as a possible clone', () => {
    expect(counterVerdict(7, 7)).toBe('regressed');
    expect(counterVerdict(7, 3)).toBe('regressed');
    expect(counterVerdict(7, 0)).toBe('regressed');
  });
});
