import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's chromium (scripts/install-system-packages.sh); never a browser download. */
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS_DIR = path.resolve(__dirname, '../../test-results/screenshots');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium package (scripts/install-system-packages.sh); this test never downloads a browser`,
    );
  }
  // Running as root in a container: Chromium's sandbox needs user namespaces it cannot have.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/** What a page must not do: log errors, break its CSP, or talk to any host but ours. */
export interface PageWatch {
  consoleErrors: string[];
  cspViolations: string[];
  foreignRequests: string[];
}

export async function watchPage(page: Page, baseUrl: string): Promise<PageWatch> {
  const watch: PageWatch = { consoleErrors: [], cspViolations: [], foreignRequests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watch.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => watch.consoleErrors.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith(`${baseUrl}/`)) watch.foreignRequests.push(request.url());
  });
  await page.exposeFunction('reportCspViolation', (text: string) => watch.cspViolations.push(text));
  // Injected through the DevTools protocol, which the page's CSP does not govern.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportCspViolation(text: string): void })
        .reportCspViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  return watch;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical findings on the page as it is now. The script is evaluated
 * through the DevTools protocol, so it needs no exception in the page's CSP.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } })
      .axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${JSON.stringify(violation.nodes.map((node) => node.target))}`,
    );
}

/**
 * axe needs scripts, which a page opened with JavaScript off runs none of: the page as it is now
 * is checked in a browser with them, requesting nothing (a "started" page's refresh would
 * download again).
 */
export async function seriousViolationsWithoutScripts(
  browser: Browser,
  page: Page,
  colorScheme: 'light' | 'dark' = 'light',
): Promise<string[]> {
  const checker = await browser.newPage({ colorScheme });
  await checker.route('**/*', (route) => route.abort());
  await checker.setContent(await page.content());
  const violations = await seriousAccessibilityViolations(checker);
  await checker.close();
  return violations;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`) });
}

/**
 * Each step ends clean: no console error beyond the ones it expects, no CSP violation, no request
 * to another host, and no serious or critical axe finding. Forgets the errors it has seen.
 */
export async function expectCleanPage(
  page: Page,
  watch: PageWatch,
  expectedErrors: RegExp[] = [],
): Promise<void> {
  expect(watch.consoleErrors).toEqual(
    expectedErrors.map((pattern) => expect.stringMatching(pattern)),
  );
  expect(watch.cspViolations).toEqual([]);
  expect(watch.foreignRequests).toEqual([]);
  await expect(seriousAccessibilityViolations(page)).resolves.toEqual([]);
  await expect(unnamedTables(page)).resolves.toEqual([]);
  watch.consoleErrors.length = 0;
}

/**
 * The tables whose box is no named region, by their first header. A table may scroll sideways on
 * a phone, and only a named region takes the keyboard focus to scroll it; axe flags that only on
 * a page that overflows at the time, so this holds every table to it at any width.
 */
async function unnamedTables(page: Page): Promise<string[]> {
  return page.$$eval('.table-wrap:not([role="region"][aria-label])', (boxes) =>
    boxes.map((box) => box.querySelector('th')?.textContent ?? '(no header)'),
  );
}

/** The password step of the web app's sign-in form. */
export async function submitPassword(
  page: Page,
  account: { email: string; password: string },
): Promise<void> {
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

export interface SignedInPage {
  context: BrowserContext;
  page: Page;
  watch: PageWatch;
}

/** A fresh browser session (its own cookies) signed in through the web app's form. */
export async function signInInBrowser(
  browser: Browser,
  baseUrl: string,
  account: { email: string; password: string },
  viewport = { width: 1100, height: 900 },
): Promise<SignedInPage> {
  const context = await browser.newContext({ acceptDownloads: true, viewport });
  const page = await context.newPage();
  const watch = await watchPage(page, baseUrl);
  await signInThroughForm(page, baseUrl, account);
  return { context, page, watch };
}

/** Signs in through the web app's form and waits for the files page it lands on. */
export async function signInThroughForm(
  page: Page,
  baseUrl: string,
  account: { email: string; password: string },
): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await submitPassword(page, account);
  await page.getByRole('heading', { level: 1, name: 'My files' }).waitFor();
}
