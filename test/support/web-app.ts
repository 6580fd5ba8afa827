import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
export const WEB_APP_INDEX = path.join(ROOT, 'apps/web/dist/index.html');

/**
 * `npm test` builds the app before jest starts (pretest); a spec run on its own builds it here
 * when it is missing, so the server under test has something to serve.
 */
export function ensureWebAppBuilt(): void {
  if (existsSync(WEB_APP_INDEX)) return;
  execFileSync('npm', ['run', '-s', 'build', '-w', 'apps/web'], { cwd: ROOT, stdio: 'pipe' });
}
