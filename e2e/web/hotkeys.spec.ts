import type { Page } from '@playwright/test';
import { expect, openHelp, openTerminal, setConfirmOrders, test } from './fixtures';

// The hotkey registry in web mode against the local exchange: the help overlay lists every command,
// a rebinding survives a reload and trades, an ambiguous order hotkey sends nothing and says why,
// and with confirmOrders on an order hotkey asks first.

const PRICE = /^\d+\.\d{2}$/;

/** Commands the window must always have, whatever else the panels register. */
const EXPECTED = [
  'orders.buy',
  'orders.sell',
  'orders.cancelLast',
  'orders.cancelAll',
  'orders.flatten',
  'orders.flattenAll',
  'orders.toggleConfirm',
  'risk.killSwitch',
  'ticket.buy',
  'ticket.sell',
  'ticket.quantityUp',
  'ticket.quantityDown',
  'search.focus',
  'watchlist.selectPrevious',
  'watchlist.selectNext',
  'watchlist.remove',
  'window.help',
];

/** INFY on the ticket: one share, LIMIT 3% under the market (it rests), focus back on the watchlist. */
async function ticketOnInfy(page: Page): Promise<void> {
  const row = page.locator('tr.wl-row[data-symbol="INFY"]');
  await row.click();
  await expect(page.getByTestId('ticket-symbol')).toHaveText('NSE:INFY');
  await expect(page.getByTestId('ticket-ltp')).toHaveText(PRICE, { timeout: 10_000 });
  await expect(page.getByTestId('ticket-submit')).toBeEnabled({ timeout: 20_000 });
  const ltp = Number((await page.getByTestId('ticket-ltp').textContent()) ?? '0');
  const below = ((Math.round((ltp * 100 * 0.97) / 5) * 5) / 100).toFixed(2);
  await page.getByTestId('ticket-quantity').fill('1');
  await page.getByTestId('ticket-price').fill(below);
  // Out of the text field, onto the watchlist (where B is not a character).
  await row.click();
  await expect(page.locator('#watchlist-grid')).toBeFocused();
}

