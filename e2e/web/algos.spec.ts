import type { Locator, Page } from '@playwright/test';
import type { InstrumentInfo } from '../../shared/services/market';
import { expect, openTerminal, setConfirmOrders, test, watchProblems } from './fixtures';
import { cleanUp, select, withEngine } from './engine';

// Issue 8's brackets and icebergs in web mode against the local exchange: a bracket from the order
// ticket (its entry fills, its target and stop follow as orders of its own), a bracket from the
// ladder's Bracket chip (its entry rests; a click on it cancels the bracket), and an iceberg the
// ticket proposes for a quantity above the exchange's freeze quantity. ICICIBANK and a NIFTY
// option: symbols no other spec trades.

const PRICE = /^\d+\.\d{2}$/;

function orderRow(page: Page, clientOrderId: string): Locator {
  return page.locator(`[data-testid="order-row"][data-client-order-id="${clientOrderId}"]`);
}

test('a bracket from the ticket: its entry fills, a target and a stop of its own follow; cancelled, it leaves the position', async ({
  page,
  web,
}, testInfo) => {
  test.setTimeout(90_000);
  const problems = await watchProblems(page);
  await page.goto(web.url);
  await openTerminal(page);
  await select(page, 'ICICIBANK');
  const ticket = page.getByTestId('ticket');
  await ticket.getByTestId('ticket-kind').locator('[data-value="bracket"]').click();
  await ticket.getByTestId('ticket-type').locator('[data-value="MARKET"]').click();
  await ticket.getByTestId('ticket-product').locator('[data-value="MIS"]').click();
  await ticket.getByTestId('ticket-quantity').fill('2');
  // Far enough that neither exit fills while the test looks: 200 ticks (Rs 10) either side.
  await ticket.getByTestId('ticket-target').fill('200');
  await ticket.getByTestId('ticket-stop').fill('200');
  await expect(ticket.getByTestId('ticket-submit')).toHaveText('BUY 2 ICICIBANK · Bracket');
  await ticket.getByTestId('ticket-quantity').press('Enter');

  const started = page.locator('[data-testid="ticket-outcome"][data-kind="started"]');
  await expect(started).toContainText('Bracket BUY 2 ICICIBANK');
  const algoId = (await started.getAttribute('data-algo-id')) ?? '';
  expect(algoId).not.toBe('');
  // The entry fills; the target and the stop rest as orders whose parent is the bracket.
  await expect(started).toContainText(/2 open, exits working \(target [\d,]+\.\d{2}, stop [\d,]+\.\d{2}\)/, {
    timeout: 15_000,
  });
  const view = await withEngine(web.rpc, async ({ algos }) =>
    (await algos.list()).algos.find((a) => a.algoId === algoId),
  );
  expect(view?.children).toHaveLength(3);
  expect((view?.targetPrice ?? 0) - (view?.stopPrice ?? 0)).toBe(400 * 5);
  const [entry, targetId, stopId] = view?.children ?? [];
  await expect(orderRow(page, entry ?? '').getByTestId('order-state')).toHaveText('COMPLETE');
  await expect(orderRow(page, targetId ?? '').getByTestId('order-state')).toHaveText('OPEN');
  await expect(orderRow(page, stopId ?? '').getByTestId('order-state')).toHaveText('TRIGGER PENDING');
  await page.screenshot({ path: testInfo.outputPath('bracket-ticket.png') });

  // Cancelled: both exits go, the bracket ends, the position of 2 stays for the trader to exit.
  await withEngine(web.rpc, ({ algos }) => algos.cancel({ algoId }));
  await expect(started).toHaveAttribute('data-status', 'CANCELLED', { timeout: 10_000 });
  await expect(orderRow(page, targetId ?? '').getByTestId('order-state')).toHaveText('CANCELLED');
  await expect(orderRow(page, stopId ?? '').getByTestId('order-state')).toHaveText('CANCELLED');
  await cleanUp(web.rpc, view?.instrumentToken ?? 0);
  expect(problems()).toEqual([]);
});

