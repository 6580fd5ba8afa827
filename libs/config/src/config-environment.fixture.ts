import type { AppConfig } from './app-config';
import {
  ConfigValidationError,
  type GeneratedSecrets,
  parseEnvironment,
  type RawEnvironment,
} from './config.schema';

// For the config specs only: a .fixture.ts file is left out of the build.

/** What a development start would generate into secrets.json, fixed for specs. */
export const TEST_DEVELOPMENT_SECRETS: GeneratedSecrets = {
  secretKey: 'g'.repeat(48),
  encryptionKeys: `gen:${Buffer.alloc(32, 1).toString('base64')}`,
  auditSigningKey: Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64'),
};

/** Reads an environment as start-up does, with the fixed development secrets. */
export function parseTestEnvironment(env: RawEnvironment): AppConfig {
  return parseEnvironment(env, {
    version: '1',
    cwd: '/srv/app',
    developmentSecrets: () => TEST_DEVELOPMENT_SECRETS,
  });
}

/** Why start-up refuses the environment; empty when it is accepted. */
export function configProblems(env: RawEnvironment): string[] {
  try {
    parseTestEnvironment(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  return [];
}