test('? opens the help overlay listing every command by category', async ({ page, web }, testInfo) => {
  await page.goto(web.url);
  await openTerminal(page);
  const help = await openHelp(page);
  const rows = help.getByTestId('hotkey-row');
  // Every registered command has a row (none filtered), and the window's own are all there.
  const count = Number(await help.getAttribute('data-count'));
  expect(count).toBeGreaterThanOrEqual(EXPECTED.length);
  await expect(rows).toHaveCount(count);
  for (const id of EXPECTED) await expect(help.locator(`[data-command-id="${id}"]`)).toBeVisible();
  await expect(help.locator('[data-command-id="orders.buy"] [data-testid="hotkey-binding"]')).toHaveAttribute(
    'data-binding',
    'B',
  );
  await expect(help.locator('[data-category="Orders"]')).toBeVisible();
  await expect(help.locator('[data-category="Watchlist"]')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('help-overlay.png') });

  // Sell rebound onto B clashes with buy: the overlay lists the clash and marks both rows; reset clears it.
  const sellRow = help.locator('[data-command-id="orders.sell"]');
  await sellRow.getByTestId('hotkey-binding').first().click();
  await page.keyboard.press('b');
  const conflicts = help.getByTestId('hotkey-conflicts');
  await expect(conflicts).toContainText('B everywhere');
  await expect(sellRow).toHaveAttribute('data-conflict', 'true');
  await expect(help.locator('[data-command-id="orders.buy"]')).toHaveAttribute('data-conflict', 'true');
  await page.screenshot({ path: testInfo.outputPath('help-overlay-conflict.png') });
  await sellRow.getByTestId('hotkey-reset').click();
  await expect(conflicts).toBeHidden();
  await expect(sellRow.getByTestId('hotkey-binding')).toHaveAttribute('data-binding', 'S');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('the buy command rebound to G survives a reload and places an order; B no longer does', async ({
  page,
  web,
}) => {
  await page.goto(web.url);
  await openTerminal(page);
  let help = await openHelp(page);
  const buyRow = help.locator('[data-command-id="orders.buy"]');
  await buyRow.getByTestId('hotkey-binding').first().click();
  await expect(help.getByTestId('hotkey-recording')).toBeVisible();
  await page.keyboard.press('g');
  await expect(buyRow.getByTestId('hotkey-binding')).toHaveAttribute('data-binding', 'G');
  await expect(buyRow).toHaveAttribute('data-overridden', 'true');
  await page.keyboard.press('Escape');

  await page.reload();
  await openTerminal(page);
  help = await openHelp(page);
  await expect(help.locator('[data-command-id="orders.buy"] [data-testid="hotkey-binding"]')).toHaveAttribute(
    'data-binding',
    'G',
  );
  await page.keyboard.press('Escape');

  await setConfirmOrders(page, false);
  await ticketOnInfy(page);
  await page.keyboard.press('b');
  await page.waitForTimeout(300);
  await expect(page.locator('[data-testid="ticket-outcome"][data-kind="placed"]')).toHaveCount(0);
  await page.keyboard.press('g');
  const placed = page.locator('[data-testid="ticket-outcome"][data-kind="placed"]');
  await expect(placed).toBeVisible();
  await expect(placed).toContainText('BUY 1 INFY');
  const id = (await placed.getAttribute('data-client-order-id')) ?? '';
  await expect(page.locator(`[data-testid="order-row"][data-client-order-id="${id}"]`)).toBeVisible();

  // Back to the defaults for the next test (settings live in the worker's engine).
  help = await openHelp(page);
  await help.locator('[data-command-id="orders.buy"]').getByTestId('hotkey-reset').click();
  await expect(help.locator('[data-command-id="orders.buy"] [data-testid="hotkey-binding"]')).toHaveAttribute(
    'data-binding',
    'B',
  );
  await page.keyboard.press('Escape');
});

test('with no instrument selected the buy hotkey sends nothing and says why', async ({ page, web }) => {
  // An empty saved watchlist: nothing to select, and no first-start seed.
  await page.addInitScript(() => {
    window.localStorage.setItem('shrivenq.watchlist.v1', JSON.stringify({ instruments: [] }));
  });
  await page.goto(web.url);
  await openTerminal(page);
  await setConfirmOrders(page, false);
  const rowsBefore = await page.getByTestId('order-row').count();
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('b');
  const notice = page.getByTestId('hotkey-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toHaveAttribute('data-kind', 'refused');
  await expect(notice).toContainText('no instrument selected');
  await page.waitForTimeout(500);
  await expect(page.getByTestId('order-row')).toHaveCount(rowsBefore);
  await expect(page.locator('[data-testid="ticket-outcome"][data-kind="placed"]')).toHaveCount(0);
});

test('with confirmOrders on the buy hotkey asks first: Escape sends nothing, Enter sends', async ({
  page,
  web,
}, testInfo) => {
  await page.goto(web.url);
  await openTerminal(page);
  await setConfirmOrders(page, true);
  await ticketOnInfy(page);
  const rowsBefore = await page.getByTestId('order-row').count();

  await page.keyboard.press('b');
  const confirm = page.getByTestId('ticket-confirm');
  await expect(confirm).toBeVisible();
  await expect(page.getByTestId('ticket-confirm-order')).toContainText('BUY 1 INFY LIMIT');
  await expect(page.getByTestId('ticket-confirm-yes')).toBeFocused();
  await expect(page.getByTestId('ticket-margin')).not.toHaveAttribute('data-kind', 'idle');
  await page.screenshot({ path: testInfo.outputPath('ticket-confirm.png') });
  await page.getByTestId('ticket').screenshot({ path: testInfo.outputPath('ticket.png') });
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await page.waitForTimeout(300);
  await expect(page.getByTestId('order-row')).toHaveCount(rowsBefore);

  await page.locator('tr.wl-row[data-symbol="INFY"]').click();
  await page.keyboard.press('b');
  await expect(confirm).toBeVisible();
  await page.keyboard.press('Enter');
  const placed = page.locator('[data-testid="ticket-outcome"][data-kind="placed"]');
  await expect(placed).toBeVisible();
  await expect(placed).toContainText('BUY 1 INFY');
  await expect(page.getByTestId('order-row')).toHaveCount(rowsBefore + 1);
});
