const LONGEST_WAIT_MS = 12 * 3_600_000;
const GROWTH = 4;

/**
 * Waits between webhook attempts: fourfold from `baseMs`, capped at twelve hours, with ±25 %
 * jitter so endpoints that fail together do not retry together. With the defaults (30 s, twelve
 * attempts) the last attempt comes about three days after the first.
 */
export function webhookRetryDelay(
  attemptsMade: number,
  baseMs: number,
  random = Math.random,
): number {
  const wait = Math.min(baseMs * GROWTH ** Math.max(attemptsMade - 1, 0), LONGEST_WAIT_MS);
  return Math.round(wait * (0.75 + random() * 0.5));
}
