import { duration, withDefault } from './schema-fields';
import type { UploadsConfig } from './app-config';

/** The environment variables of resumable uploads. */
export const uploadsEnvironment = {
  UPLOAD_EXPIRY: withDefault(duration('24h'), '24h'),
};

export function uploadsConfig(env: { UPLOAD_EXPIRY: number }): UploadsConfig {
  return { expiryMs: env.UPLOAD_EXPIRY };
}
