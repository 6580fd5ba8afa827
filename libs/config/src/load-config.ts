import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from './app-config';
import { parseEnvironment, type RawEnvironment } from './config.schema';
import { loadOrCreateDevelopmentSecrets } from './development-secrets';

/** The version in the nearest package.json above this file, in the source tree and in dist alike. */
function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) {
      return (
        JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }
      ).version;
    }
    if (dir === path.dirname(dir)) return '0.0.0';
  }
}

/** The one place that reads `process.env`; everything else receives `AppConfig` through DI. */
export function loadConfig(overrides: RawEnvironment = {}): AppConfig {
  return parseEnvironment(
    { ...process.env, ...overrides },
    {
      version: packageVersion(),
      cwd: process.cwd(),
      developmentSecrets: loadOrCreateDevelopmentSecrets,
    },
  );
}
