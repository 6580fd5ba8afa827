/** Attempts before a message is given up as failed: the last waits are an hour, about a day in all. */
export const MAX_ATTEMPTS = 30;

const FIRST_WAIT_MS = 30_000;
const LONGEST_WAIT_MS = 3_600_000;

/** Exponential backoff with jitter: about 30 s, 1 min, 2 min … capped at an hour. */
export function nextAttemptDelay(attemptsMade: number, random = Math.random): number {
  const base = Math.min(FIRST_WAIT_MS * 2 ** Math.max(attemptsMade - 1, 0), LONGEST_WAIT_MS);
  return Math.round(base * (0.75 + random() * 0.5));
}
