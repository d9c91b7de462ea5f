import type { Page } from '@playwright/test';
import { WebSocket } from 'ws';
import { RpcClient, toService } from '../../shared/rpc/client';
import { openWebSocketPort } from '../../shared/rpc/transports/webSocket';
import { settingsService } from '../../shared/services/settings';
import type { Settings, SettingsPatch } from '../../shared/services/settings';
import { startWebMode } from '../webMode';
import type { WebMode } from '../webMode';
import { expect, test, watchProblems } from './fixtures';

// The docking layout in web mode: every panel in the Default layout, a splitter dragged and kept
// in settings across a reload, the presets, focus by keyboard with its ring, a panel popped out into
// a tab of its own with live data, and the light theme.

// Written out rather than imported from renderer/features/layout/presets.ts: the spec checks the
// app against this list, so a panel dropped from the presets fails it.
const PANELS = [
  'watchlist',
  'chart',
  'depth',
  'ticket',
  'orders',
  'positions',
  'engine',
  'ladder',
  'trades',
  'holdings',
  'pnl',
  'risk',
  'strategies',
  'algos',
  'log',
];
/** What the Default layout shows (the rest are tabs behind them). */
const DEFAULT_SHOWN = ['watchlist', 'engine', 'chart', 'depth', 'ticket', 'orders', 'positions'];

async function withSettings<T>(rpc: string, use: (s: ReturnType<typeof service>) => Promise<T>): Promise<T> {
  const client = new RpcClient(await openWebSocketPort(new WebSocket(rpc)));
  try {
    return await use(service(client));
  } finally {
    client.dispose();
  }
}
const service = (client: RpcClient) => toService(client, settingsService);
const readSettings = (rpc: string): Promise<Settings> => withSettings(rpc, (s) => s.get());
const writeSettings = (rpc: string, patch: SettingsPatch): Promise<Settings> =>
  withSettings(rpc, (s) => s.set(patch));

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('engine-status')).toHaveText('Connected');
  await expect(page.getByTestId('session-status')).toContainText('feed open', { timeout: 20_000 });
}

const box = async (page: Page, id: string) => {
  const b = await page.getByTestId(`dock-panel-${id}`).boundingBox();
  if (b === null) throw new Error(`${id} is not on screen`);
  return b;
};

