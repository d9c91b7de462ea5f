import { test as base } from '@playwright/test';
import type { Page } from '@playwright/test';
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

export { expect } from '@playwright/test';

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
