import type { Locator, Page } from '@playwright/test';
import { expect, openTerminal, test, watchProblems } from './fixtures';
import { cleanUp, select, withEngine } from './engine';

// A conditional order (IF) from the order ticket in web mode against the local exchange: BUY 1
// INFY MIS LIMIT when the last price reaches a level above the market, first waiting in the
// engine (ENG), then set at the broker as a Kite GTT; each seen in the algos panel and cancelled
// there; an OCO range as a two-leg GTT; an IF that starts a bracket. The spec leaves the shared
// engine as it found it: nothing working, flat on INFY MIS, the ticket a plain order waiting in the
// engine (BKT off), the Orders tab in front.

/**
 * A price `fraction` above the market (the middle of INFY's touch in the watchlist), on its 0.05
 * tick, as the ticket takes it. Not the last price: on a fresh engine it is the previous close until
 * the first trade, which can be far from the book.
 */
async function above(page: Page, fraction: number): Promise<string> {
  const quote = page.locator('tr.wl-row[data-symbol="INFY"]');
  const read = async (field: string) =>
    Number((await quote.locator(`[data-field="${field}"]`).textContent()) ?? '');
  let mid = 0;
  await expect
    .poll(
      async () => {
        const [bid, ask] = [await read('bid'), await read('ask')];
        mid = bid > 0 && ask > 0 ? (bid + ask) / 2 : 0;
        return mid > 0;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  return (Math.round((mid * (1 + fraction)) / 0.05) * 0.05).toFixed(2);
}

/** Starts the ticket's IF and returns its algorithm's id from the started line. */
async function start(page: Page, ticket: Locator): Promise<string> {
  await ticket.getByTestId('ticket-condition-level').press('Enter');
  const started = page.locator('[data-testid="ticket-outcome"][data-kind="started"]');
  await expect(started).toContainText('Conditional BUY 1 INFY', { timeout: 15_000 });
  const algoId = (await started.getAttribute('data-algo-id')) ?? '';
  expect(algoId).not.toBe('');
  return algoId;
}

test('a conditional order from the ticket: waiting in the engine, then as a GTT at the broker; each cancelled from the algos panel', async ({
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
    await ticket.getByTestId('ticket-kind').locator('[data-value="conditional"]').click();
    await ticket.getByTestId('ticket-type').locator('[data-value="LIMIT"]').click();
    await ticket.getByTestId('ticket-product').locator('[data-value="MIS"]').click();
    await ticket.getByTestId('ticket-quantity').fill('1');
    await expect(ticket.getByTestId('ticket-validity')).toHaveCount(0);
    await expect(ticket.getByTestId('ticket-algo-fields')).toHaveAttribute('data-kind', 'conditional');
    const height = (await ticket.boundingBox())?.height ?? 0;

    // GTT is offered for a price condition with a LIMIT order only, and says why not otherwise.
    const gtt = ticket.getByTestId('ticket-where').locator('[data-value="GTT"]');
    const engine = ticket.getByTestId('ticket-where').locator('[data-value="ENGINE"]');
    await ticket.getByTestId('ticket-type').locator('[data-value="MARKET"]').click();
    await expect(gtt).toHaveAttribute('aria-disabled', 'true');
    await expect(gtt).toHaveAttribute('title', /Not available: GTT places a LIMIT order only/);
    await ticket.getByTestId('ticket-type').locator('[data-value="LIMIT"]').click();
    await ticket.getByTestId('ticket-condition').selectOption('rsiAbove');
    await expect(ticket.getByTestId('ticket-interval')).toBeVisible();
    await expect(ticket.getByTestId('ticket-period')).toBeVisible();
    await expect(gtt).toHaveAttribute('title', /Not available: GTT takes a price condition/);
    await ticket.getByTestId('ticket-condition').selectOption('priceAbove');
    await expect(gtt).toHaveAttribute('aria-disabled', 'false');
    await expect(engine).toHaveAttribute('aria-checked', 'true');

    // Bad input: a typed message, nothing sent.
    await ticket.getByTestId('ticket-condition-level').fill('');
    await ticket.getByTestId('ticket-condition-level').press('Enter');
    await expect(page.getByTestId('ticket-refusal')).toContainText('IF price: the level, a price.');

    // An order hotkey sends nothing while the ticket is set to IF.
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('b');
    await expect(page.getByTestId('hotkey-notice')).toContainText('the ticket is set to a conditional (IF)');

    // IF LTP ≥ ~0.4% above the market, then BUY 1 LIMIT a tick above that level: in the engine.
    const level = await above(page, 0.004);
    await ticket.getByTestId('ticket-condition-level').fill(level);
    await ticket.getByTestId('ticket-price').fill((Number(level) + 0.05).toFixed(2));
    await expect(ticket.getByTestId('ticket-submit')).toHaveText('BUY 1 INFY · IF');
    expect((await ticket.boundingBox())?.height).toBe(height);
    await ticket.screenshot({ path: testInfo.outputPath('conditional-ticket-engine.png') });
    const engineId = await start(page, ticket);
    const view = await withEngine(web.rpc, async ({ algos }) =>
      (await algos.list()).algos.find((a) => a.algoId === engineId),
    );
    token = view?.instrumentToken ?? 0;
    expect(view?.spec).toMatchObject({
      kind: 'conditional',
      side: 'BUY',
      quantity: 1,
      product: 'MIS',
      condition: { on: 'price', direction: 'above', price: Math.round(Number(level) * 100) },
      then: { type: 'order', orderType: 'LIMIT' },
      gtt: false,
    });

    await page.getByTestId('dock-tab-algos').click();
    const engineRow = page.locator(`[data-testid="algo-row"][data-algo-id="${engineId}"]`);
    await expect(engineRow.locator('[data-field="kind"]')).toHaveText(/^IF/);
    await expect(engineRow.getByTestId('algo-where')).toHaveText('ENG');
    await expect(engineRow.getByTestId('algo-condition')).toHaveText(`LTP ≥ ${level}`);
    await expect(engineRow.getByTestId('algo-phase')).toContainText('waiting');
    await page
      .getByTestId('dock-panel-algos')
      .screenshot({ path: testInfo.outputPath('conditional-engine-panel.png') });
    await engineRow.getByTestId('algo-cancel').click();
    await expect(engineRow.getByTestId('algo-status')).toHaveText('CANCELLED');

    // The same as a GTT at the broker: it lives on while the app is closed.
    await gtt.click();
    await expect(gtt).toHaveAttribute('aria-checked', 'true');
    await ticket.screenshot({ path: testInfo.outputPath('conditional-ticket-gtt.png') });
    const gttId = await start(page, ticket);
    const gttRow = page.locator(`[data-testid="algo-row"][data-algo-id="${gttId}"]`);
    await expect(gttRow.getByTestId('algo-where')).toHaveText('GTT');
    await expect(gttRow.getByTestId('algo-phase')).toContainText(/GTT #\S+ active at the broker/, {
      timeout: 20_000,
    });
    await page
      .getByTestId('dock-panel-algos')
      .screenshot({ path: testInfo.outputPath('conditional-gtt-panel.png') });
    await page.screenshot({ path: testInfo.outputPath('conditional-gtt-terminal.png') });
    await gttRow.getByTestId('algo-cancel').click();
    await expect(gttRow.getByTestId('algo-status')).toHaveText('CANCELLED', { timeout: 15_000 });
    const ended = await withEngine(web.rpc, async ({ algos }) =>
      (await algos.list()).algos.find((a) => a.algoId === gttId),
    );
    expect(ended?.status).toBe('CANCELLED');

    // A range, one order for each way out (OCO), as a two-leg GTT: each leg a LIMIT at its level.
    await ticket.getByTestId('ticket-condition').selectOption('range');
    await expect(ticket.getByTestId('ticket-price')).toBeDisabled();
    const stopLevel = await above(page, -0.004);
    const targetLevel = await above(page, 0.004);
    await ticket.getByTestId('ticket-condition-level').fill(stopLevel);
    await ticket.getByTestId('ticket-condition-target').fill(targetLevel);
    await expect(gtt).toHaveAttribute('aria-checked', 'true');
    expect((await ticket.boundingBox())?.height).toBe(height);
    await ticket.screenshot({ path: testInfo.outputPath('conditional-ticket-oco.png') });
    const ocoId = await start(page, ticket);
    const ocoRow = page.locator(`[data-testid="algo-row"][data-algo-id="${ocoId}"]`);
    await expect(ocoRow.getByTestId('algo-condition')).toHaveText(`≤${stopLevel} ≥${targetLevel}`);
    await expect(ocoRow.locator('[data-field="price"]')).toHaveText('OCO');
    await expect(ocoRow.locator('[data-field="price"]')).toHaveAttribute(
      'title',
      `OCO: the stop's order ${stopLevel}, the target's ${targetLevel}; one of them, never both`,
    );
    await expect(ocoRow.getByTestId('algo-phase')).toContainText(/GTT #\S+ active at the broker/, {
      timeout: 20_000,
    });
    await page
      .getByTestId('dock-panel-algos')
      .screenshot({ path: testInfo.outputPath('conditional-oco-panel.png') });
    await ocoRow.getByTestId('algo-cancel').click();
    await expect(ocoRow.getByTestId('algo-status')).toHaveText('CANCELLED', { timeout: 15_000 });

    // IF → a bracket (BKT): the order as its entry, a target and a stop in ticks. It waits in the
    // engine: ticking BKT turns GTT to ENG (GTT greyed, saying why).
    await ticket.getByTestId('ticket-condition').selectOption('priceAbove');
    await ticket.getByTestId('ticket-then-bracket').check();
    await expect(engine).toHaveAttribute('aria-checked', 'true');
    await expect(gtt).toHaveAttribute('title', /Not available: A bracket waits in the engine/);
    await expect(ticket.getByTestId('ticket-target')).toBeVisible();
    await expect(ticket.getByTestId('ticket-stop')).toBeVisible();
    await ticket.getByTestId('ticket-target').fill('24');
    await ticket.getByTestId('ticket-stop').fill('12');
    const bktLevel = await above(page, 0.004);
    await ticket.getByTestId('ticket-condition-level').fill(bktLevel);
    await ticket.getByTestId('ticket-price').fill((Number(bktLevel) + 0.05).toFixed(2));
    await expect(ticket.getByTestId('ticket-submit')).toHaveText('BUY 1 INFY · IF → Bracket');
    expect((await ticket.boundingBox())?.height).toBe(height);
    await ticket.screenshot({ path: testInfo.outputPath('conditional-ticket-bracket.png') });
    const bktId = await start(page, ticket);
    const bkt = await withEngine(web.rpc, async ({ algos }) =>
      (await algos.list()).algos.find((a) => a.algoId === bktId),
    );
    expect(bkt?.spec).toMatchObject({
      condition: { on: 'price', direction: 'above', price: Math.round(Number(bktLevel) * 100) },
      then: {
        type: 'bracket',
        entry: { orderType: 'LIMIT', price: Math.round((Number(bktLevel) + 0.05) * 100) },
        target: { ticks: 24 },
        stop: { ticks: 12 },
      },
      gtt: false,
    });
    const bktRow = page.locator(`[data-testid="algo-row"][data-algo-id="${bktId}"]`);
    await expect(bktRow.getByTestId('algo-where')).toHaveText('ENG');
    await expect(bktRow.getByTestId('algo-condition')).toHaveText(`LTP ≥ ${bktLevel}`);
    // The condition has the exits' columns; the price cell's title says what it starts.
    const entryPrice = (Number(bktLevel) + 0.05).toFixed(2);
    await expect(bktRow.locator('[data-field="price"]')).toHaveText(entryPrice);
    await expect(bktRow.locator('[data-field="price"]')).toHaveAttribute(
      'title',
      `Then a bracket: entry ${entryPrice}, target 24 tk, stop 12 tk`,
    );
    await page
      .getByTestId('dock-panel-algos')
      .screenshot({ path: testInfo.outputPath('conditional-bracket-panel.png') });
    await bktRow.getByTestId('algo-cancel').click();
    await expect(bktRow.getByTestId('algo-status')).toHaveText('CANCELLED');
    await ticket.getByTestId('ticket-then-bracket').uncheck();
    await expect(engine).toHaveAttribute('aria-checked', 'true');
  } finally {
    await ticket
      .getByTestId('ticket-then-bracket')
      .uncheck()
      .catch(() => undefined);
    await ticket
      .getByTestId('ticket-condition')
      .selectOption('priceAbove')
      .catch(() => undefined);
    if (await page.getByTestId('dock-tab-orders').isVisible())
      await page.getByTestId('dock-tab-orders').click();
    await ticket
      .getByTestId('ticket-where')
      .locator('[data-value="ENGINE"]')
      .click()
      .catch(() => undefined);
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
