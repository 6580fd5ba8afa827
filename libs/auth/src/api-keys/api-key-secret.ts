import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Personal API keys: `sr_`, 32 random bytes in base62 (43 characters), then the CRC32 of those
 * characters in base62 (6). The prefix lets secret scanners recognise a leaked key; the checksum
 * turns a mistyped or truncated key into a refusal without a database lookup.
 */
export const API_KEY_PREFIX = 'sr_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_BYTES = 32;
const BODY_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
const SHAPE = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`);
/** Shown in lists so an owner can tell keys apart; 4 of 256 random bits reveal nothing useful. */
const HINT_LENGTH = API_KEY_PREFIX.length + 4;

function base62(value: bigint, length: number): string {
  let text = '';
  for (let rest = value; rest > 0n; rest /= 62n) text = ALPHABET[Number(rest % 62n)] + text;
  return text.padStart(length, '0');
}

const checksum = (body: string) => base62(BigInt(crc32(body)), CHECKSUM_LENGTH);

export function generateApiKey(): string {
  const body = base62(BigInt(`0x${randomBytes(SECRET_BYTES).toString('hex')}`), BODY_LENGTH);
  return `${API_KEY_PREFIX}${body}${checksum(body)}`;
}

/** Whether a bearer credential is meant as an API key (rather than an access token). */
export const looksLikeApiKey = (credential: string) => credential.startsWith(API_KEY_PREFIX);

/** Shape and checksum; a key failing this was never issued by us. */
export function isWellFormedApiKey(key: string): boolean {
  if (!SHAPE.test(key)) return false;
  const body = key.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + BODY_LENGTH);
  return key.endsWith(checksum(body));
}

/**
 * SHA-256, not a slow password hash: 256 random bits cannot be guessed from the hash, and a key
 * is checked on every request, where argon2's deliberate cost would be a denial-of-service lever.
 */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export const apiKeyHint = (key: string) => key.slice(0, HINT_LENGTH);
