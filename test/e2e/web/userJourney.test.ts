/**
 * The page as a person uses it, in Chromium, on the whole local stack: signing in through the
 * local Entra ID with MSAL.js (authorization code with PKCE), requesting a storage sandbox and
 * watching it build, extending it and deleting it; from the keyboard alone; at a phone's width.
 * Every page is checked with axe-core (no serious or critical violations), runs under the app's
 * Content-Security-Policy without a single violation, and is saved to `.local/screenshots/`.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { E2E_APP, seedGroups } from '../../support/cleanup/cleanupE2e.js';
import { groupInEmulator, resourcesInEmulator } from '../../support/provision/e2eClient.js';
import { type Stack, startStack } from '../../support/stack.js';
import {
  accessibilityViolations,
  launchBrowser,
  openPage,
  overflowsSideways,
  screenshot,
  signIn,
  type WatchedPage,
} from '../../support/web/browser.js';

let stack: Stack;
let browser: Browser;
let opened: WatchedPage | undefined;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser(stack);
});

afterEach(async () => {
  // The page ran under its Content-Security-Policy without a violation or a script error.
  const trouble = opened?.trouble ?? [];
  await opened?.context.close();
  opened = undefined;
  expect(trouble).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function open(path = '/', viewport?: { width: number; height: number }): Promise<Page> {
  opened = await openPage(browser, viewport);
  await opened.page.goto(`${stack.hostUrl}${path}`);
  return opened.page;
}

async function objectIdOf(username: string): Promise<string> {
  return (await stack.arm.control.entra()).users.find((u) => u.username === username)!.objectId;
}

describe('the page, for a person with sandboxes', () => {
  it('signs in, requests a storage sandbox, watches it build, extends it and deletes it', async () => {
    // Sign in
    const page = await open('/');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Email, phone, or Skype').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'entra-sign-in');
    await page.goBack();
    await signIn(page, stack, 'ana@contoso.com');
    await page.getByText('No sandboxes yet.').waitFor();

    // A request the API refuses: its problem+json, next to the field and in the summary
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'New sandbox' })
      .click();
    const name = page.getByRole('textbox', { name: 'Name (required)' });
    await name.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'new-sandbox');
    await name.fill('Ana web!');
    await page.getByRole('button', { name: 'Request sandbox' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Policy violation' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain(
      'Name: may hold only letters, digits, hyphens, underscores, periods and parentheses',
    );
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.className))
      .toBe('error-summary');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'new-sandbox-errors');

    // The request, and its progress followed to the end
    await name.fill('ana-web-1');
    await page.getByRole('textbox', { name: 'Container name (optional)' }).fill('reports');
    await page.getByRole('button', { name: 'Request sandbox' }).click();
    await page.getByText('Ready: all 4 steps succeeded.').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Building ana-web-1');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'operation');
    expect(resourcesInEmulator(stack, 'ana-web-1').map((r) => r.id)).toContainEqual(
      expect.stringMatching(/\/blobServices\/default\/containers\/reports$/),
    );

    // My sandboxes: the new one, with its lease counting down
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'My sandboxes' })
      .click();
    const row = page.getByRole('row', { name: /ana-web-1/ });
    await row.waitFor();
    expect(await row.locator('time').textContent()).toMatch(/^23 h 5\d min left$/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sandboxes');

    // The sandbox: lease, resources with portal links, history
    await page.getByRole('link', { name: 'ana-web-1', exact: true }).click();
    await page.getByRole('heading', { name: 'Resources' }).waitFor();
    await page.getByRole('cell', { name: 'storageAccounts' }).waitFor();
    expect(await page.locator('.countdown > time').textContent()).toMatch(/^23 h 5\d min left$/);
    const portal = await page
      .getByRole('link', { name: /^st\w+ in the Azure portal/ })
      .getAttribute('href');
    expect(portal).toMatch(
      /^https:\/\/portal\.azure\.com\/#@00000000-0000-4000-8000-0000000e0001\/resource\/subscriptions\/[^/]+\/resourceGroups\/ana-web-1\/providers\/Microsoft\.Storage\/storageAccounts\/st/,
    );
    await page.getByText('Requested', { exact: true }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sandbox');

    // Extend the lease
    await page.getByLabel('Extend to hours from now').fill('48');
    await page.getByRole('button', { name: 'Extend lease' }).click();
    await page.getByRole('status').filter({ hasText: 'The lease now ends' }).waitFor();
    await page.getByText('Lease extended', { exact: true }).waitFor();
    expect(await page.locator('.countdown > time').textContent()).toMatch(/^(1 d 23 h|2 d) left$/);
    const lease = Date.parse(groupInEmulator(stack, 'ana-web-1')!.tags!['sandbox-expires-at']!);
    expect(lease - Date.now()).toBeGreaterThan(47 * 3_600_000);

    // Delete it, confirmed in a dialog, and watch the teardown
    await page.getByRole('button', { name: 'Delete sandbox' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete ana-web-1?' });
    await dialog.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText(/^Deleted: all \d+ steps succeeded\.$/).waitFor({ timeout: 30_000 });
    expect(groupInEmulator(stack, 'ana-web-1')).toBeUndefined();
    await page.getByRole('link', { name: 'Back to my sandboxes' }).click();
    await page.getByText('No sandboxes yet.').waitFor();
  });

  it('shows the power schedule a sandbox carries in its tag', async () => {
    // Prepare
    await seedGroups(stack, [
      {
        name: 'ana-powered',
        tags: {
          'managed-by': E2E_APP,
          'sandbox-owner': await objectIdOf('ana@contoso.com'),
          'sandbox-expires-at': new Date(Date.now() + 3 * 3_600_000).toISOString(),
          'sandbox-blueprint': 'vm',
          'sandbox-power-schedule': 'off=(M-F,19);on=(M-F,7);tz=Europe/Berlin',
        },
      },
    ]);
    const page = await open('/#/sandboxes/ana-powered');

    // Act
    await signIn(page, stack, 'ana@contoso.com');

    // Assess
    await page.getByText('The VMs follow off=(M-F,19);on=(M-F,7);tz=Europe/Berlin.').waitFor();
    expect(await page.locator('.countdown').getAttribute('class')).toBe('countdown lease-soon');
  });

  it('sets a power schedule, and shows why it refuses one it cannot read', async () => {
    // Prepare
    await seedGroups(stack, [
      {
        name: 'ana-unpowered',
        tags: {
          'managed-by': E2E_APP,
          'sandbox-owner': await objectIdOf('ana@contoso.com'),
          'sandbox-expires-at': new Date(Date.now() + 30 * 3_600_000).toISOString(),
        },
      },
    ]);
    const page = await open('/#/sandboxes/ana-unpowered');
    await signIn(page, stack, 'ana@contoso.com');
    await page.getByText('No schedule: the VMs run until someone stops them.').waitFor();

    // Act
    await page.getByLabel('New schedule').fill('off=(X,19)');
    await page.getByRole('button', { name: 'Set schedule' }).click();
    const refused = page.getByRole('alert').filter({ hasText: "unknown day 'x'" });
    await refused.waitFor();
    await page.getByLabel('New schedule').fill('off=(M-F,19);on=(M-F,7);tz=Europe/Berlin');
    await page.getByRole('button', { name: 'Set schedule' }).click();

    // Assess
    await page.getByText('The VMs follow off=(M-F,19);on=(M-F,7);tz=Europe/Berlin.').waitFor();
    await page.getByText('Settings changed', { exact: true }).waitFor();
    expect(groupInEmulator(stack, 'ana-unpowered')!.tags!['sandbox-power-schedule']).toBe(
      'off=(M-F,19);on=(M-F,7);tz=Europe/Berlin',
    );
  });

  it('runs no script its Content-Security-Policy does not allow', async () => {
    // Prepare
    const page = await open('/');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();

    // Act: what an injected inline script would try
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.head.append(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return (window as unknown as { injected?: boolean }).injected === true;
    });

    // Assess
    expect(ran).toBe(false);
    expect(opened?.trouble).toEqual([
      expect.stringContaining(
        "Executing inline script violates the following Content Security Policy directive 'script-src 'self''",
      ),
    ]);
    opened!.trouble.length = 0;
  });

  it('works from the keyboard alone', async () => {
    // Prepare
    const page = await open('/');
    await signIn(page, stack, 'bob@contoso.com');
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        return element?.getAttribute('aria-label') ?? element?.textContent?.trim() ?? '';
      });
    const tabTo = async (text: string) => {
      for (let i = 0; i < 40 && (await focused()) !== text; i++) await page.keyboard.press('Tab');
      expect(await focused()).toBe(text);
    };

    // Act and assess: the skip link, then a request, a look and a deletion, all by keyboard
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Skip to content');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    await tabTo('New sandbox');
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'Name (required)' }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type('bob-keys-1');
    await page.keyboard.press('Enter');
    await page.getByText('Ready: all 4 steps succeeded.').waitFor({ timeout: 30_000 });
    await tabTo('Open bob-keys-1');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Lease' }).waitFor();
    await tabTo('Delete sandbox');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    // Focus moves once the page has rendered the change, which the key press does not wait for.
    await expect.poll(focused).toBe('Delete sandbox');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await expect.poll(focused).toBe('Delete');
    await page.keyboard.press('Enter');
    await page.getByText(/^Deleted: all \d+ steps succeeded\.$/).waitFor({ timeout: 30_000 });
  });

  it('fits a phone’s width', async () => {
    // Prepare
    await seedGroups(stack, [
      {
        name: 'ana-phone-with-a-long-name',
        tags: {
          'managed-by': E2E_APP,
          'sandbox-owner': await objectIdOf('ana@contoso.com'),
          'sandbox-expires-at': new Date(Date.now() + 50 * 3_600_000).toISOString(),
          'sandbox-blueprint': 'storage',
        },
      },
    ]);
    const phone = { width: 390, height: 844 };
    const page = await open('/', phone);
    await signIn(page, stack, 'ana@contoso.com');

    // Act and assess
    await page.getByRole('link', { name: 'ana-phone-with-a-long-name' }).waitFor();
    expect(await overflowsSideways(page)).toBe(false);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sandboxes-phone');
    await page.getByRole('link', { name: 'ana-phone-with-a-long-name' }).click();
    await page.getByText('Nothing recorded yet.').waitFor();
    expect(await overflowsSideways(page)).toBe(false);
    await screenshot(page, 'sandbox-phone');
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'New sandbox' })
      .click();
    await page.getByRole('textbox', { name: 'Name (required)' }).waitFor();
    expect(await overflowsSideways(page)).toBe(false);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'new-sandbox-phone');
  });
});
