import { duration, integer, withDefault } from './schema-fields';
import type { DatabaseConfig } from './app-config';

/** The pool variables, composed into the one environment schema. */
export const databaseEnvironment = {
  MONGO_MAX_POOL_SIZE: withDefault(integer(1, 1_000), '32'),
  MONGO_MAX_IDLE_TIME: withDefault(duration('1m'), '1m'),
};

export function databaseConfigFrom(env: {
  MONGO_URL?: string;
  MONGO_MAX_POOL_SIZE: number;
  MONGO_MAX_IDLE_TIME: number;
}): DatabaseConfig {
  return {
    url: env.MONGO_URL,
    serverSelectionTimeoutMs: 5_000,
    pingTimeoutMs: 2_000,
    maxPoolSize: env.MONGO_MAX_POOL_SIZE,
    maxIdleTimeMs: env.MONGO_MAX_IDLE_TIME,
  };
}
