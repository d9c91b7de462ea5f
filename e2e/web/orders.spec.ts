import { expect, test, watchProblems } from './fixtures';

// Trading by mouse and keyboard in web mode: the ticket, the orders grid and the positions grid
// against the whole product (the engine's OMS, risk and journal, the local exchange matching).

const PRICE = /^\d+\.\d{2}$/;
const MONEY = /^[+-]?\d{1,3}(,\d{2})*(,\d{3})?\.\d{2}$|^[+-]?\d{1,3}\.\d{2}$/;

/** A price `fraction` of the way from `ltp` (text), on the 0.05 tick, as text. */
function priceNear(ltp: string, fraction: number): string {
  const paise = Math.round(Number(ltp) * 100);
  return ((Math.round((paise * fraction) / 5) * 5) / 100).toFixed(2);
}

test('place, modify and cancel a limit order from the ticket, buy at market, see the position and its P&L, and read the refusals', async ({
  page,
  web,
}, testInfo) => {
  const problems = await watchProblems(page);
  await page.goto(web.url);
  await expect(page.getByTestId('engine-status')).toHaveText('Connected');
  await expect(page.getByTestId('session-status')).toContainText('feed open', { timeout: 20_000 });

  // The ticket trades the watchlist's selection.
  await page.locator('tr.wl-row[data-symbol="INFY"]').click();
  const ticket = page.getByTestId('ticket');
  await expect(page.getByTestId('ticket-symbol')).toHaveText('NSE:INFY');
  await expect(page.getByTestId('ticket-ltp')).toHaveText(PRICE, { timeout: 10_000 });
  const submit = page.getByTestId('ticket-submit');
  // New orders wait for the start-up reconciliation with the broker.
  await expect(submit).toBeEnabled({ timeout: 20_000 });
  // Other specs share this engine and leave finished orders: count ours against what is there.
  const completeAtStart = await page.locator('[data-testid="order-row"][data-state="COMPLETE"]').count();

  // F1: the ticket on BUY, the cursor in the quantity. A limit buy 3% under the market rests OPEN.
  await page.keyboard.press('F2');
  await expect(ticket).toHaveAttribute('data-side', 'SELL');
  await page.keyboard.press('F1');
  await expect(ticket).toHaveAttribute('data-side', 'BUY');
  await expect(page.getByTestId('ticket-quantity')).toBeFocused();
  await page.keyboard.type('2');
  await expect(submit).toHaveText('BUY 2 INFY');
  const ltp = (await page.getByTestId('ticket-ltp').textContent()) ?? '';
  const below = priceNear(ltp, 0.97);
  const price = page.getByTestId('ticket-price');
  await price.fill(below);
  await page.keyboard.press('Enter');
  const placed = page.locator('[data-testid="ticket-outcome"][data-kind="placed"]');
  await expect(placed).toBeVisible();
  const limitId = (await placed.getAttribute('data-client-order-id')) ?? '';
  expect(limitId).not.toBe('');
  const limitRow = page.locator(`[data-testid="order-row"][data-client-order-id="${limitId}"]`);
  await expect(limitRow.getByTestId('order-state')).toHaveText('OPEN');
  await expect(limitRow.locator('[data-field="quantity"]')).toHaveText('0/2');
  await expect(limitRow.locator('[data-field="price"]')).toHaveText(below);

  // Modify: click the price, step it down a tick with the arrow key, Enter.
  await limitRow.getByTestId('order-modify').click();
  const edit = limitRow.getByTestId('order-price-input');
  await expect(edit).toBeFocused();
  await expect(edit).toHaveValue(below);
  await page.keyboard.press('ArrowDown');
  const modified = ((Math.round(Number(below) * 100) - 5) / 100).toFixed(2);
  await expect(edit).toHaveValue(modified);
  await page.keyboard.press('Enter');
  await expect(limitRow.locator('[data-field="price"]')).toHaveText(modified);
  await expect(limitRow.getByTestId('order-state')).toHaveText('OPEN');

  // Cancel it with its ×.
  await limitRow.getByTestId('order-cancel').click();
  await expect(limitRow.getByTestId('order-state')).toHaveText('CANCELLED');
  await expect(limitRow.getByTestId('order-cancel')).toHaveCount(0);

  // A market buy by mouse: COMPLETE, and a long position of 2 with its P&L.
  await page.getByTestId('ticket-type').locator('[data-value="MARKET"]').click();
  await expect(price).toBeDisabled();
  await submit.click();
  await expect(placed).not.toHaveAttribute('data-client-order-id', limitId);
  const marketId = (await placed.getAttribute('data-client-order-id')) ?? '';
  const marketRow = page.locator(`[data-testid="order-row"][data-client-order-id="${marketId}"]`);
  await expect(marketRow.getByTestId('order-state')).toHaveText('COMPLETE');
  await expect(marketRow.locator('[data-field="quantity"]')).toHaveText('2/2');
  await expect(marketRow.locator('[data-field="average"]')).toHaveText(PRICE);
  const position = page.locator('[data-testid="position-row"][data-symbol="INFY"][data-product="CNC"]');
  await expect(position.locator('[data-field="quantity"]')).toHaveText('+2', { timeout: 10_000 });
  await expect(position.locator('[data-field="average"]')).toHaveText(PRICE);
  await expect(position.locator('[data-field="ltp"]')).toHaveText(PRICE);
  await expect(position.locator('[data-field="net"]')).toHaveText(MONEY);
  await expect(position.locator('[data-field="net"]')).toHaveAttribute('data-dir', /^(up|down|flat)$/);
  await expect(position.locator('[data-field="charges"]')).toHaveText(MONEY);
  await expect(page.getByTestId('day-pnl')).toHaveText(MONEY);
  await expect(position.getByTestId('position-exit')).toBeEnabled();

  // One more resting order, so the grid shows a working order above the finished ones.
  await page.getByTestId('ticket-type').locator('[data-value="LIMIT"]').click();
  await page.getByTestId('ticket-quantity').fill('1');
  await price.fill(priceNear(ltp, 0.98));
  await price.press('Enter');
  await expect(page.locator('[data-testid="order-row"]').first().getByTestId('order-state')).toHaveText(
    'OPEN',
  );
  const rows = await page.locator('[data-testid="order-row"]').count();

  // An off-tick price: the engine's refusal, inline under the ticket, with what would pass.
  const offTick = ((Math.round(Number(priceNear(ltp, 0.99)) * 100) + 3) / 100).toFixed(2);
  await price.fill(offTick);
  await price.press('Enter');
  const refusal = page.getByTestId('ticket-refusal');
  await expect(refusal).toHaveAttribute('data-code', 'TICK_SIZE');
  await expect(refusal).toContainText(/tick/i);
  await expect(page.locator('[data-testid="order-row"]')).toHaveCount(rows);

  const shot = await page.screenshot({ path: testInfo.outputPath('orders.png') });
  await testInfo.attach('orders', { body: shot, contentType: 'image/png' });

  // Quantity 0: refused by the engine too (nothing is placed). Escape clears the ticket.
  await price.fill(priceNear(ltp, 0.98));
  await page.getByTestId('ticket-quantity').fill('0');
  await page.keyboard.press('Enter');
  await expect(refusal).toContainText(/quantity/i);
  await expect(page.locator('[data-testid="order-row"]')).toHaveCount(rows);
  await page.keyboard.press('Escape');
  await expect(refusal).toHaveCount(0);
  await expect(page.getByTestId('ticket-quantity')).toHaveValue('1');

  // Cancel all, then exit the position at market: flat.
  await page.getByTestId('orders-cancel-all').click();
  await expect(page.locator('[data-testid="order-row"][data-working="true"]')).toHaveCount(0);
  await expect(page.getByTestId('orders-cancel-all')).toBeDisabled();
  await position.getByTestId('position-exit').click();
  await expect(position.locator('[data-field="quantity"]')).toHaveText('0', { timeout: 10_000 });
  await expect(position).toHaveAttribute('data-open', 'false');
  await expect(page.locator('[data-testid="order-row"][data-state="COMPLETE"]')).toHaveCount(
    completeAtStart + 2,
  );

  expect(problems()).toEqual([]);
});
