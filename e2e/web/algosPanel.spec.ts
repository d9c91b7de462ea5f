import { WebSocket } from 'ws';
import { RpcClient, toService } from '../../shared/rpc/client';
import { openWebSocketPort } from '../../shared/rpc/transports/webSocket';
import { algosService } from '../../shared/services/algos';
import type { AlgoView } from '../../shared/services/algos';
import { marketService } from '../../shared/services/market';
import { ordersService } from '../../shared/services/orders';
import { expect, openTerminal, test, watchProblems } from './fixtures';

// The algos panel in web mode against the whole product (the engine's algorithms over its OMS, the
// local exchange matching). The ticket and the ladder do not start algorithms yet here, so the test
// starts them over the engine's RPC socket, as a second client of the engine, and the page shows
// what the engine streams: the algorithms with their child orders, cancelled from the panel by keyboard.

test('the algos panel shows icebergs with their legs and a bracket with its exits; move a stop and cancel by keyboard', async ({
  page,
  web,
}, testInfo) => {
  const problems = await watchProblems(page);
  await page.goto(web.url);
  await openTerminal(page);

  const client = new RpcClient(await openWebSocketPort(new WebSocket(web.rpc)));
  const market = toService(client, marketService);
  const orders = toService(client, ordersService);
  const algos = toService(client, algosService);
  const started: AlgoView[] = [];
  try {
    // New orders (an algorithm's children too) wait for the start-up reconciliation with the broker.
    await expect.poll(async () => (await orders.reconciliation()).state, { timeout: 20_000 }).toBe('ok');
    const infy = (await market.lookup({ keys: ['NSE:INFY'] })).instruments[0];
    if (infy === undefined) throw new Error('no NSE:INFY');
    const token = infy.instrumentToken;
    await market.subscribe({ instrumentTokens: [token], mode: 'quote' });
    // The price now (the local exchange moves fast): a limit this far through it fills at once, this
    // far under it rests; both well inside the fat-finger check (5% by default).
    const quoteNow = async () => {
      let q: { lastPrice: number; bidPrice: number; askPrice: number } | undefined;
      await expect
        .poll(async () => {
          q = (await market.quotes({ instrumentTokens: [token] })).quotes[0];
          return Math.min(q?.lastPrice ?? 0, q?.bidPrice ?? 0, q?.askPrice ?? 0);
        })
        .toBeGreaterThan(0);
      if (q === undefined) throw new Error('no quote');
      return q;
    };
    const through = async () => onTick(Math.round((await quoteNow()).askPrice * 1.03));
    const under = async () => onTick(Math.round((await quoteNow()).bidPrice * 0.97));
    const onTick = (price: number) => price - (price % infy.tickSize);

    // The algos panel is a tab behind the orders until the keyboard shows it below.
    // An iceberg through the market: its legs take the book one after another and it completes.
    const filled = (
      await algos.start({
        kind: 'iceberg',
        instrumentToken: token,
        side: 'BUY',
        quantity: 6,
        product: 'MIS',
        price: await through(),
        legQuantity: 3,
      })
    ).algo;
    started.push(filled);
    const filledRow = page.locator(`[data-testid="algo-row"][data-algo-id="${filled.algoId}"]`);
    await expect(filledRow.getByTestId('algo-status')).toHaveText('COMPLETED', { timeout: 20_000 });
    await expect(filledRow.locator('[data-field="quantity"]')).toHaveText('6/6');
    const filledLegs = page.locator(`[data-testid="algo-child-row"][data-parent-id="${filled.algoId}"]`);
    await expect(filledLegs).toHaveCount(2);
    await expect(filledLegs.nth(1).locator('[data-field="role"]')).toHaveText('└ leg 2');
    await expect(filledLegs.nth(0).getByTestId('algo-child-state')).toHaveText('COMPLETE');

    // A bracket whose entry fills at once: its target and stop work, sized to the fill.
    const bracket = (
      await algos.start({
        kind: 'bracket',
        instrumentToken: token,
        side: 'BUY',
        quantity: 2,
        product: 'MIS',
        entry: { orderType: 'LIMIT', price: await through() },
        target: { ticks: 400 },
        stop: { ticks: 400 },
      })
    ).algo;
    started.push(bracket);
    const bracketRow = page.locator(`[data-testid="algo-row"][data-algo-id="${bracket.algoId}"]`);
    const stopButton = bracketRow.getByTestId('algo-stop-modify');
    await expect(stopButton).toBeAttached({ timeout: 20_000 });
    await expect(bracketRow.locator('[data-field="target"]')).toHaveText(/^\d+\.\d{2}$/);
    const exits = page.locator(`[data-testid="algo-child-row"][data-parent-id="${bracket.algoId}"]`);
    await expect(exits).toHaveCount(3);
    await expect(exits.locator('[data-field="role"]')).toHaveText(['└ entry', '└ target', '└ stop']);

    // An iceberg resting under the market: one leg of 3 shows, the rest wait.
    const resting = (
      await algos.start({
        kind: 'iceberg',
        instrumentToken: token,
        side: 'BUY',
        quantity: 9,
        product: 'MIS',
        price: await under(),
        legQuantity: 3,
      })
    ).algo;
    started.push(resting);
    const restingRow = page.locator(`[data-testid="algo-row"][data-algo-id="${resting.algoId}"]`);
    const restingLegs = page.locator(`[data-testid="algo-child-row"][data-parent-id="${resting.algoId}"]`);
    await expect(restingLegs).toHaveCount(1);
    await expect(restingLegs.first().getByTestId('algo-child-state')).toHaveText('OPEN');
    await expect(restingRow.getByTestId('algo-phase')).toContainText('leg 1');
    const legId = (await restingLegs.first().getAttribute('data-client-order-id')) ?? '';

    // The orders grid names the parent of each child.
    const legOrder = page.locator(`[data-testid="order-row"][data-client-order-id="${legId}"]`);
    await expect(legOrder.locator('[data-field="parent"]')).toHaveText(resting.algoId);
    await page
      .getByTestId('dock-panel-orders')
      .screenshot({ path: testInfo.outputPath('orders-parent.png') });

    // By keyboard: the orders panel (Ctrl+6, the sixth on screen), the next tab (the algos), into
    // its rows with Tab. Newest first: the resting iceberg's × comes first.
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('Control+6');
    await expect(page.getByTestId('dock-panel-orders')).toBeFocused();
    await page.keyboard.press('Alt+PageDown');
    await expect(page.getByTestId('dock-tab-algos')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('dock-panel-algos')).toBeFocused();
    await expect(page.getByTestId('algos')).toBeVisible();
    const shot = await page.screenshot({ path: 'test-results/algos-panel.png' });
    await testInfo.attach('algos-panel', { body: shot, contentType: 'image/png' });
    const panelShot = await page
      .getByTestId('dock-panel-algos')
      .screenshot({ path: testInfo.outputPath('algos-panel-alone.png') });
    await testInfo.attach('algos-panel-alone', { body: panelShot, contentType: 'image/png' });

    await page.keyboard.press('Tab');
    const restingCancel = restingRow.getByTestId('algo-cancel');
    await expect(restingCancel).toBeFocused();
    // Then the bracket's stop: Enter edits it, a tick down, Enter modifies; the focus comes back.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(stopButton).toBeFocused();
    const stopBefore = (await stopButton.textContent()) ?? '';
    await page.keyboard.press('Enter');
    const edit = bracketRow.getByTestId('algo-exit-input');
    await expect(edit).toBeFocused();
    await expect(edit).toHaveValue(stopBefore);
    await page.keyboard.press('ArrowDown');
    const stopAfter = ((Math.round(Number(stopBefore) * 100) - infy.tickSize) / 100).toFixed(2);
    await expect(edit).toHaveValue(stopAfter);
    await page.keyboard.press('Enter');
    await expect(stopButton).toHaveText(stopAfter);
    await expect(stopButton).toBeFocused();
    const stopOrder = exits.nth(2);
    await expect(stopOrder.locator('[data-field="stop"]')).toHaveText(stopAfter);

    // Back to the resting iceberg's ×, Enter: cancelled with its leg; the focus stays in the panel.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await expect(restingCancel).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(restingRow.getByTestId('algo-status')).toHaveText('CANCELLED');
    await expect(restingLegs.first().getByTestId('algo-child-state')).toHaveText('CANCELLED');
    await expect(restingRow.getByTestId('algo-cancel')).toHaveCount(0);
    await expect(page.getByTestId('dock-panel-algos')).toBeFocused();
    await expect(page.getByTestId('algos-notice')).toHaveText('');

    // The bracket by keyboard too: Tab reaches its target first, then its stop, then its ×.
    await page.keyboard.press('Tab');
    await expect(bracketRow.getByTestId('algo-target-modify')).toBeFocused();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(bracketRow.getByTestId('algo-cancel')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(bracketRow.getByTestId('algo-status')).toHaveText('CANCELLED');
    await expect(page.getByTestId('algos-count')).toContainText('0 working');

    const after = await page.screenshot({ path: testInfo.outputPath('algos-panel-after.png') });
    await testInfo.attach('algos-panel-after', { body: after, contentType: 'image/png' });
    // The layout is kept in the engine's settings, shared by the specs after this one: the Orders
    // tab in front again, as the Default layout has it.
    await page.getByTestId('dock-tab-orders').click();
    await expect(page.getByTestId('orders-count')).toBeVisible();
  } finally {
    // Leave the engine as found for the specs after this one: nothing working, flat on INFY MIS.
    for (const a of started) await algos.cancel({ algoId: a.algoId }).catch(() => undefined);
    const infy = (await market.lookup({ keys: ['NSE:INFY'] })).instruments[0];
    if (infy !== undefined) {
      await orders.exit({ instrumentToken: infy.instrumentToken, product: 'MIS' }).catch(() => undefined);
    }
    client.dispose();
  }
  expect(problems()).toEqual([]);
});
