import { webhookRetryDelay } from './webhook-backoff';

describe('webhookRetryDelay', () => {
  const middle = () => 0.5;

  it('grows fourfold from the base and stops at twelve hours', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => webhookRetryDelay(n, 30_000, middle));
    expect(waits.slice(0, 5)).toEqual([30_000, 120_000, 480_000, 1_920_000, 7_680_000]);
    expect(waits.slice(6)).toEqual([43_200_000, 43_200_000]);
  });

  it('spreads the defaults (30 s, twelve attempts) over about three days', () => {
    let total = 0;
    for (let made = 1; made < 12; made += 1) total += webhookRetryDelay(made, 30_000, middle);
    expect(total / 86_400_000).toBeGreaterThan(2.5);
    expect(total / 86_400_000).toBeLessThan(3.5);
  });

  it('jitters within a quarter either way', () => {
    expect(webhookRetryDelay(1, 1000, () => 0)).toBe(750);
    expect(webhookRetryDelay(1, 1000, () => 1)).toBe(1250);
  });
});
