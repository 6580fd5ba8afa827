import { createHash, randomBytes } from 'node:crypto';

const TOKEN_BYTES = 32;
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** 256 random bits, base64url: shown once to the owner, stored only as its hash. */
export function newLinkToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Anything else cannot be a token; it is answered like an unknown one, without a lookup. */
export function isWellFormedLinkToken(token: string): boolean {
  return TOKEN_FORMAT.test(token);
}
