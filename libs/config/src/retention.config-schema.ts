import { z } from 'zod';
import { withDefault } from './schema-fields';

export interface RetentionConfig {
  /** No file can be deleted sooner than this many days after its upload (0: no instance rule). */
  minDays: number;
}

/** The most a retention rule may ask for: a century, far beyond any legal period. */
export const MAX_RETENTION_DAYS = 36_500;

export const retentionDays = z
  .string()
  .trim()
  .regex(/^\d+$/, 'must be a whole number of days, e.g. 30 (0 turns the rule off)')
  .transform(Number)
  .pipe(z.number().int().max(MAX_RETENTION_DAYS, `must be at most ${MAX_RETENTION_DAYS}`));

/** The retention variables, composed into the one environment schema. */
export const retentionEnvironment = {
  RETENTION_MIN_DAYS: withDefault(retentionDays, '0'),
};

export function retentionConfigFrom(env: { RETENTION_MIN_DAYS: number }): RetentionConfig {
  return { minDays: env.RETENTION_MIN_DAYS };
}
