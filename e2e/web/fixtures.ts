import { test as base } from '@playwright/test';
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
