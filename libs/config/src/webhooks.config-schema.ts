import { isIP } from 'node:net';
import { z } from 'zod';
import { duration, withDefault } from './schema-fields';

export interface WebhooksConfig {
  /**
   * Host names (or IP literals) exempt from the private-address refusal, lower case. A name here
   * is trusted whatever it resolves to; an address reached under another name is not.
   */
  allowedHosts: string[];
  /** The whole of one delivery: connect, send, answer. */
  timeoutMs: number;
  /** The first wait before a retry; each next wait is four times longer, up to twelve hours. */
  retryBaseMs: number;
  /** Attempts per event before it is given up and the endpoint disabled. */
  maxAttempts: number;
}

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

const hostList = z.string().transform((text, ctx) => {
  const hosts = text
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean)
    .map((host) => host.replace(/^\[(.*)\]$/, '$1'));
  for (const host of hosts) {
    if (!isIP(host) && !HOST_NAME.test(host)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `'${host}' is not a host name or IP address; list bare hosts, e.g. hooks.internal,10.0.0.5 (no scheme, port or path)`,
      });
    }
  }
  return hosts;
});

/** The webhook delivery variables, composed into the one environment schema. */
export const webhooksEnvironment = {
  WEBHOOK_ALLOWED_HOSTS: withDefault(hostList, ''),
  WEBHOOK_TIMEOUT: withDefault(duration('10s'), '10s').pipe(
    z.number().min(100, 'must be at least 100ms').max(60_000, 'must be at most 60s'),
  ),
  WEBHOOK_RETRY_BASE: withDefault(duration('30s'), '30s').pipe(
    z.number().min(10, 'must be at least 10ms').max(3_600_000, 'must be at most 1h'),
  ),
  WEBHOOK_MAX_ATTEMPTS: withDefault(z.coerce.number().int().min(1).max(50), '12'),
};

export function webhooksConfigFrom(env: {
  WEBHOOK_ALLOWED_HOSTS: string[];
  WEBHOOK_TIMEOUT: number;
  WEBHOOK_RETRY_BASE: number;
  WEBHOOK_MAX_ATTEMPTS: number;
}): WebhooksConfig {
  return {
    allowedHosts: env.WEBHOOK_ALLOWED_HOSTS,
    timeoutMs: env.WEBHOOK_TIMEOUT,
    retryBaseMs: env.WEBHOOK_RETRY_BASE,
    maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
  };
}
