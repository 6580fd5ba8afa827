import Redis from 'ioredis';
import { describeRedisUrl } from './redis-url';

/** Keys of several deployments sharing one Redis stay apart from anything else in it. */
export const REDIS_KEY_PREFIX = 'strongroom:';
const COMMAND_TIMEOUT_MS = 2_000;
const CONNECT_TIMEOUT_MS = 5_000;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5_000;

export interface RedisConnectionOptions {
  log: (message: string) => void;
  warn: (message: string) => void;
}

/**
 * Connects to REDIS_URL and resolves once Redis is ready. Like the database, Redis may come up
 * after the application (compose, Kubernetes), so start-up waits, retrying with backoff and saying
 * what it waits for, rather than crash-looping. Afterwards the client reconnects by itself; while
 * Redis is away a command fails at once (no offline queue, a short timeout), so a request that
 * needs it answers 503 instead of hanging, and each outage is logged once.
 */
export async function connectRedis(url: string, options: RedisConnectionOptions): Promise<Redis> {
  const target = describeRedisUrl(url);
  const client = new Redis(url, {
    keyPrefix: REDIS_KEY_PREFIX,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(FIRST_RETRY_MS * 2 ** (attempt - 1), MAX_RETRY_MS),
    // Every request's rate-limit count is a command: those issued in the same turn of the event
    // loop go out in one write and come back in one read, instead of a socket write each.
    enableAutoPipelining: true,
  });

  let connected = false;
  let outageReported = false;
  client.on('error', (error: Error) => {
    if (outageReported) return;
    outageReported = true;
    options.warn(
      connected
        ? `lost the connection to Redis at ${target} (${error.message}); rate-limited requests answer 503 until it returns`
        : `waiting for Redis at ${target} (${error.message}); retrying`,
    );
  });
  // Only when it will retry: a connection closed by quit() at shutdown is no outage.
  client.on('reconnecting', () => {
    if (connected && !outageReported) {
      outageReported = true;
      options.warn(
        `lost the connection to Redis at ${target}; rate-limited requests answer 503 until it returns`,
      );
    }
  });
  client.on('ready', () => {
    options.log(
      connected ? `reconnected to Redis at ${target}` : `connected to Redis at ${target}`,
    );
    connected = true;
    outageReported = false;
  });

  if (client.status !== 'ready') {
    await new Promise<void>((resolve) => client.once('ready', () => resolve()));
  }
  return client;
}
