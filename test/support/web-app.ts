/// <reference lib="dom" />
// The functions passed to page.evaluate run in the browser.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Account } from './accounts';

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

/** A file of `size` bytes: `line` over and over, built alike in the browser and in the test. */
export interface PatternFile {
  name: string;
  line: string;
  size: number;
  /** Fixed, so the same file dropped again is recognised (tus fingerprints include it). */
  lastModified?: number;
}

export function patternBytes({ line, size }: PatternFile): Buffer {
  const unit = Buffer.from(line);
  return Buffer.concat(Array.from({ length: Math.ceil(size / unit.length) }, () => unit)).subarray(
    0,
    size,
  );
}

/**
 * Drops the files on the page's drop zone as a person would drag them there. The bytes are made
 * in the page, so even large files cost nothing to hand over.
 */
export async function dropFiles(page: Page, files: PatternFile[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const file of list) {
      // Whole lines of about 64 KiB: few parts even for a large file (lines are ASCII).
      const block = file.line.repeat(Math.ceil(65_536 / file.line.length));
      const whole = new Blob(
        Array.from({ length: Math.ceil(file.size / block.length) }, () => block),
      );
      transfer.items.add(
        new File([whole.slice(0, file.size)], file.name, {
          lastModified: file.lastModified ?? Date.now(),
        }),
      );
    }
    return transfer;
  }, files);
  await page.dispatchEvent('[data-testid="drop-zone"]', 'dragover', { dataTransfer });
  await page.dispatchEvent('[data-testid="drop-zone"]', 'drop', { dataTransfer });
}

/** Signs the account in through the sign-in page and waits for My files. */
export async function signInThroughPage(page: Page, baseUrl: string, account: Account) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'My files' }).waitFor();
}
