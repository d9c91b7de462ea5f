import type { Locator, Page } from '@playwright/test';
import { expect, openTerminal, setConfirmOrders, test, watchProblems } from './fixtures';

// Issue 7's trading journey in web mode against the local exchange: a market buy by hotkey from the
// watchlist fills, shows in the orders grid, and moves the position and the day's P&L; the kill
// switch in the top bar halts trading, cancels every working order within a second and refuses new
// ones until Resume. Symbols no other spec trades (TCS, SBIN), so the shared engine's leftovers from
// other specs do not count.

const PRICE = /^\d+\.\d{2}$/;
const MONEY = /^[+-]?\d{1,3}(,\d{2})*(,\d{3})?\.\d{2}$|^[+-]?\d{1,3}\.\d{2}$/;

/** Selects `symbol` in the watchlist (the ticket follows it) and waits for its price. */
async function select(page: Page, symbol: string): Promise<Locator> {
  const row = page.locator(`tr.wl-row[data-symbol="${symbol}"]`);
  await row.click();
  await expect(page.getByTestId('ticket-symbol')).toHaveText(`NSE:${symbol}`);
  await expect(page.getByTestId('ticket-ltp')).toHaveText(PRICE, { timeout: 10_000 });
  // New orders wait for the start-up reconciliation with the broker.
  await expect(page.getByTestId('ticket-submit')).toBeEnabled({ timeout: 20_000 });
  return row;
}

/** The net quantity of the CNC position in `symbol`, 0 when there is none. */
async function netQuantity(page: Page, symbol: string): Promise<number> {
  const cell = page.locator(
    `[data-testid="position-row"][data-symbol="${symbol}"][data-product="CNC"] [data-field="quantity"]`,
  );
  if ((await cell.count()) === 0) return 0;
  return Number(((await cell.textContent()) ?? '0').replace('+', ''));
}

/**
 * The terminal open with order hotkeys sending at once, `symbol` on a one-share ticket of `type`;
 * returns the watchlist row and the check for page problems.
 */
async function tradeOn(page: Page, url: string, symbol: string, type: 'MARKET' | 'LIMIT') {
  const problems = await watchProblems(page);
  await page.goto(url);
  await openTerminal(page);
  await setConfirmOrders(page, false);
  const row = await select(page, symbol);
  await page.getByTestId('ticket-type').locator(`[data-value="${type}"]`).click();
  await page.getByTestId('ticket-quantity').fill('1');
  return { row, problems };
}

test('a market buy by hotkey from the watchlist fills; the orders grid, the position and the P&L follow', async ({
  page,
  web,
}, testInfo) => {
  const { row, problems } = await tradeOn(page, web.url, 'TCS', 'MARKET');
  const held = await netQuantity(page, 'TCS');

  // From the watchlist, where B is the buy command and types nothing.
  await row.click();
  await expect(page.locator('#watchlist-grid')).toBeFocused();
  await page.keyboard.press('b');
  const placed = page.locator('[data-testid="ticket-outcome"][data-kind="placed"]');
  await expect(placed).toContainText('BUY 1 TCS');
  const id = (await placed.getAttribute('data-client-order-id')) ?? '';
  const order = page.locator(`[data-testid="order-row"][data-client-order-id="${id}"]`);
  await expect(order.getByTestId('order-state')).toHaveText('COMPLETE', { timeout: 10_000 });
  await expect(order.locator('[data-field="quantity"]')).toHaveText('1/1');
  await expect(order.locator('[data-field="average"]')).toHaveText(PRICE);
  await expect(placed).toContainText('placed · COMPLETE');

  // The trade, the position one share longer, its P&L, and the day's P&L over all positions.
  await expect(page.locator(`[data-testid="trade-row"][data-symbol="TCS"]`).first()).toBeAttached();
  const position = page.locator('[data-testid="position-row"][data-symbol="TCS"][data-product="CNC"]');
  await expect(position.locator('[data-field="quantity"]')).toHaveText(`+${held + 1}`, { timeout: 10_000 });
  await expect(position.locator('[data-field="ltp"]')).toHaveText(PRICE);
  await expect(position.locator('[data-field="net"]')).toHaveText(MONEY);
  // A fresh buy pays its charges at once, so its net P&L is not zero.
  await expect(position.locator('[data-field="charges"]')).not.toHaveText('0.00');
  await expect(page.getByTestId('day-pnl')).toHaveText(MONEY);
  await expect(page.getByTestId('day-pnl')).not.toHaveText('0.00');

  // The P&L panel (a tab behind the positions) agrees with the positions' total.
  await page.getByTestId('dock-tab-pnl').click();
  const pnl = page.getByTestId('pnl');
  await expect(pnl).toBeVisible();
  await expect(pnl.locator('[data-field="net"]')).toHaveText(MONEY);

  await page.screenshot({ path: testInfo.outputPath('hotkey-buy.png') });
  expect(problems()).toEqual([]);
});

