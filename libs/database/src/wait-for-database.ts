import { MongoClient } from 'mongodb';
import { describeMongoUrl } from './mongo-url';

export interface WaitOptions {
  log: (message: string) => void;
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Gives up after this long; by default waits for as long as it takes (an orchestrator decides). */
  deadlineMs?: number;
  attemptTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Blocks start-up until MongoDB answers a ping, retrying with exponential backoff and saying what
 * it waits for, so a database that starts after the app (compose, Kubernetes) is not a crash loop.
 */
export async function waitForDatabase(url: string, options: WaitOptions): Promise<void> {
  const {
    log,
    firstDelayMs = 500,
    maxDelayMs = 15_000,
    deadlineMs,
    attemptTimeoutMs = 5_000,
  } = options;
  const target = describeMongoUrl(url);
  const started = Date.now();
  for (
    let attempt = 1, delay = firstDelayMs;
    ;
    attempt++, delay = Math.min(delay * 2, maxDelayMs)
  ) {
    const client = new MongoClient(url, {
      serverSelectionTimeoutMS: attemptTimeoutMs,
      connectTimeoutMS: attemptTimeoutMs,
    });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      if (attempt > 1) log(`MongoDB at ${target} is reachable after ${attempt} attempts`);
      return;
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0];
      if (deadlineMs !== undefined && Date.now() - started + delay > deadlineMs) {
        throw new Error(`MongoDB at ${target} did not answer within ${deadlineMs} ms: ${reason}`, {
          cause: error,
        });
      }
      log(
        `waiting for MongoDB at ${target} (attempt ${attempt} failed: ${reason}); retrying in ${Math.round(delay / 100) / 10} s`,
      );
      await sleep(delay);
    } finally {
      await client.close().catch(() => undefined);
    }
  }
}
