import { expect, openTerminal, test, watchProblems } from './fixtures';
import { cleanUp, select, withEngine } from './engine';

// A TWAP from the order ticket in web mode against the local exchange: BUY 10 INFY MIS at the
// touch over half a minute in 3 slices. The algos panel shows it with its benchmarks and its
// slices as they go in, until its window ends (COMPLETED, or EXPIRED with what did not fill
// cancelled). The spec leaves the shared engine as it found it: nothing working, flat on INFY
// MIS, the Orders tab in front.

const PRICE = /^\d+\.\d{2}$/;
const BPS = /^(?:[+-]\d+\.\d|0\.0|—)$/;

test('a TWAP from the ticket: its slices go in over its window, the algos panel shows its benchmarks until it ends', async ({
  page,
  web,
}, testInfo) => {
  test.setTimeout(120_000);
  const problems = await watchProblems(page);
  await page.goto(web.url);
  await openTerminal(page);
  await select(page, 'INFY');
  const ticket = page.getByTestId('ticket');
  let token = 0;
  try {
    // BUY 10 INFY MIS at the touch (MKT: no limit), over 0.5 min in 3 slices, no cap.
    await ticket.getByTestId('ticket-kind').locator('[data-value="twap"]').click();
    await ticket.getByTestId('ticket-type').locator('[data-value="MARKET"]').click();
    await ticket.getByTestId('ticket-product').locator('[data-value="MIS"]').click();
    await ticket.getByTestId('ticket-quantity').fill('10');
    // The algorithm's fields take the validity row's place while it is chosen.
    await expect(ticket.getByTestId('ticket-validity')).toHaveCount(0);
    await expect(ticket.getByTestId('ticket-algo-fields')).toHaveAttribute('data-kind', 'twap');
    await ticket.getByTestId('ticket-window').fill('0.5');
    await ticket.getByTestId('ticket-slices').fill('3');
    await expect(ticket.getByTestId('ticket-cap')).toHaveValue('');
    await expect(ticket.getByTestId('ticket-submit')).toHaveText('BUY 10 INFY · TWAP');
    await ticket.screenshot({ path: testInfo.outputPath('twap-ticket.png') });

    // An order hotkey sends nothing while the ticket is set to an algorithm.
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    const rowsBefore = await page.getByTestId('order-row').count();
    await page.keyboard.press('b');
    const notice = page.getByTestId('hotkey-notice');
    await expect(notice).toHaveAttribute('data-kind', 'refused');
    await expect(notice).toContainText('the ticket is set to a TWAP');
    await expect(page.getByTestId('ticket-confirm')).toHaveCount(0);
    await expect(page.getByTestId('order-row')).toHaveCount(rowsBefore);

    await ticket.getByTestId('ticket-window').press('Enter');
    const started = page.locator('[data-testid="ticket-outcome"][data-kind="started"]');
    await expect(started).toContainText('TWAP BUY 10 INFY', { timeout: 15_000 });
    const algoId = (await started.getAttribute('data-algo-id')) ?? '';
    expect(algoId).not.toBe('');
    const view = await withEngine(web.rpc, async ({ algos }) =>
      (await algos.list()).algos.find((a) => a.algoId === algoId),
    );
    token = view?.instrumentToken ?? 0;
    expect(view?.spec).toMatchObject({
      kind: 'twap',
      side: 'BUY',
      quantity: 10,
      product: 'MIS',
      durationSeconds: 30,
      slices: 3,
    });
    expect(view?.spec).not.toHaveProperty('limitPrice');
    expect(view?.benchmark?.endAt).toBe((view?.benchmark?.startAt ?? 0) + 30_000);

    // The algos panel (a tab behind the orders in the Default layout): the TWAP, its benchmarks
    // under it, its slices as they go in.
    await page.getByTestId('dock-tab-algos').click();
    const row = page.locator(`[data-testid="algo-row"][data-algo-id="${algoId}"]`);
    await expect(row.locator('[data-field="kind"]')).toHaveText('TWAP');
    await expect(row.locator('[data-field="price"]')).toHaveText('TOUCH');
    await expect(row.locator('[data-field="target"]')).toHaveText('');
    const bench = page.locator(`[data-testid="algo-benchmark"][data-parent-id="${algoId}"]`);
    await expect(bench).toBeVisible();
    await expect(bench.locator('[data-field="arrival"] .num')).toHaveText(PRICE);
    await expect(bench.locator('[data-field="ends"] .num')).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
    const slices = page.locator(`[data-testid="algo-child-row"][data-parent-id="${algoId}"]`);
    await expect(slices.first()).toBeVisible({ timeout: 20_000 });
    await expect(slices.first().locator('[data-field="role"]')).toHaveText('└ slice 1');
    await page.getByTestId('dock-panel-algos').screenshot({ path: testInfo.outputPath('twap-working.png') });

    // Its window ends within 30 s of the start: done, or expired with the rest cancelled.
    await expect(row.getByTestId('algo-status')).toHaveText(/^(?:COMPLETED|EXPIRED)$/, { timeout: 60_000 });
    const ended = await withEngine(web.rpc, async ({ algos, orders }) => {
      const a = (await algos.list()).algos.find((x) => x.algoId === algoId);
      const kids = (await orders.list()).orders.filter((o) => o.parentId === algoId);
      return { a, kids };
    });
    const filled = ended.kids.reduce((n, k) => n + k.filledQuantity, 0);
    expect(filled).toBe(ended.a?.filledQuantity);
    if (ended.a?.status === 'COMPLETED') expect(filled).toBe(10);
    else expect(filled).toBeLessThan(10);
    expect(ended.kids.length).toBeGreaterThanOrEqual(1);
    await expect(row.locator('[data-field="quantity"]')).toHaveText(`${filled}/10`);
    await expect(row.getByTestId('algo-cancel')).toHaveCount(0);
    await expect(slices).toHaveCount(ended.kids.length);
    await expect(bench.locator('[data-field="slip-arrival"] .num')).toHaveText(BPS);
    await expect(bench.locator('[data-field="slip-vwap"] .num')).toHaveText(BPS);
    await expect(bench.locator('[data-field="ends"] .alg-bench__label')).toHaveText('End');
    await page.screenshot({ path: testInfo.outputPath('twap-ended.png') });
    await page
      .getByTestId('dock-panel-algos')
      .screenshot({ path: testInfo.outputPath('twap-ended-panel.png') });
  } finally {
    // Leave the engine as found for the specs after this one: the Orders tab in front again (the
    // layout lives in the engine's settings), the ticket back to a plain order, nothing working,
    // flat on INFY MIS.
    if (await page.getByTestId('dock-tab-orders').isVisible())
      await page.getByTestId('dock-tab-orders').click();
    await ticket
      .getByTestId('ticket-kind')
      .locator('[data-value="order"]')
      .click()
      .catch(() => undefined);
    if (token !== 0) await cleanUp(web.rpc, token);
  }
  await expect(page.getByTestId('orders-count')).toBeVisible();
  expect(problems()).toEqual([]);
});
