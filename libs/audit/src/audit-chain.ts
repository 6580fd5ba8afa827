import { createHash } from 'node:crypto';

/** The previous hash of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** Bumped if the encoding ever changes, so old and new hashes can never be confused. */
const ENCODING_VERSION = 'strongroom-audit-v1';

const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** Fields that are not part of what an event's hash covers. */
const UNHASHED = new Set(['_id', 'prevHash', 'hash']);

/** Sub-objects that a store may drop when empty (Mongoose minimizes `{}` away). */
const OBJECT_FIELDS = ['actor', 'target', 'details'];

export type CanonicalValue =
  string | number | boolean | null | undefined | Date | { readonly [key: string]: CanonicalValue };

/**
 * A deterministic text form of a value, with an explicit type on every scalar so `"5"`, `5` and
 * `true` never encode alike:
 *
 * - `null`; `b:true`/`b:false`; `n:<shortest round-trip decimal>` (finite only, -0 as 0);
 *   `s:<JSON string>`; `d:<ISO 8601 UTC with milliseconds>`;
 * - objects as `{"key":value,...}` with keys sorted by UTF-16 code units and undefined values left
 *   out (so an absent field and an undefined one are the same thing).
 *
 * Anything else (arrays, ObjectIds, NaN, invalid dates) is refused rather than guessed at.
 */
export function canonicalEncode(value: CanonicalValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return `b:${value}`;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot encode the number ${value}`);
      return `n:${Object.is(value, -0) ? 0 : value}`;
    case 'string':
      return `s:${JSON.stringify(value)}`;
    case 'object':
      break;
    default:
      throw new TypeError(`cannot encode a value of type ${typeof value}`);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('cannot encode an invalid date');
    return `d:${value.toISOString()}`;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(`cannot encode a ${Array.isArray(value) ? 'list' : 'non-plain object'}`);
  }
  const entries = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalEncode(value[key])}`);
  return `{${entries.join(',')}}`;
}

/**
 * What an event's hash covers: every stored field except its id and the two hashes, with the
 * optional sub-objects present even when empty. Everything else stored counts, so a field added
 * to an event afterwards breaks the chain just as an edited one does.
 */
export function chainContent(event: object): { [key: string]: CanonicalValue } {
  const content: { [key: string]: CanonicalValue } = {};
  for (const [key, value] of Object.entries(event)) {
    if (!UNHASHED.has(key)) content[key] = value as CanonicalValue;
  }
  for (const key of OBJECT_FIELDS) content[key] ??= {};
  return content;
}

/** SHA-256 (hex) over the version tag, the previous event's hash and this event's content. */
export function hashEvent(prevHash: string, event: object): string {
  if (!HASH_PATTERN.test(prevHash)) throw new TypeError('prevHash is not a SHA-256 hex digest');
  return createHash('sha256')
    .update(`${ENCODING_VERSION}\n${prevHash}\n${canonicalEncode(chainContent(event))}`)
    .digest('hex');
}

export interface ChainLink {
  seq: unknown;
  prevHash: unknown;
  hash: unknown;
}

export interface ChainPosition {
  /** The sequence number the next event must have. */
  nextSeq: number;
  /** The hash the next event must name as its previous one. */
  prevHash: string;
}

export const CHAIN_START: ChainPosition = { nextSeq: 1, prevHash: GENESIS_HASH };

/**
 * Checks one event against the chain so far. Returns the position after it, or the sequence
 * number where the chain breaks: a gap (a deleted event) breaks at the missing number, a
 * repeated or out-of-order number at that number, a wrong previous hash or own hash at the event.
 */
export function checkLink(
  position: ChainPosition,
  event: ChainLink,
): { next: ChainPosition } | { brokenAt: number } {
  const { seq, prevHash, hash } = event;
  if (typeof seq !== 'number' || !Number.isInteger(seq)) return { brokenAt: position.nextSeq };
  if (seq !== position.nextSeq) return { brokenAt: Math.min(seq, position.nextSeq) };
  if (prevHash !== position.prevHash || typeof hash !== 'string') return { brokenAt: seq };
  let expected: string;
  try {
    expected = hashEvent(position.prevHash, event);
  } catch {
    return { brokenAt: seq };
  }
  return expected === hash ? { next: { nextSeq: seq + 1, prevHash: hash } } : { brokenAt: seq };
}
