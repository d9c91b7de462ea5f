import { expect, test } from './fixtures';

// The trading mode is a setting that switches at once: to PAPER the terminal shows Kite's login
// (web mode: credentials from the environment), and back to SIM the local exchange's session and
// prices return without a reload.

test('switches to paper and back to sim at once, from the top bar', async ({ page, web }, testInfo) => {
  await page.goto(web.url);
  const badge = page.getByTestId('mode-badge');
  const session = page.getByTestId('session-status');
  await expect(session).toContainText('feed open', { timeout: 20_000 });
  await expect(badge).toHaveText('SIM');

  await page.getByTestId('mode-switch').selectOption('paper');
  await expect(badge).toHaveText('PAPER');
  await expect(session).not.toContainText('feed open');
  await expect(page.getByText('KITE_API_KEY').first()).toBeVisible();
  // The sim's last prices stay on screen only dimmed, under a line that says they are not live.
  await expect(page.getByTestId('no-feed')).toContainText('No live market data');
  await expect(page.getByTestId('engine-mode')).toHaveText('PAPER');
  await page.screenshot({ path: testInfo.outputPath('paper.png') });

  await page.getByTestId('mode-switch').selectOption('sim');
  await expect(badge).toHaveText('SIM');
  await expect(session).toContainText('feed open', { timeout: 20_000 });
  await expect(page.getByTestId('no-feed')).toHaveCount(0);
  // Prices move again from the new feed (the index ticks about once a second).
  const ltp = page.locator('tr.wl-row[data-symbol="NIFTY 50"] [data-field="ltp"]');
  const before = (await ltp.textContent()) ?? '';
  await expect(ltp).not.toHaveText(before, { timeout: 15_000 });
});
