/**
 * Property names whose values may be credentials, compared in lower case: request and response
 * headers as Node names them, and the fields of our bodies and records that hold secrets.
 */
const SECRET_KEYS = new Set([
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'password',
  'currentpassword',
  'newpassword',
  'refreshtoken',
  'accesstoken',
  'token',
  'secretkey',
  'mfatoken',
  'recoverycodes',
  'otpauthurl',
]);

export const CENSORED = '[redacted]';

/** Deeper than this a log object is not searched (it also ends a cycle). */
const MAX_DEPTH = 8;

function isSearchable(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof Date)
  );
}

/**
 * `value` with the value of every property named in SECRET_KEYS, at any depth up to MAX_DEPTH,
 * replaced by CENSORED. Only the objects on the way to a secret are copied; the rest is shared
 * and nothing is changed in place. One walk over what a line holds: pino's path redaction
 * parsed its paths again for every value of every line, a tenth of a small request's CPU.
 */
export function censorSecrets<T>(value: T, depth = 0): T {
  if (!isSearchable(value) || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const items = value as unknown[];
    let copy: unknown[] | undefined;
    items.forEach((item, index) => {
      const censored = censorSecrets(item, depth + 1);
      if (censored === item) return;
      copy ??= [...items];
      copy[index] = censored;
    });
    return (copy ?? value) as T;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const inner = value[key];
    const censored = SECRET_KEYS.has(key.toLowerCase())
      ? CENSORED
      : censorSecrets(inner, depth + 1);
    if (censored === inner) continue;
    copy ??= { ...value };
    copy[key] = censored;
  }
  return (copy ?? value) as T;
}

/**
 * A log line's object censored, except the keys that have a
 * serializer: those hold raw requests, responses and errors, and their serializers copy only
 * what is logged (and censor it themselves).
 */
export function censorLogObject<T extends object>(line: T, serialized: ReadonlySet<string>): T {
  const fields = line as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in fields) {
    if (!Object.hasOwn(fields, key) || serialized.has(key)) continue;
    const inner = fields[key];
    const censored = SECRET_KEYS.has(key.toLowerCase()) ? CENSORED : censorSecrets(inner, 1);
    if (censored === inner) continue;
    copy ??= { ...fields };
    copy[key] = censored;
  }
  return (copy ?? line) as T;
}