test.describe('the docking layout', () => {
  // The engine (and its settings) lives as long as the worker: start each test from the Default
  // layout whatever an earlier spec left, and leave it so for the next.
  const reset = async ({ web }: { web: WebMode }) => {
    await writeSettings(web.rpc, { layouts: { active: 'default', saved: {} }, theme: 'dark' });
  };
  test.beforeEach(reset);
  test.afterEach(reset);

  test('the Default layout has every panel: the main ones in view, the rest a tab away', async ({
    page,
    web,
  }, testInfo) => {
    const problems = await watchProblems(page);
    await open(page, web.url);
    for (const id of DEFAULT_SHOWN) await expect(page.getByTestId(`dock-panel-${id}`), id).toBeVisible();
    for (const id of ['watchlist', 'chart', 'depth', 'ticket', 'orders', 'positions']) {
      await expect(page.getByTestId(id), id).toBeVisible();
    }
    await expect(page.locator('tr.wl-row').first()).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('layout-preset')).toHaveValue('default');
    // Ticks never move a panel: the boxes are the same after a few seconds of prices.
    const boxes = async () => Promise.all(DEFAULT_SHOWN.map((id) => box(page, id)));
    const before = await boxes();
    await page.waitForTimeout(3000);
    expect(await boxes()).toEqual(before);
    const shot = await page.screenshot({ path: testInfo.outputPath('layout-default.png') });
    await testInfo.attach('default', { body: shot, contentType: 'image/png' });

    // Every other panel is a tab: clicking it shows it in its stack, in place of the one there.
    for (const id of PANELS.filter((p) => !DEFAULT_SHOWN.includes(p))) {
      await page.getByTestId(`dock-tab-${id}`).click();
      await expect(page.getByTestId(`dock-tab-${id}`)).toHaveAttribute('aria-selected', 'true');
      await expect(page.getByTestId(`dock-panel-${id}`), id).toBeVisible();
    }
    await expect(page.getByTestId('strategies-empty')).toContainText('No strategies yet');
    await expect(page.getByTestId('ladder')).toBeVisible();
    // The risk panel reads the limits and what is used of them.
    await expect(page.getByTestId('risk-usage-orders-minute')).toContainText('of 400');
    await expect(page.getByTestId('risk-limit-maxOpenOrders')).toHaveValue(/^\d+$/);
    // The log has seen the engine connect and the session log in.
    await expect(page.getByTestId('log-entry').first()).toBeVisible();
    await expect(page.getByTestId('log')).toContainText('Engine connected');
    expect(problems()).toEqual([]);
  });

  test('a dragged splitter resizes its neighbours, and the sizes are kept in settings across a reload', async ({
    page,
    web,
    browser,
  }) => {
    const problems = await watchProblems(page);
    await open(page, web.url);
    const chartBefore = await box(page, 'chart');
    const depthBefore = await box(page, 'depth');
    const ordersBefore = await box(page, 'orders');
    const splitter = page.getByRole('separator', { name: 'Resize Chart and Depth' });
    const s = await splitter.boundingBox();
    if (s === null) throw new Error('no splitter');
    await page.mouse.move(s.x + s.width / 2, s.y + s.height / 2);
    await page.mouse.down();
    for (let dx = 10; dx <= 150; dx += 10) await page.mouse.move(s.x + s.width / 2 - dx, s.y + s.height / 2);
    await page.mouse.up();
    const chartAfter = await box(page, 'chart');
    const depthAfter = await box(page, 'depth');
    expect(chartAfter.width).toBeCloseTo(chartBefore.width - 150, -1);
    expect(depthAfter.width).toBeCloseTo(depthBefore.width + 150, -1);
    // Its neighbours on the other axis did not move.
    expect(await box(page, 'orders')).toEqual(ordersBefore);

    // The keyboard moves it too: a focused splitter steps with the arrow keys.
    await splitter.focus();
    const before = Number(await splitter.getAttribute('aria-valuenow'));
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(async () => Number(await splitter.getAttribute('aria-valuenow')))
      .toBeGreaterThan(before);
    const kept = await box(page, 'chart');

    // Saved (debounced) in the profile's settings...
    await expect
      .poll(async () => Object.keys((await readSettings(web.rpc)).layouts.saved), { timeout: 5000 })
      .toContain('default');
    await expect.poll(async () => (await box(page, 'chart')).width).toBeCloseTo(kept.width, 0);
    // ...so a reload, and a fresh browser profile with nothing in its storage, show the same sizes.
    await page.waitForTimeout(700);
    await page.reload();
    await expect(page.getByTestId('engine-status')).toHaveText('Connected');
    await expect.poll(async () => (await box(page, 'chart')).width).toBeCloseTo(kept.width, 0);
    const fresh = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const other = await fresh.newPage();
    await other.goto(web.url);
    await expect(other.getByTestId('engine-status')).toHaveText('Connected');
    await expect.poll(async () => (await box(other, 'chart')).width).toBeCloseTo(kept.width, 0);
    await expect(other.getByTestId('layout-preset')).toContainText('Default (changed)');
    // Reset brings the preset's own sizes back.
    await other.getByTestId('layout-reset').click();
    await expect.poll(async () => (await box(other, 'chart')).width).toBeCloseTo(chartBefore.width, 0);
    await fresh.close();
    expect(problems()).toEqual([]);
  });

  test('switches to the Scalper and Charts presets from the top bar, and back', async ({
    page,
    web,
  }, testInfo) => {
    const problems = await watchProblems(page);
    await open(page, web.url);
    await page.getByTestId('layout-preset').selectOption('scalper');
    await expect(page.getByTestId('dock-panel-ladder')).toBeVisible();
    await expect(page.getByTestId('ladder')).toBeVisible();
    for (const id of ['watchlist', 'chart', 'depth', 'ticket', 'positions']) {
      await expect(page.getByTestId(`dock-panel-${id}`), id).toBeVisible();
    }
    // The ladder is the tallest panel, and the toasts' corner keeps clear of it.
    const ladder = await box(page, 'ladder');
    expect(ladder.height).toBeGreaterThan((await box(page, 'chart')).height);
    await expect(page.locator('.dock')).toHaveAttribute('data-toast-corner', 'bottom-right');
    await expect(page.locator('tr.wl-row').first()).toBeVisible({ timeout: 20_000 });
    await page.waitForTimeout(1500); // a few ticks into the ladder and the chart
    const shot = await page.screenshot({ path: testInfo.outputPath('layout-scalper.png') });
    await testInfo.attach('scalper', { body: shot, contentType: 'image/png' });
    await expect.poll(async () => (await readSettings(web.rpc)).layouts.active).toBe('scalper');

    await page.getByTestId('layout-preset').selectOption('charts');
    const chart = await box(page, 'chart');
    expect(chart.width * chart.height).toBeGreaterThan(0.45 * 1600 * 900);
    await page.getByTestId('layout-preset').selectOption('default');
    for (const id of DEFAULT_SHOWN) await expect(page.getByTestId(`dock-panel-${id}`), id).toBeVisible();
    expect(problems()).toEqual([]);
  });

  test('a tab dragged onto another stack joins it; dragged to a stack’s edge, it splits it', async ({
    page,
    web,
  }) => {
    const problems = await watchProblems(page);
    await open(page, web.url);
    const drag = async (tab: string, to: { x: number; y: number }) => {
      const from = await page.getByTestId(`dock-tab-${tab}`).boundingBox();
      if (from === null) throw new Error(`no tab ${tab}`);
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) {
        await page.mouse.move(
          from.x + from.width / 2 + ((to.x - from.x - from.width / 2) * i) / 10,
          from.y + from.height / 2 + ((to.y - from.y - from.height / 2) * i) / 10,
        );
      }
      await page.mouse.up();
    };
    // Trades onto the middle of the positions' box: a tab there, shown.
    const positions = await box(page, 'positions');
    await drag('trades', { x: positions.x + positions.width / 2, y: positions.y + positions.height / 2 });
    await expect(page.locator('[data-testid="dock-stack"][data-panels~="positions"]')).toHaveAttribute(
      'data-panels',
      'positions pnl holdings strategies trades',
    );
    await expect(page.getByTestId('dock-panel-trades')).toBeVisible();
    // The Log onto the left edge of the chart: a stack of its own beside it.
    const chart = await box(page, 'chart');
    await drag('log', { x: chart.x + 12, y: chart.y + chart.height / 2 });
    await expect(page.locator('[data-testid="dock-stack"][data-panels="log"]')).toHaveCount(1);
    await expect(page.getByTestId('dock-panel-log')).toBeVisible();
    const log = await box(page, 'log');
    expect(log.x + log.width).toBeLessThan((await box(page, 'chart')).x);
    // Closed with its ×, and back from the top bar's list.
    await page.getByTestId('dock-close-log').click();
    await expect(page.getByTestId('dock-panel-log')).toHaveCount(0);
    await page.getByTestId('layout-add-panel').selectOption('log');
    await expect(page.getByTestId('dock-panel-log')).toBeVisible();
    await expect(page.getByTestId('dock-panel-log')).toBeFocused();
    expect(problems()).toEqual([]);
  });

  test('every panel is reachable by keyboard, and the focused one wears a ring', async ({ page, web }) => {
    const problems = await watchProblems(page);
    await open(page, web.url);
    const ring = (id: string) =>
      page.getByTestId(`dock-panel-${id}`).evaluate((el) => {
        const css = getComputedStyle(el);
        return {
          within: el.matches(':focus-within'),
          style: css.outlineStyle,
          width: css.outlineWidth,
        };
      });
    // Ctrl+N: the Nth panel on screen (left to right, top to bottom): 3 is the chart.
    await page.locator('body').click({ position: { x: 800, y: 15 } });
    await page.keyboard.press('Control+3');
    await expect.poll(() => ring('chart')).toEqual({ within: true, style: 'solid', width: '2px' });
    // F6 goes on to the next, Shift+F6 back.
    await page.keyboard.press('F6');
    await expect.poll(async () => (await ring('depth')).within).toBe(true);
    await page.keyboard.press('Shift+F6');
    await page.keyboard.press('Shift+F6');
    await expect.poll(async () => (await ring('engine')).within).toBe(true);
    // Ctrl+1 lands in the watchlist's grid, where the arrow keys move the selection.
    await page.keyboard.press('Control+1');
    await expect(page.locator('#watchlist-grid')).toBeFocused();
    // Ctrl+5 is the ticket: its quantity, ready to type.
    await page.keyboard.press('Control+5');
    await expect(page.getByTestId('ticket-quantity')).toBeFocused();
    // Ctrl+Tab shows the next tab of the focused panel's stack (the chart's: the ladder).
    await page.keyboard.press('Control+3');
    await page.keyboard.press('Control+Tab');
    await expect(page.getByTestId('dock-panel-ladder')).toBeVisible();
    await expect.poll(async () => (await ring('ladder')).within).toBe(true);
    await page.keyboard.press('Control+Shift+Tab');
    await expect(page.getByTestId('dock-panel-chart')).toBeVisible();
    // A tab strip: arrow keys switch tabs.
    await page.getByTestId('dock-tab-positions').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('dock-tab-pnl')).toBeFocused();
    await expect(page.getByTestId('dock-panel-pnl')).toBeVisible();
    await expect(page.getByTestId('pnl-net')).toHaveText(/\d\.\d{2}$/);
    // The window's commands are in the hotkey registry: its help lists them, where they can be rebound.
    await page.locator('body').click({ position: { x: 800, y: 15 } });
    await page.keyboard.press('Shift+F1');
    const help = page.getByTestId('hotkey-help');
    await expect(help).toBeVisible();
    await expect(help.locator('[data-command-id="layout.nextPanel"]')).toContainText('F6');
    await expect(help.locator('[data-command-id="layout.focusPanel1"]')).toContainText('Ctrl+1');
    await page.getByTestId('hotkey-help-close').click();
    expect(problems()).toEqual([]);
  });

  test('pops a panel out into a tab of its own, with live data and the auth token carried', async ({
    page,
    web,
  }, testInfo) => {
    const problems = await watchProblems(page);
    await open(page, web.url);
    await page.locator('tr.wl-row[data-symbol="INFY"]').click();
    await expect(page.getByTestId('chart-symbol')).toHaveText('NSE:INFY');

    const [chartTab] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByTestId('dock-popout-chart').click(),
    ]);
    await expect(chartTab.getByTestId('popout')).toHaveAttribute('data-panel', 'chart');
    await expect(chartTab.getByTestId('engine-status')).toHaveText('Connected');
    await expect(chartTab.getByTestId('chart-symbol')).toHaveText('NSE:INFY');
    // The token left the address bar (the new tab keeps it in its own sessionStorage).
    expect(chartTab.url()).not.toContain('token=');
    expect(chartTab.url()).toContain('panel=chart');
    const canvas = chartTab.getByTestId('chart-canvas');
    await expect
      .poll(async () => Number(await canvas.getAttribute('data-candles')), { timeout: 20_000 })
      .toBeGreaterThan(10);
    await expect
      .poll(async () => Number(await canvas.getAttribute('data-live-bars')), { timeout: 20_000 })
      .toBeGreaterThan(0);
    // The popped-out chart fills its window.
    const size = await chartTab.getByTestId('chart').boundingBox();
    expect(size?.width ?? 0).toBeGreaterThan(600);
    const shot = await chartTab.screenshot({ path: testInfo.outputPath('popout-chart.png') });
    await testInfo.attach('popout-chart', { body: shot, contentType: 'image/png' });

    // The ladder too (a tab behind the chart in Default).
    await page.getByTestId('dock-tab-ladder').click();
    const [ladderTab] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByTestId('dock-popout-ladder').click(),
    ]);
    await expect(ladderTab.getByTestId('popout')).toHaveAttribute('data-panel', 'ladder');
    await expect(ladderTab.getByTestId('ladder')).toBeVisible();
    await expect(ladderTab.getByTestId('ladder')).toContainText('INFY');
    await expect(ladderTab.getByTestId('engine-status')).toHaveText('Connected');
    // A reload of the pop-out keeps working (its token is in its own sessionStorage now).
    await ladderTab.reload();
    await expect(ladderTab.getByTestId('engine-status')).toHaveText('Connected');
    await expect(ladderTab.getByTestId('ladder')).toContainText('INFY');
    await ladderTab.close();
    await chartTab.close();
    expect(problems()).toEqual([]);
  });

  test('the light theme reaches the layout’s chrome and is kept in settings', async ({
    page,
    web,
  }, testInfo) => {
    const problems = await watchProblems(page);
    await open(page, web.url);
    const bg = () =>
      page
        .getByTestId('dock-panel-orders')
        .evaluate((el) => getComputedStyle(el.firstElementChild ?? el).backgroundColor);
    const dark = await bg();
    await page.getByTestId('theme-toggle').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await expect.poll(bg).not.toBe(dark);
    await expect.poll(async () => (await readSettings(web.rpc)).theme).toBe('light');
    const shot = await page.screenshot({ path: testInfo.outputPath('layout-light.png') });
    await testInfo.attach('light', { body: shot, contentType: 'image/png' });
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await page.getByTestId('theme-toggle').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(problems()).toEqual([]);
  });
});

