import type { Locator } from '@playwright/test';
import { expect, test, watchProblems } from './fixtures';

// The price ladder and orders on the chart, in web mode against the local exchange: click the bid
// column to buy LIMIT at the row's price, drag the working order to another row to move it, click it
// to cancel it; the chart draws the order's line; a stop on the wrong side of the market is refused.

const PRICE = /^\d+\.\d{2}$/;

/** The ladder row showing `priceText` (rows carry their price as data, written as the ladder paints). */
function row(ladder: Locator, priceText: string): Locator {
  return ladder.locator(`[data-testid="ladder-row"][data-price-text="${priceText}"]`);
}

/**
 * The price of the row `offset` rows below the row with the last price (negative: above), after
 * centring the ladder on the last price (the Centre button), since the market moves on.
 */
async function priceNearLast(ladder: Locator, offset: number): Promise<string> {
  await ladder.getByTestId('ladder-recentre').click();
  const texts = await ladder
    .locator('[data-testid="ladder-row"]')
    .evaluateAll((rows) =>
      rows.map((r) => [
        (r as HTMLElement).dataset['priceText'] ?? '',
        (r as HTMLElement).dataset['last'] ?? '',
      ]),
    );
  const at = texts.findIndex(([, last]) => last !== '');
  const target = texts[at + offset];
  if (at < 0 || target === undefined)
    throw new Error(`no row ${offset} from the last price in ${JSON.stringify(texts)}`);
  return target[0] ?? '';
}

