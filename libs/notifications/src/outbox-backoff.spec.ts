import { MAX_ATTEMPTS, nextAttemptDelay } from './outbox-backoff';

describe('nextAttemptDelay', () => {
  const middle = () => 0.5;

  it('doubles from about 30 s and stops growing at an hour', () => {
    expect([1, 2, 3, 4].map((attempt) => nextAttemptDelay(attempt, middle))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(nextAttemptDelay(12, middle)).toBe(3_600_000);
  });

  it('spreads retries by a quarter either way, so instances do not retry in step', () => {
    expect(nextAttemptDelay(1, () => 0)).toBe(22_500);
    expect(nextAttemptDelay(1, () => 0.999_999)).toBe(37_500);
  });

  it('gives up after about a day of attempts', () => {
    const total = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, index) =>
      nextAttemptDelay(index + 1, middle),
    ).reduce((sum, delay) => sum + delay, 0);
    expect(total / 3_600_000).toBeGreaterThan(20);
    expect(total / 3_600_000).toBeLessThan(30);
  });
});
