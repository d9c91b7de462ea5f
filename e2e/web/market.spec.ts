import type { Page } from '@playwright/test';
import { expect, test, watchProblems } from './fixtures';

// The first market-data UI against the whole product in web mode: the engine logs in to the local
// exchange, whose synthetic market trades by itself (at speed 1 here), so prices move on their own.

const PRICE = /^\d+\.\d{2}$/;

const row = (page: Page, symbol: string) => page.locator(`tr.wl-row[data-symbol="${symbol}"]`);

test('search INFY, add it, see its price tick, the chart with history and a live candle, and its depth', async ({
  page,
  web,
}, testInfo) => {
  // Waits on the random market's trades, up to 30 s for the first.
  test.setTimeout(120_000);
  const problems = await watchProblems(page);
  // A trader who emptied their watchlist: no first-start seed, INFY is added by search.
  await page.addInitScript(() => {
    window.localStorage.setItem('shrivenq.watchlist.v1', JSON.stringify({ instruments: [] }));
  });
  await page.goto(web.url);
  await expect(page.getByTestId('engine-status')).toHaveText('Connected');
  await expect(page.getByTestId('session-status')).toContainText('feed open', { timeout: 20_000 });
  await expect(page.locator('tr.wl-row')).toHaveCount(0);

  await page.keyboard.press('/');
  await expect(page.getByTestId('instrument-search-input')).toBeFocused();
  await page.keyboard.type('INFY');
  const first = page.getByTestId('search-result').first();
  await expect(first).toHaveAttribute('data-symbol', 'INFY');
  await expect(first).toHaveAttribute('data-exchange', 'NSE');
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');

  const infy = row(page, 'INFY');
  await expect(infy).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('instrument-search-input')).toHaveValue('');
  await expect(page.locator('#watchlist-grid')).toBeFocused();

  // Its price, then a tick: the LTP changes by itself (and flashes) within a few seconds.
  const ltp = infy.locator('[data-field="ltp"]');
  await expect(ltp).toHaveText(PRICE, { timeout: 10_000 });
  await expect(infy.locator('[data-field="bid"]')).toHaveText(PRICE);
  await expect(infy.locator('[data-field="ask"]')).toHaveText(PRICE);
  await expect(infy.locator('[data-field="changePercent"]')).toHaveText(/^([+-]\d+\.\d{2}|0\.00)%$/);
  // A quiet instrument can go 15 s without a trade on the local exchange's random market: wait
  // for the quote (a trade, or a new best bid) to move, up to 30 s.
  const bid = infy.locator('[data-field="bid"]');
  const before = { ltp: (await ltp.textContent()) ?? '', bid: (await bid.textContent()) ?? '' };
  await expect
    .poll(async () => (await ltp.textContent()) !== before.ltp || (await bid.textContent()) !== before.bid, {
      timeout: 30_000,
    })
    .toBe(true);
  // A move lights the LTP cell for 400 ms (too short to catch by polling): watched in the page.
  const flashed = await ltp.evaluate(
    (el) =>
      new Promise<string>((resolve) => {
        const look = (): void => {
          const f = el.getAttribute('data-flash');
          if (f !== null) {
            observer.disconnect();
            resolve(f);
          }
        };
        const observer = new MutationObserver(look);
        observer.observe(el, { attributes: true, attributeFilter: ['data-flash'] });
        look();
        setTimeout(() => {
          observer.disconnect();
          resolve('none within 30 s');
        }, 30_000);
      }),
  );
  expect(flashed).toMatch(/^(up|down)$/);
  await expect(ltp).not.toHaveAttribute('data-flash', /./, { timeout: 10_000 });

  // The chart: history backfilled, then live bars drawn through series.update().
  await expect(page.getByTestId('chart-symbol')).toHaveText('NSE:INFY');
  const canvas = page.getByTestId('chart-canvas');
  await expect
    .poll(async () => Number(await canvas.getAttribute('data-candles')), { timeout: 20_000 })
    .toBeGreaterThan(10);
  await expect
    .poll(async () => Number(await canvas.getAttribute('data-live-bars')), { timeout: 15_000 })
    .toBeGreaterThan(0);
  expect(await canvas.locator('canvas').count()).toBeGreaterThan(0);
  await expect(page.getByTestId('chart-note')).toHaveText('');

  // Depth: five levels a side with prices, and totals.
  const depth = page.getByTestId('depth');
  await expect(depth.locator('[data-field="bid-price-0"]')).toHaveText(PRICE, { timeout: 10_000 });
  await expect(depth.locator('[data-field="ask-price-0"]')).toHaveText(PRICE);
  await expect(depth.locator('[data-field="total-bid"]')).toHaveText(/^[\d,]+$/);
  const bestBid = Number(await depth.locator('[data-field="bid-price-0"]').textContent());
  const bestAsk = Number(await depth.locator('[data-field="ask-price-0"]').textContent());
  expect(bestAsk).toBeGreaterThan(bestBid);
  await expect(page.getByTestId('quote-details').locator('[data-field="quote-open"]')).toHaveText(PRICE);

  // A second interval loads its own history.
  await page.getByTestId('chart-interval-5m').click();
  await expect(page.getByTestId('chart-interval-5m')).toHaveAttribute('aria-checked', 'true');
  await expect
    .poll(async () => Number(await canvas.getAttribute('data-candles')), { timeout: 20_000 })
    .toBeGreaterThan(10);

  const shot = await page.screenshot({ path: testInfo.outputPath('market.png') });
  await testInfo.attach('market', { body: shot, contentType: 'image/png' });
  expect(problems()).toEqual([]);
});

test('a first start shows liquid names with prices at once; rows are removed and reordered by key and kept', async ({
  page,
  web,
}) => {
  const problems = await watchProblems(page);
  await page.goto(web.url);
  const rows = page.locator('tr.wl-row');
  await expect(rows.first()).toHaveAttribute('data-symbol', 'NIFTY 50', { timeout: 20_000 });
  for (const symbol of ['NIFTY 50', 'RELIANCE', 'HDFCBANK', 'INFY']) {
    await expect(row(page, symbol).locator('[data-field="ltp"]')).toHaveText(PRICE, { timeout: 10_000 });
  }
  const symbols = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-symbol')));
  const seeded = await symbols();

  // Select RELIANCE (second row), move it up, then remove the row below it (NIFTY 50 after the move).
  await row(page, 'RELIANCE').click();
  await page.keyboard.press('Alt+ArrowUp');
  expect((await symbols()).slice(0, 2)).toEqual(['RELIANCE', 'NIFTY 50']);
  await page.keyboard.press('ArrowDown');
  await expect(row(page, 'NIFTY 50')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Delete');
  await expect(row(page, 'NIFTY 50')).toHaveCount(0);
  const edited = await symbols();
  expect(edited).toEqual(['RELIANCE', ...seeded.filter((s) => s !== 'RELIANCE' && s !== 'NIFTY 50')]);

  // Kept across a reload (no re-seed), the selection too.
  await page.reload();
  await expect(rows).toHaveCount(edited.length);
  expect(await symbols()).toEqual(edited);
  await expect(page.locator('tr.wl-row[aria-selected="true"]')).toHaveAttribute(
    'data-symbol',
    edited[1] ?? '',
  );
  expect(problems()).toEqual([]);
});
