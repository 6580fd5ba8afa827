import { z } from 'zod';
import { parseDuration } from './units';

/** Field types the per-concern environment schemas share. */
export const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export const withDefault = <T extends z.ZodTypeAny>(schema: T, fallback: string) =>
  z.preprocess((value) => blankToUndefined(value) ?? fallback, schema);

export const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const duration = (example: string) =>
  z.string().transform((text, ctx) => {
    const value = parseDuration(text);
    if (value === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `'${text}' is not a duration; use units, e.g. ${example}, 30s or 30d (a bare number is seconds)`,
      });
      return z.NEVER;
    }
    return value;
  });

/** A zero of any unit: what a cache's lifetime is set to, to turn the cache off. */
const ZERO_DURATION = /^0+(?:\.0*)?\s*(?:ms|s|m|h|d)?$/i;

/** A duration, or `0` (in any unit) for "off". */
export const durationOrOff = (example: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' && ZERO_DURATION.test(value.trim()) ? 0 : value),
    z.union([z.literal(0), duration(example)]),
  );