test('a bracket from the ladder: the Bracket chip sends a click as its entry; a click on that order cancels the bracket', async ({
  page,
  web,
}, testInfo) => {
  test.setTimeout(90_000);
  const problems = await watchProblems(page);
  await page.goto(web.url);
  await openTerminal(page);
  await setConfirmOrders(page, false);
  await select(page, 'ICICIBANK');
  const ladder = page.getByTestId('ladder');
  const ladderTab = page.getByRole('tab', { name: 'Ladder', exact: true });
  if (!(await ladder.isVisible()) && (await ladderTab.count()) > 0) await ladderTab.click();
  await expect(page.getByTestId('ladder-ltp')).toHaveText(PRICE, { timeout: 10_000 });
  await ladder.getByTestId('ladder-product-MIS').click();
  await ladder.getByTestId('ladder-bracket').click();
  await expect(ladder.getByTestId('ladder-bracket')).toHaveAttribute('aria-pressed', 'true');
  await ladder.getByTestId('ladder-bracket-target').fill('30');
  await ladder.getByTestId('ladder-bracket-stop').fill('15');

  // The bid cell five rows under the last price: a buy limit that rests.
  await ladder.getByTestId('ladder-recentre').click();
  const rows = ladder.locator('[data-testid="ladder-row"]');
  const at = await rows.evaluateAll((all) =>
    all.findIndex((r) => ((r as HTMLElement).dataset['last'] ?? '') !== ''),
  );
  // Found again by its price as the ladder repaints (it recentres as the market moves).
  const priceText = (await rows.nth(at + 5).getAttribute('data-price-text')) ?? '';
  const row = ladder.locator(`[data-testid="ladder-row"][data-price-text="${priceText}"]`);
  const price = (await row.getAttribute('data-price')) ?? '';
  await row.locator('[data-field="bid"]').click();
  await expect(ladder.getByTestId('ladder-message')).toContainText(/^Sent bracket BUY 1 ICICIBANK/, {
    timeout: 10_000,
  });
  const algo = await withEngine(web.rpc, async ({ algos }) => {
    await expect
      .poll(async () =>
        (await algos.list()).algos.find((a) => a.status === 'WORKING' && a.kind === 'bracket'),
      )
      .toBeDefined();
    return (await algos.list()).algos.find((a) => a.status === 'WORKING' && a.kind === 'bracket');
  });
  expect(algo?.spec).toMatchObject({
    entry: { orderType: 'LIMIT', price: Number(price) },
    target: { ticks: 30 },
    stop: { ticks: 15 },
  });
  const entryId = algo?.children[0] ?? '';
  await expect(orderRow(page, entryId).getByTestId('order-state')).toHaveText('OPEN', { timeout: 10_000 });
  // The entry shows on its row of the ladder, beside the bid.
  await expect(row.locator('[data-field="buy-orders"]')).toHaveText('1');
  await page.screenshot({ path: testInfo.outputPath('bracket-ladder.png') });

  // A click on it cancels the bracket (not just the order): the bracket ends as cancelled by the trader.
  await row.locator('[data-field="buy-orders"]').click();
  await expect(orderRow(page, entryId).getByTestId('order-state')).toHaveText('CANCELLED', {
    timeout: 10_000,
  });
  const ended = await withEngine(web.rpc, async ({ algos }) =>
    (await algos.list()).algos.find((a) => a.algoId === algo?.algoId),
  );
  expect(ended).toMatchObject({ status: 'CANCELLED', reason: 'cancelled by the trader' });
  // Back as the specs after this one expect it (settings live in the shared engine).
  await ladder.getByTestId('ladder-bracket').click();
  await setConfirmOrders(page, true);
  expect(problems()).toEqual([]);
});

