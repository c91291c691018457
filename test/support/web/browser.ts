/**
 * A real browser for the page's end-to-end tests: Debian's Chromium driven by `playwright-core`,
 * headless. It trusts the local Entra ID's HTTPS certificate, and nothing else it would not trust
 * anyway: the certificate's public key is pinned with `--ignore-certificate-errors-spki-list`,
 * which relaxes checks for that one key only (never `--ignore-certificate-errors`).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensureCertificates } from '@sandbox-automation/arm-emulator';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Stack } from '../stack.js';

/** Debian's Chromium (`.ci/run` installs it); `CHROMIUM_PATH` points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the tests save what the pages look like (`npm run docs:screenshots` copies them). */
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', '..', '.local', 'screenshots');

/** The base64 SHA-256 of a certificate's public key, as Chromium's SPKI list takes it. */
async function spkiHash(certPath: string): Promise<string> {
  const certificate = new X509Certificate(await readFile(certPath));
  return createHash('sha256')
    .update(certificate.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
}

/**
 * Launches Chromium trusting the emulator's certificate (the one the stack's Entra ID serves).
 *
 * @example
 * const browser = await launchBrowser(stack);
 */
export async function launchBrowser(stack: Stack): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: apt-get install chromium (.ci/run does), or set CHROMIUM_PATH.`,
    );
  }
  const { certPath } = await ensureCertificates(dirname(stack.arm.caCertPath));
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--ignore-certificate-errors-spki-list=${await spkiHash(certPath)}`,
    ],
  });
}

/** A page that remembers every Content-Security-Policy violation and script error it saw. */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** CSP violations and uncaught errors, for the test to assert there were none. */
  trouble: string[];
}

/**
 * A fresh context (no session left over) and page, desktop-sized unless `viewport` says otherwise.
 *
 * @example
 * const { page, trouble } = await openPage(browser, { width: 390, height: 844 });
 */
export async function openPage(
  browser: Browser,
  viewport = { width: 1280, height: 800 },
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  const trouble: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) trouble.push(message.text());
  });
  page.on('pageerror', (error) => trouble.push(`page error: ${error.message}`));
  return { page, context, trouble };
}

/**
 * Signs in through the page: the page's "Sign in", the local Entra ID's form with the user's name
 * and password, and back to the page, which shows the signed-in name.
 *
 * @example
 * await signIn(page, stack, 'ana@contoso.com');
 */
export async function signIn(page: Page, stack: Stack, username: string): Promise<void> {
  const user = (await stack.arm.control.entra()).users.find((u) => u.username === username);
  if (!user) throw new Error(`No test user ${username}.`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Email, phone, or Skype').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.account-name', { hasText: username }).waitFor();
}

/** An axe-core violation, as a line for an assertion's message. */
interface Violation {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/**
 * The serious and critical accessibility violations axe-core finds on the page as it is now.
 * axe is run through the DevTools protocol, so the page's Content-Security-Policy stays on.
 *
 * @example
 * expect(await accessibilityViolations(page)).toEqual([]);
 */
export async function accessibilityViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(axe.source);
  const results = await page.evaluate(() =>
    (
      globalThis as unknown as {
        axe: { run: (context: unknown, options: unknown) => Promise<{ violations: unknown[] }> };
      }
    ).axe.run(document, { resultTypes: ['violations'] }),
  );
  return (
    results.violations as Array<{
      id: string;
      impact?: string | null;
      help: string;
      nodes: Array<{ target: string[] }>;
    }>
  )
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
}

/**
 * Saves the page as `.local/screenshots/{name}.png`, the whole page.
 *
 * @example
 * await screenshot(page, 'sandboxes');
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Whether the page is wider than the window: something does not fit a phone. */
export async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  );
}