test('the kill switch halts trading, cancels every working order within a second and refuses new ones until Resume', async ({
  page,
  web,
}, testInfo) => {
  const { problems } = await tradeOn(page, web.url, 'SBIN', 'LIMIT');

  // Two buys resting 2% and 2.5% under the market, priced from the last price as each is sent (the
  // fat-finger band refuses a price over 5% off it, and a fresh market moves off its previous close).
  const ids: string[] = [];
  for (const fraction of [0.98, 0.975]) {
    const ltp = Number((await page.getByTestId('ticket-ltp').textContent()) ?? '0');
    const price = ((Math.round((ltp * 100 * fraction) / 5) * 5) / 100).toFixed(2);
    await page.getByTestId('ticket-price').fill(price);
    await page.getByTestId('ticket-price').press('Enter');
    const placed = page.locator('[data-testid="ticket-outcome"][data-kind="placed"]');
    await expect(placed).not.toHaveAttribute('data-client-order-id', ids.at(-1) ?? '');
    const id = (await placed.getAttribute('data-client-order-id')) ?? '';
    ids.push(id);
    await expect(
      page.locator(`[data-testid="order-row"][data-client-order-id="${id}"]`).getByTestId('order-state'),
    ).toHaveText('OPEN', { timeout: 10_000 });
  }

  // The kill switch asks first; declining changes nothing.
  page.once('dialog', (d) => void d.dismiss());
  await page.getByTestId('kill-switch').click();
  await page.waitForTimeout(300);
  await expect(page.getByTestId('risk-state')).toHaveText('ACTIVE');

  page.once('dialog', (d) => {
    expect(d.message()).toContain('cancel every working order');
    void d.accept();
  });
  const pressed = Date.now();
  await page.getByTestId('kill-switch').click();
  await expect(page.getByTestId('risk-state')).toHaveText('HALTED', { timeout: 5_000 });
  for (const id of ids) {
    await expect(
      page.locator(`[data-testid="order-row"][data-client-order-id="${id}"]`).getByTestId('order-state'),
    ).toHaveText('CANCELLED', { timeout: 5_000 });
  }
  // Recorded, not asserted (no timed test in CI): the engine's 1 s is checked in
  // electron/engine/oms/orders.exchange.test.ts; the page adds the stream's frame and the paint.
  testInfo.annotations.push({
    type: 'kill switch → all cancelled, seen in the page',
    description: `${Date.now() - pressed} ms`,
  });
  await expect(page.getByTestId('orders-count')).toContainText(/^0 open/);
  // The ticket's line about the last order it placed says what became of it.
  await expect(page.locator('[data-testid="ticket-outcome"][data-kind="placed"]')).toHaveAttribute(
    'data-state',
    'CANCELLED',
  );
  await page.screenshot({ path: testInfo.outputPath('halted.png') });

  // Halted: the engine refuses a new order, and no row is added.
  const rows = await page.getByTestId('order-row').count();
  await page.getByTestId('ticket-price').press('Enter');
  const refusal = page.getByTestId('ticket-refusal');
  await expect(refusal).toBeVisible();
  await expect(refusal).toContainText(/halt/i);
  await page.waitForTimeout(300);
  await expect(page.getByTestId('order-row')).toHaveCount(rows);

  // Resume: ACTIVE again, and orders go.
  await page.getByTestId('risk-resume').click();
  await expect(page.getByTestId('risk-state')).toHaveText('ACTIVE');
  await page.getByTestId('ticket-price').press('Enter');
  const placed = page.locator('[data-testid="ticket-outcome"][data-kind="placed"]');
  await expect(placed).toBeVisible();
  const again = (await placed.getAttribute('data-client-order-id')) ?? '';
  expect(ids).not.toContain(again);
  await page
    .locator(`[data-testid="order-row"][data-client-order-id="${again}"]`)
    .getByTestId('order-cancel')
    .click();
  expect(problems()).toEqual([]);
});