test('a quantity above the freeze quantity is offered as an iceberg, which works one leg at a time', async ({
  page,
  web,
}, testInfo) => {
  test.setTimeout(150_000);
  const problems = await watchProblems(page);
  // The terminal first: it is open once the engine has its session (and so its instruments).
  await page.goto(web.url);
  await openTerminal(page);
  // A far out-of-the-money NIFTY call: cheap enough that 30 lots stay inside the default risk limits.
  const option = await withEngine(web.rpc, async ({ market }) => {
    const calls = (await market.search({ query: 'NIFTY', instrumentType: 'CE', limit: 100 })).instruments;
    const chain = calls.filter((c) => c.name === 'NIFTY' && c.freezeQuantity !== null);
    const expiry = chain.map((c) => c.expiry).sort()[0];
    return chain.filter((c) => c.expiry === expiry).sort((a, b) => b.strike - a.strike)[0] as InstrumentInfo;
  });
  expect(option).toBeDefined();
  const freeze = option.freezeQuantity ?? 0;
  const lots = Math.floor(freeze / option.lotSize) + 6;
  await page.keyboard.press('/');
  await page.keyboard.type(option.tradingsymbol);
  await expect(page.getByTestId('search-result').first()).toHaveAttribute(
    'data-symbol',
    option.tradingsymbol,
  );
  await page.keyboard.press('Enter');
  const ticket = page.getByTestId('ticket');
  await expect(page.getByTestId('ticket-symbol')).toHaveText(`NFO:${option.tradingsymbol}`);
  await expect(page.getByTestId('ticket-ltp')).toHaveText(PRICE, { timeout: 15_000 });
  await expect(ticket.getByTestId('ticket-submit')).toBeEnabled({ timeout: 20_000 });
  await ticket.getByTestId('ticket-product').locator('[data-value="MIS"]').click();
  await ticket.getByTestId('ticket-quantity').fill(String(lots));

  // Above the freeze quantity: the ticket offers an iceberg with legs of at most it.
  const legs = Math.ceil((lots * option.lotSize) / freeze);
  const proposal = ticket.getByTestId('ticket-iceberg-proposal');
  await expect(proposal).toHaveText(`Iceberg ×${legs} · >${freeze}`);
  await expect(proposal).toHaveAttribute('title', new RegExp(`at most ${freeze} in one order`));
  await page.screenshot({ path: testInfo.outputPath('iceberg-proposal.png') });
  await proposal.click();
  await expect(ticket.getByTestId('ticket-kind').locator('[aria-checked="true"]')).toHaveAttribute(
    'data-value',
    'iceberg',
  );
  await expect(ticket.getByTestId('ticket-legs')).toHaveValue(String(legs));
  // A limit a little through the best offer (the watchlist's ask), so each leg fills as it goes in.
  // The local exchange's far option may not have traded yet (its last price the previous close, far
  // from its book): wait until it has, so the limit is inside the fat-finger band of the last price.
  const quote = page.locator(`tr.wl-row[data-symbol="${option.tradingsymbol}"]`);
  const read = async (field: string) =>
    Number((await quote.locator(`[data-field="${field}"]`).textContent()) ?? '0');
  await expect
    .poll(
      async () => {
        const [last, best] = [await read('ltp'), await read('ask')];
        return last > 0 && best > 0 && Math.abs(best - last) / last < 0.02;
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  const [offer, last] = [await read('ask'), await read('ltp')];
  const tick = option.tickSize / option.priceDivisor;
  // 3% or 4 ticks through the offer, whichever is more (on a ₹1.25 option 3% is under a tick and
  // the book moves by ticks), kept a tick inside the fat-finger band: the wider of 5% and 5 ticks
  // from the last price (the default risk limits).
  const ticks = Math.min(
    Math.round(offer / tick) + Math.max(Math.ceil((offer * 0.03) / tick), 4),
    Math.round(last / tick) + Math.max(Math.floor((last * 0.05) / tick), 5) - 1,
  );
  await ticket.getByTestId('ticket-price').fill((ticks * tick).toFixed(2));
  await ticket.getByTestId('ticket-price').press('Enter');

  const started = page.locator('[data-testid="ticket-outcome"][data-kind="started"]');
  await expect(started).toContainText(`Iceberg BUY ${lots * option.lotSize} ${option.tradingsymbol}`);
  await expect(started).toHaveAttribute('data-status', 'COMPLETED', { timeout: 30_000 });
  const startedId = (await started.getAttribute('data-algo-id')) ?? '';
  const done = await withEngine(web.rpc, async ({ algos, orders }) => {
    const a = (await algos.list()).algos.find((x) => x.algoId === startedId);
    const kids = (await orders.list()).orders.filter((o) => o.parentId === startedId);
    return { a, kids };
  });
  expect(done.a?.filledQuantity).toBe(lots * option.lotSize);
  expect(done.kids).toHaveLength(legs);
  expect(done.kids.every((k) => k.quantity <= freeze)).toBe(true);
  await page.screenshot({ path: testInfo.outputPath('iceberg-done.png') });
  await cleanUp(web.rpc, option.instrumentToken);
  expect(problems()).toEqual([]);
});