test('click the bid column to buy, drag the order to move it, click it to cancel; the chart draws its line', async ({
  page,
  web,
}, testInfo) => {
  test.setTimeout(150_000); // a long walk through the product: ladder, keyboard, chart
  const problems = await watchProblems(page);
  await page.goto(web.url);
  await expect(page.getByTestId('engine-status')).toHaveText('Connected');
  await expect(page.getByTestId('session-status')).toContainText('feed open', { timeout: 20_000 });
  await page.locator('tr.wl-row[data-symbol="INFY"]').click();

  // The ladder is a panel of the layout; in the default layout it is a tab beside the chart.
  const ladder = page.getByTestId('ladder');
  await expect(ladder).toHaveCount(1);
  const ladderTab = page.getByRole('tab', { name: 'Ladder', exact: true });
  if (!(await ladder.isVisible()) && (await ladderTab.count()) > 0) await ladderTab.click();
  await expect(ladder).toBeVisible();
  await expect(page.getByTestId('ladder-symbol')).toHaveText('INFY');
  await expect(page.getByTestId('ladder-ltp')).toHaveText(PRICE, { timeout: 10_000 });
  // The rows are one tick apart, highest first, with the last price on one of them.
  await expect(ladder.locator('[data-testid="ladder-row"]:not([data-last=""])')).toHaveCount(1);
  const first = await ladder.locator('[data-testid="ladder-row"]').nth(0).getAttribute('data-price');
  const second = await ladder.locator('[data-testid="ladder-row"]').nth(1).getAttribute('data-price');
  expect(Number(first) - Number(second)).toBe(5); // INFY's tick: 0.05
  // The book's sizes come from the depth stream.
  await expect(ladder.locator('[data-zone="bid"] [data-field="bid"]:not(:empty)').first()).toBeVisible();
  await expect(ladder.locator('[data-zone="ask"] [data-field="ask"]:not(:empty)').first()).toBeVisible();

  // Keep the rows still while we click them.
  await page.getByTestId('ladder-auto-centre').uncheck();
  await page.getByTestId('ladder-qty-1').click();
  await expect(page.getByTestId('ladder-product-MIS')).toHaveAttribute('aria-checked', 'true');

  // A wrong-side stop is refused with the reason, and nothing is sent.
  const above = await priceNearLast(ladder, -4);
  await row(ladder, above)
    .locator('[data-field="bid"]')
    .click({ modifiers: ['Shift'] });
  const message = page.getByTestId('ladder-message');
  await expect(message).toHaveAttribute('data-kind', 'refused');
  await expect(message).toContainText(/sell stop must be below the last price/i);

  // Click the bid column 8 rows under the market: a confirmation (settings.confirmOrders), Enter sends.
  const buyAt = await priceNearLast(ladder, 12);
  await row(ladder, buyAt).locator('[data-field="bid"]').click();
  const confirm = page.getByTestId('ladder-confirm');
  await expect(confirm).toContainText(`BUY 1 INFY @ ${buyAt} LIMIT MIS`);
  await page.keyboard.press('Enter');
  await expect(message).toHaveAttribute('data-kind', 'placed');
  const id = (await message.getAttribute('data-client-order-id')) ?? '';
  expect(id).not.toBe('');
  const orderRow = page.locator(`[data-testid="order-row"][data-client-order-id="${id}"]`);
  await expect(orderRow.getByTestId('order-state')).toHaveText('OPEN');
  await expect(orderRow.locator('[data-field="price"]')).toHaveText(buyAt);
  await expect(orderRow.locator('.ord-side')).toHaveText('BUY');
  const working = row(ladder, buyAt).locator('[data-field="buy-orders"]');
  await expect(working).toHaveText('1');

  // The chart draws the order's line at its price.
  const chartLine = page.locator(`[data-testid="chart-line"][data-client-order-id="${id}"]`);
  await expect(chartLine).toHaveAttribute('data-price-text', buyAt);
  await expect(chartLine).toHaveText(`BUY 1 @ ${buyAt}`);

  // Drag the order two rows down: modified to that row's price.
  const moveTo = await priceNearLast(ladder, 10);
  const from = await working.boundingBox();
  const to = await row(ladder, moveTo).locator('[data-field="buy-orders"]').boundingBox();
  if (from === null || to === null) throw new Error('ladder cells not laid out');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2, to.y + to.height / 2, { steps: 6 });
  await expect(row(ladder, moveTo)).toHaveAttribute('data-drop', 'true');
  await page.mouse.up();
  await expect(orderRow.locator('[data-field="price"]')).toHaveText(moveTo);
  await expect(row(ladder, moveTo).locator('[data-field="buy-orders"]')).toHaveText('1');
  await expect(row(ladder, buyAt).locator('[data-field="buy-orders"]')).toHaveText('');
  await expect(chartLine).toHaveAttribute('data-price-text', moveTo);

  await ladder.screenshot({ path: testInfo.outputPath('ladder.png') });
  await page.screenshot({ path: testInfo.outputPath('terminal-ladder.png') });
  const chartTab = page.getByRole('tab', { name: 'Chart', exact: true });
  if (!(await page.getByTestId('chart').isVisible()) && (await chartTab.count()) > 0) await chartTab.click();
  await page.getByTestId('chart-indicator-vwap').click();
  await page.getByTestId('chart-indicator-rsi').click();
  await page.getByTestId('chart').screenshot({ path: testInfo.outputPath('chart.png') });
  await page.getByTestId('chart-indicator-vwap').click();
  await page.getByTestId('chart-indicator-rsi').click();
  if ((await ladderTab.count()) > 0 && !(await ladder.isVisible())) await ladderTab.click();

  // Click the working order: cancelled.
  await row(ladder, moveTo).locator('[data-field="buy-orders"]').click();
  await expect(orderRow.getByTestId('order-state')).toHaveText('CANCELLED');
  await expect(row(ladder, moveTo).locator('[data-field="buy-orders"]')).toHaveText('');
  await expect(chartLine).toHaveCount(0);

  // The keyboard: the clicked row is selected; B asks to buy there, Escape drops it; Shift+S a sell
  // stop below the market; Shift+B there is refused (a buy stop must be above). Nothing is sent.
  await expect(row(ladder, moveTo)).toHaveAttribute('data-selected', 'true');
  await expect(ladder).toBeFocused();
  await page.keyboard.press('ArrowUp');
  const selected = ladder.locator('[data-testid="ladder-row"][data-selected="true"]');
  const upOne = (Math.round(Number(moveTo) * 100) + 5) / 100;
  await expect(selected).toHaveAttribute('data-price-text', upOne.toFixed(2));
  await page.keyboard.press('b');
  await expect(confirm).toContainText(`BUY 1 INFY @ ${upOne.toFixed(2)} LIMIT MIS`);
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(message).toHaveText('Not sent.');
  await page.keyboard.press('Shift+S');
  await expect(confirm).toContainText(`SELL 1 INFY @ stop ${upOne.toFixed(2)} SL-M MIS`);
  await page.keyboard.press('Escape');
  // (Other specs share this engine: count the grid's rows rather than expect a number.)
  const rowsBefore = await page.locator('[data-testid="order-row"]').count();
  await page.keyboard.press('Shift+B');
  await expect(message).toHaveAttribute('data-kind', 'refused');
  await expect(message).toContainText(/buy stop must be above the last price/i);
  await expect(page.locator('[data-testid="order-row"]')).toHaveCount(rowsBefore);

  // On the chart: drag a working order's line down. A new order from the ladder first. The random
  // market can trade through a buy 12 ticks under it before the line is found; then the order has
  // filled (its line is a position's now) and another is placed, up to three times.
  const canvas = page.getByTestId('chart-canvas');
  const lineX = async (): Promise<number> => {
    const box = await canvas.boundingBox();
    if (box === null) throw new Error('the chart is not laid out');
    return box.x + box.width * 0.4;
  };
  /** Finds an order's line as a trader does: the pointer turns into a resize cursor over it (-1: none). */
  const findLine = async (atX: number): Promise<number> => {
    const box = await canvas.boundingBox();
    if (box === null) throw new Error('the chart is not laid out');
    for (let y = box.y + 2; y < box.y + box.height - 2; y += 2) {
      await page.mouse.move(atX, y);
      if ((await canvas.evaluate((el) => el.style.cursor)) === 'ns-resize') return y;
    }
    return -1;
  };
  let secondAt = '';
  let secondId = '';
  let lineY = -1;
  let x = 0;
  for (let attempt = 0; attempt < 3 && lineY < 0; attempt++) {
    if ((await ladderTab.count()) > 0 && !(await ladder.isVisible())) await ladderTab.click();
    secondAt = await priceNearLast(ladder, 12);
    await row(ladder, secondAt).locator('[data-field="bid"]').click();
    await page.keyboard.press('Enter');
    await expect(message).toHaveAttribute('data-kind', 'placed');
    await expect(message).not.toHaveAttribute('data-client-order-id', secondId);
    secondId = (await message.getAttribute('data-client-order-id')) ?? '';
    await expect(
      page.locator(`[data-testid="order-row"][data-client-order-id="${secondId}"] [data-field="price"]`),
    ).toHaveText(secondAt);
    const line = page.locator(`[data-testid="chart-line"][data-client-order-id="${secondId}"]`);
    await expect(line).toHaveAttribute('data-price-text', secondAt);
    if (!(await page.getByTestId('chart').isVisible()) && (await chartTab.count()) > 0)
      await chartTab.click();
    x = await lineX();
    lineY = await findLine(x);
    const state = await page
      .locator(`[data-testid="order-row"][data-client-order-id="${secondId}"] [data-testid="order-state"]`)
      .textContent();
    if (lineY < 0) expect(state, 'an order still OPEN has a line to find').not.toBe('OPEN');
  }
  expect(lineY).toBeGreaterThan(0);
  const secondRow = page.locator(`[data-testid="order-row"][data-client-order-id="${secondId}"]`);
  const secondLine = page.locator(`[data-testid="chart-line"][data-client-order-id="${secondId}"]`);
  // Escape drops a drag: nothing changes.
  await page.mouse.down();
  await page.mouse.move(x, lineY + 20, { steps: 4 });
  await expect(canvas).toHaveAttribute('data-dragging', `order:${secondId}`);
  await page.keyboard.press('Escape');
  await expect(canvas).not.toHaveAttribute('data-dragging', /.*/);
  await page.mouse.up();
  await page.waitForTimeout(500);
  await expect(secondRow.locator('[data-field="price"]')).toHaveText(secondAt);
  // A real drag: modified to the tick-rounded price under the pointer, lower than before. The line
  // is found again first: a new high or low since rescales the chart and moves it on the screen.
  lineY = await findLine(x);
  expect(lineY).toBeGreaterThan(0);
  await page.mouse.move(x, lineY);
  await page.mouse.down();
  await page.mouse.move(x, lineY + 24, { steps: 6 });
  await expect(canvas).toHaveAttribute('data-dragging', `order:${secondId}`);
  const dropped = Number(await canvas.getAttribute('data-drag-price'));
  await page.mouse.up();
  const droppedText = (dropped / 100).toFixed(2);
  expect(dropped % 5).toBe(0);
  expect(dropped).toBeLessThan(Math.round(Number(secondAt) * 100));
  await expect(secondRow.locator('[data-field="price"]')).toHaveText(droppedText);
  await expect(secondLine).toHaveAttribute('data-price-text', droppedText);
  await page.getByTestId('chart').screenshot({ path: testInfo.outputPath('chart-after-drag.png') });
  await secondRow.getByTestId('order-cancel').click();
  await expect(secondRow.getByTestId('order-state')).toHaveText('CANCELLED');

  // A buy LIMIT clicked above the market fills: the chart draws the position at its average.
  if ((await ladderTab.count()) > 0 && !(await ladder.isVisible())) await ladderTab.click();
  const marketable = await priceNearLast(ladder, -6);
  // With settings.confirmOrders off (the ladder's switch), a click sends at once.
  const confirmToggle = page.getByTestId('ladder-confirm-toggle');
  await confirmToggle.click();
  await expect(confirmToggle).toHaveText('Confirm off');
  await row(ladder, marketable).locator('[data-field="bid"]').click();
  await expect(message).not.toHaveAttribute('data-client-order-id', secondId);
  await expect(message).toHaveAttribute('data-kind', 'placed');
  await expect(confirm).toHaveCount(0);
  await confirmToggle.click();
  await expect(confirmToggle).toHaveText('Confirm on');
  const filledId = (await message.getAttribute('data-client-order-id')) ?? '';
  const filled = page.locator(`[data-testid="order-row"][data-client-order-id="${filledId}"]`);
  await expect(filled.getByTestId('order-state')).toHaveText('COMPLETE');
  const average = (await filled.locator('[data-field="average"]').textContent()) ?? '';
  expect(average).toMatch(PRICE);
  const positionLine = page.locator('[data-testid="chart-line"][data-kind="position"]');
  await expect(positionLine).toHaveText(`POS +1 @ ${average}`);
  await expect(positionLine).toHaveAttribute('data-tone', 'long');
  if (!(await page.getByTestId('chart').isVisible()) && (await chartTab.count()) > 0) await chartTab.click();
  await page.getByTestId('chart').screenshot({ path: testInfo.outputPath('chart-position.png') });
  const position = page.locator('[data-testid="position-row"][data-symbol="INFY"][data-product="MIS"]');
  await position.getByTestId('position-exit').click();
  await expect(position.locator('[data-field="quantity"]')).toHaveText('0', { timeout: 10_000 });
  await expect(positionLine).toHaveCount(0);

  expect(problems()).toEqual([]);
});
