import { test as base } from '@playwright/test';
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { startWebMode } from '../webMode';
import type { WebMode } from '../webMode';

/** Playwright fixtures: one web-mode server (engine and exchange processes) per worker. */
export const test = base.extend<object, { web: WebMode & { readyMs: number } }>({
  web: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern.
    async ({}, use) => {
      const started = Date.now();
      const web = await startWebMode();
      await use({ ...web, readyMs: Date.now() - started });
      await web.stop();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

export { expect };

/** Console errors, page errors and CSP violations seen by the page; a spec expects none at its end. */
export async function watchProblems(page: Page): Promise<() => string[]> {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return () => problems;
}

/** The terminal is up: the engine connected and the local exchange's feed open. */
export async function openTerminal(page: Page): Promise<void> {
  await expect(page.getByTestId('engine-status')).toHaveText('Connected');
  await expect(page.getByTestId('session-status')).toContainText('feed open', { timeout: 20_000 });
}

/** Opens the help overlay with `?` (focus first on the page body, where `?` is not typed). */
export async function openHelp(page: Page) {
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  const help = page.getByTestId('hotkey-help');
  // The first press can land before the panels have registered: press again until it opens.
  await expect(async () => {
    if (!(await help.isVisible())) await page.keyboard.press('?');
    await expect(help).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
  return help;
}

/** Sets settings.confirmOrders through the overlay's switch. */
export async function setConfirmOrders(page: Page, on: boolean): Promise<void> {
  const help = await openHelp(page);
  const box = help.getByTestId('confirm-orders');
  if ((await box.isChecked()) !== on) await box.click();
  await expect(box).toBeChecked({ checked: on });
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
}