// Fills change the engine's book for the rest of the worker (the orders spec counts its rows), so
// these run against a web mode of their own.
test.describe('fills and the new panels', () => {
  let own: WebMode | undefined;
  test.beforeAll(async () => {
    own = await startWebMode();
  });
  test.afterAll(async () => {
    await own?.stop();
  });

  test('a fill shows as a toast clear of the ladder, in the trades, the log and the P&L', async ({
    page,
  }, testInfo) => {
    if (own === undefined) throw new Error('no web mode');
    const problems = await watchProblems(page);
    await open(page, own.url);
    await page.locator('tr.wl-row[data-symbol="INFY"]').click();
    await expect(page.getByTestId('ticket-ltp')).toHaveText(/^\d+\.\d{2}$/, { timeout: 10_000 });
    await expect(page.getByTestId('ticket-submit')).toBeEnabled({ timeout: 20_000 });
    await page.getByTestId('ticket-type').locator('[data-value="MARKET"]').click();
    await page.getByTestId('ticket-submit').click();

    const toast = page.locator('[data-testid="toast"][data-kind="fill"]');
    await expect(toast).toContainText(/^Bought 1 INFY @ \d+\.\d{2}/);
    // Bottom right, above the status bar, and not over the ladder (a tab behind the chart here).
    const t = await toast.boundingBox();
    const bar = await page.locator('.statusbar').boundingBox();
    expect((t?.y ?? 0) + (t?.height ?? 0)).toBeLessThanOrEqual(bar?.y ?? 0);
    expect((t?.x ?? 0) + (t?.width ?? 0)).toBeGreaterThan(1400);
    const shot = await page.screenshot({ path: testInfo.outputPath('fill-toast.png') });
    await testInfo.attach('fill-toast', { body: shot, contentType: 'image/png' });
    // It goes by itself.
    await expect(toast).toHaveCount(0, { timeout: 8000 });

    await page.getByTestId('dock-tab-trades').click();
    await expect(page.locator('[data-testid="trade-row"][data-symbol="INFY"]')).toHaveCount(1);
    await expect(page.getByTestId('trades-totals')).toContainText('1 fills · bought 1 · sold 0');
    await page.getByTestId('dock-tab-log').click();
    await expect(page.getByTestId('log')).toContainText(/Filled BUY 1 INFY @ \d+\.\d{2}/);
    await expect(page.getByTestId('log')).toContainText('Placed BUY 1 INFY MARKET at market');
    await page.getByTestId('dock-tab-pnl').click();
    await expect(page.getByTestId('pnl-charges')).toHaveText(/^\d+\.\d{2}$/);
    await expect
      .poll(async () => Number(await page.getByTestId('pnl-curve').getAttribute('data-points')), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    await expect(page.getByTestId('pnl-curve').locator('canvas').first()).toBeVisible();

    // The Scalper layout: the ladder tall on the left, toasts still bottom right, clear of it.
    await page.getByTestId('layout-preset').selectOption('scalper');
    await page.getByTestId('dock-tab-positions').click();
    await page
      .locator('[data-testid="position-row"][data-symbol="INFY"]')
      .getByTestId('position-exit')
      .click();
    const sold = page.locator('[data-testid="toast"][data-kind="fill"]');
    await expect(sold).toContainText(/^Sold 1 INFY/);
    const ladder = await page.getByTestId('dock-panel-ladder').boundingBox();
    const s = await sold.boundingBox();
    expect(s?.x ?? 0).toBeGreaterThan((ladder?.x ?? 0) + (ladder?.width ?? 0));
    expect(problems()).toEqual([]);
  });
});
