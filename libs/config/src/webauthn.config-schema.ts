import { z } from 'zod';
import { blankToUndefined, duration, withDefault } from './schema-fields';

export interface WebAuthnConfig {
  /** The relying-party id passkeys are bound to: PUBLIC_URL's host or a parent domain of it. */
  rpId: string;
  /** The name an authenticator shows beside the passkey. */
  rpName: string;
  /** The origins a ceremony may come from (clientDataJSON's origin). */
  origins: string[];
  /** How long a registration or sign-in challenge can be answered. */
  challengeTtlMs: number;
}

const MAX_CHALLENGE_TTL_MS = 5 * 60_000;

const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
    'must be a host name without scheme or port, e.g. files.example.com',
  );

const origins = z.string().transform((text, ctx) => {
  const list = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  for (const origin of list) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `'${origin}' is not an origin; use scheme://host[:port], e.g. https://files.example.com`,
      });
      return z.NEVER;
    }
  }
  return list;
});

/** The passkey variables, composed into the one environment schema. */
export const webauthnEnvironment = {
  WEBAUTHN_RP_ID: z.preprocess(blankToUndefined, hostname.optional()),
  WEBAUTHN_RP_NAME: withDefault(
    z.string().trim().min(1).max(64, 'must be at most 64 characters'),
    'Strongroom',
  ),
  WEBAUTHN_ORIGINS: z.preprocess(blankToUndefined, origins.optional()),
  WEBAUTHN_CHALLENGE_TTL: withDefault(
    duration('5m').pipe(
      z
        .number()
        .min(30_000, 'must be at least 30s')
        .max(MAX_CHALLENGE_TTL_MS, 'must be at most 5m: a challenge is short-lived'),
    ),
    '5m',
  ),
};

interface WebAuthnEnvironment {
  WEBAUTHN_RP_ID?: string;
  WEBAUTHN_RP_NAME: string;
  WEBAUTHN_ORIGINS?: string[];
  WEBAUTHN_CHALLENGE_TTL: number;
}

/** A passkey made for an RP id works only on that host and its subdomains (WebAuthn §5.1.3). */
function coversHost(rpId: string, host: string): boolean {
  return host === rpId || host.endsWith(`.${rpId}`);
}

/**
 * In production an RP id that does not cover PUBLIC_URL's host would make every ceremony fail in
 * the browser, and changing it later orphans every passkey made under the old one: refuse to start.
 */
export function webauthnProblems(env: WebAuthnEnvironment, publicUrl: string): string[] {
  const host = new URL(publicUrl).hostname;
  if (env.WEBAUTHN_RP_ID !== undefined && !coversHost(env.WEBAUTHN_RP_ID, host)) {
    return [
      `WEBAUTHN_RP_ID: must be PUBLIC_URL's host (${host}) or a parent domain of it, or unset to use the host`,
    ];
  }
  return [];
}

export function webauthnConfigFrom(env: WebAuthnEnvironment, publicUrl: string): WebAuthnConfig {
  const url = new URL(publicUrl);
  return {
    rpId: env.WEBAUTHN_RP_ID ?? url.hostname,
    rpName: env.WEBAUTHN_RP_NAME,
    origins: env.WEBAUTHN_ORIGINS ?? [url.origin],
    challengeTtlMs: env.WEBAUTHN_CHALLENGE_TTL,
  };
}
