/**
 * The page for the people who govern cleanup, in Chromium on the whole local stack: an admin
 * starts a dry run and reads its plan (filtered by action), starts an apply run that the
 * blast-radius breaker blocks, and an approver (never the one who started it) approves it and
 * watches it apply; then the audit trail shows what was deleted. Each page is checked with
 * axe-core and saved to `.local/screenshots/`.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { groupExists, leaseTags, seedGroups } from '../../support/cleanup/cleanupE2e.js';
import { type Stack, startStack } from '../../support/stack.js';
import {
  accessibilityViolations,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  type WatchedPage,
} from '../../support/web/browser.js';

let stack: Stack;
let browser: Browser;
let opened: WatchedPage | undefined;

beforeAll(async () => {
  // Two deletes at most: three expired sandboxes trip the breaker.
  stack = await startStack({
    settings: { CLEANUP_MAX_DELETES: '2', CLEANUP_MAX_DELETE_FRACTION: '1' },
  });
  browser = await launchBrowser(stack);
});

afterEach(async () => {
  const trouble = opened?.trouble ?? [];
  await opened?.context.close();
  opened = undefined;
  expect(trouble).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function open(path: string): Promise<Page> {
  opened = await openPage(browser);
  await opened.page.goto(`${stack.hostUrl}${path}`);
  return opened.page;
}

/** The run id of the run page the browser is on. */
const runIdOf = (page: Page) => decodeURIComponent(new URL(page.url()).hash.split('/')[2] ?? '');

describe('the page, for admins and approvers', () => {
  it('runs a dry run, blocks a large apply run, and has it approved by someone else', async () => {
    // Prepare
    await seedGroups(stack, [
      { name: 'sbx-gone-1', tags: leaseTags(-2) },
      { name: 'sbx-gone-2', tags: leaseTags(-30) },
      { name: 'sbx-gone-3', tags: leaseTags(-0.5) },
      { name: 'sbx-soon', tags: leaseTags(3) },
      { name: 'sbx-fresh', tags: leaseTags(100) },
      { name: 'sbx-locked', tags: leaseTags(-2), lock: 'CanNotDelete' },
      { name: 'team-shared', tags: { owner: 'data' } },
    ]);
    const doomed = ['sbx-gone-1', 'sbx-gone-2', 'sbx-gone-3'];
    const page = await open('/#/cleanup');
    await signIn(page, stack, 'ops@contoso.com');
    await page.getByText('No runs yet.').waitFor();

    // A dry run: its plan, filtered by action, and nothing touched
    await page.getByRole('button', { name: 'Start a dry run' }).click();
    await page.getByRole('heading', { name: 'Plan' }).waitFor();
    await page.locator('.badge', { hasText: 'completed' }).first().waitFor();
    const dryRun = runIdOf(page);
    await page.getByText('The plan was only written down: nothing was deleted').waitFor();
    await page.getByLabel('Show action').selectOption('delete');
    await page.getByText('3 of 7 groups shown.').waitFor();
    const shown = await page.locator('table tbody th').allTextContents();
    expect(shown.sort()).toEqual(doomed);
    expect(await page.locator('table tbody td').nth(3).textContent()).toBe('not applied');
    expect(doomed.every((name) => groupExists(stack, name))).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'cleanup-run-dry-run');

    // An apply run the breaker blocks
    await page.getByRole('link', { name: 'Back to cleanup runs' }).click();
    await page.getByRole('button', { name: 'Start an apply run' }).click();
    await page
      .getByRole('dialog', { name: 'Start an apply run?' })
      .getByRole('button', { name: 'Start apply run' })
      .click();
    await page.getByRole('heading', { name: 'Blast-radius breaker' }).waitFor();
    await page.locator('.badge', { hasText: 'blocked' }).first().waitFor();
    const blocked = runIdOf(page);
    expect(blocked).not.toBe(dryRun);
    await page
      .getByText('3 deletes of 6 governed groups (50%); limits 2 deletes and 100%.')
      .waitFor();
    await page.getByText('This plan was blocked by the breaker.', { exact: false }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'cleanup-run-blocked');
    await page.getByRole('link', { name: 'Back to cleanup runs' }).click();
    await page.getByRole('link', { name: blocked }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'cleanup-runs');
    expect(doomed.every((name) => groupExists(stack, name))).toBe(true);

    // Whoever started it may not approve it
    await page.getByRole('link', { name: blocked }).click();
    await page.getByRole('button', { name: 'Approve this plan' }).click();
    await page.getByRole('alert').filter({ hasText: "'ops@contoso.com' started run" }).waitFor();

    // An approver signs in, approves it, and watches it apply
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.goto(`${stack.hostUrl}/#/cleanup/${blocked}`);
    await signIn(page, stack, 'carol@contoso.com');
    await page.getByRole('button', { name: 'Approve this plan' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Approved: the plan is being applied.' })
      .waitFor();
    await page.locator('.badge', { hasText: 'completed' }).first().waitFor({ timeout: 30_000 });
    await page.getByText('deleted 3').waitFor();
    expect(doomed.some((name) => groupExists(stack, name))).toBe(false);
    expect(groupExists(stack, 'sbx-locked')).toBe(true);
    await screenshot(page, 'cleanup-run-approved');

    // The audit trail says who deleted what
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Audit trail' })
      .click();
    await page.getByRole('cell', { name: 'sbx-gone-2' }).first().waitFor();
    expect(await page.getByRole('cell', { name: 'Deleted by cleanup (run)' }).count()).toBe(3);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'audit');
  });
});
