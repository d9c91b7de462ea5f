import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { SupervisedProcessStatus } from '../../../shared/electronBridge';
import type { SystemInfo, SystemStatus } from '../../../shared/services/system';
import { ClockContext } from '../../features/clock';
import type { ClockState } from '../../features/clock';
import { EngineStoreContext, createEngineStore } from '../../features/engine';
import type { EngineStore } from '../../features/engine';
import { MarketDataContext } from '../../features/market';
import { fakeMarketData, instrument } from '../../features/market/fakeMarket';
import { ProcessStoreContext, createProcessStore } from '../../features/processes';
import type { ProcessStore } from '../../features/processes';
import { SessionStoreContext, createSessionStore } from '../../features/session';
import type { SessionStore } from '../../features/session';
import { WatchlistContext, createWatchlistStore, startWatchlistQuotes } from '../../features/watchlist';
import { OrdersContext, createOrdersStore, startOrders } from '../../features/orders';
import { fakeTrading } from '../../features/orders/fakeTrading';
import { AlgosContext, createAlgosStore, startAlgos } from '../../features/algos';
import { fakeAlgos } from '../../features/algos/fakeAlgos';
import { PositionsContext, createPositionsStore, startPositionsFeed } from '../../features/positions';
import { RiskContext, createRiskStore, startRisk } from '../../features/risk';
import { HoldingsContext, createHoldingsStore, startHoldings } from '../../features/holdings';
import { EventLogContext, createEventLog } from '../../features/log';
import { PnlCurveContext, startPnlCurve } from '../../features/pnl';
import { ToastsContext, createToasts } from '../../features/toasts';
import { TradesContext, createTradesStore, startTrades } from '../../features/trades';
import { createLayoutStore, presetNamed, visiblePanelIds } from '../../features/layout';
import type { LayoutStore } from '../../features/layout';
import { KNOWN_PANELS, PANELS } from './panels';
import { TerminalWindow } from './TerminalWindow';

// Server-rendered markup of the whole window for a given engine state: checks the names and texts
// the end-to-end tests rely on, and that engine values are marked stale when they are not live.

const info: SystemInfo = {
  name: 'ShrivenQ',
  version: '0.1.0',
  mode: 'live',
  startedAt: Date.parse('2026-11-24T03:30:00Z'),
  pid: 4242,
  node: 'v20.20.2',
  host: 'node-child',
};

const status: SystemStatus = {
  at: Date.parse('2026-11-24T03:45:07Z'),
  uptimeMs: 907_000,
  eventLoopLagP99Ms: 1.234,
  eventLoopLagMaxMs: 60,
  rssBytes: 191_264_768,
  heapUsedBytes: 20 * 1024 * 1024,
  connections: 2,
  health: 'degraded',
  healthReasons: ['event loop lag p99 60 ms'],
};

const infy = instrument(408065, 'INFY', { name: 'INFOSYS' });
const niftyFut = instrument(13238786, 'NIFTY26DECFUT', {
  exchange: 'NFO',
  instrumentType: 'FUT',
  segment: 'NFO-FUT',
  expiry: '2026-12-29',
  lotSize: 75,
});

function render(
  store: EngineStore,
  processes: ProcessStore = createProcessStore(),
  session: SessionStore = createSessionStore(),
  layout?: LayoutStore,
): string {
  const clock = createStore<ClockState>()(() => ({ nowMs: Date.parse('2026-11-24T03:45:07.250Z') }));
  const { data, link, frames } = fakeMarketData();
  const watchlistStore = createWatchlistStore({
    instruments: [infy, niftyFut],
    selectedToken: infy.instrumentToken,
  });
  const watchlist = { store: watchlistStore, quotes: startWatchlistQuotes(data, watchlistStore) };
  // The trading services from an in-memory fake (the engine does not serve them yet).
  const trading = fakeTrading([]);
  const orders = startOrders(trading.orders, link, createOrdersStore());
  const algos = startAlgos(fakeAlgos().service, link, createAlgosStore());
  const positions = startPositionsFeed(trading.portfolio, link, frames, createPositionsStore());
  const risk = startRisk(trading.risk, link, createRiskStore());
  const trades = startTrades(trading.orders, link, createTradesStore());
  const holdings = startHoldings(trading.portfolio, link, createHoldingsStore());
  const pnlCurve = startPnlCurve(positions, frames);
  const toasts = createToasts({ setTimeout: () => 0, clearTimeout: () => undefined });
  return renderToStaticMarkup(
    <EngineStoreContext value={store}>
      <ProcessStoreContext value={processes}>
        <ClockContext value={clock}>
          <MarketDataContext value={data}>
            <SessionStoreContext value={session}>
              <WatchlistContext value={watchlist}>
                <OrdersContext value={orders}>
                  <AlgosContext value={algos}>
                    <TradesContext value={trades}>
                      <PositionsContext value={positions}>
                        <HoldingsContext value={holdings}>
                          <PnlCurveContext value={pnlCurve}>
                            <RiskContext value={risk}>
                              <EventLogContext value={createEventLog()}>
                                <ToastsContext value={toasts}>
                                  <TerminalWindow {...(layout === undefined ? {} : { layout })} />
                                </ToastsContext>
                              </EventLogContext>
                            </RiskContext>
                          </PnlCurveContext>
                        </HoldingsContext>
                      </PositionsContext>
                    </TradesContext>
                  </AlgosContext>
                </OrdersContext>
              </WatchlistContext>
            </SessionStoreContext>
          </MarketDataContext>
        </ClockContext>
      </ProcessStoreContext>
    </EngineStoreContext>,
  );
}

/** True when the markup has an element with `data-testid=id`. */
function hasTestId(html: string, id: string): boolean {
  return html.includes(`data-testid="${id}"`);
}

/** The text and start-tag attributes of the element with `data-testid=id` (no DOM here). */
function byTestId(html: string, id: string): { text: string; attrs: string } {
  const open = new RegExp(`<(\\w+)([^>]*\\bdata-testid="${id}"[^>]*)>`).exec(html);
  if (open === null) throw new Error(`no element with data-testid="${id}"`);
  const [startTag, tag = '', attrs = ''] = open;
  const tags = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'g');
  tags.lastIndex = open.index + startTag.length;
  let depth = 1;
  for (let m = tags.exec(html); m !== null; m = tags.exec(html)) {
    depth += m[1] === '/' ? -1 : 1;
    if (depth === 0) {
      const inner = html.slice(open.index + startTag.length, m.index);
      return { text: inner.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&'), attrs };
    }
  }
  throw new Error(`unclosed <${tag}> for data-testid="${id}"`);
}

describe('terminal window', () => {
  it('shows a live engine: Connected, LIVE, lag, memory and the IST clock', () => {
    const store = createEngineStore({
      transport: 'webSocket',
      connection: { status: 'connected', attempt: 0, since: 0 },
      info,
      status,
      statusIsCurrent: true,
    });
    const html = render(store);
    expect(byTestId(html, 'engine-status').text).toBe('Connected');
    expect(byTestId(html, 'engine-mode').text).toBe('LIVE');
    expect(byTestId(html, 'engine-mode').attrs).toContain('data-mode="live"');
    expect(byTestId(html, 'event-loop-lag').text).toBe('lag 1.2 ms');
    expect(byTestId(html, 'event-loop-lag').attrs).toContain('data-stale="false"');
    expect(byTestId(html, 'engine-memory').text).toBe('mem 182.4 MiB');
    expect(byTestId(html, 'ist-clock').text).toBe('09:15:07 IST');
    expect(byTestId(html, 'ist-date').text).toBe('2026-11-24');
    expect(byTestId(html, 'engine-health').text).toBe('DEGRADED');
    expect(byTestId(html, 'engine-health-reasons').text).toBe('event loop lag p99 60 ms');
    expect(byTestId(html, 'engine-status-detail').text).toBe('');
    expect(byTestId(html, 'engine-freshness').text).toBe('');
  });

  it('shows a lost link: Reconnecting… with the attempt and error, and stale engine values', () => {
    const store = createEngineStore({
      transport: 'webSocket',
      connection: { status: 'reconnecting', attempt: 3, lastError: 'socket closed (1012)', since: 0 },
      info,
      status,
      statusIsCurrent: false,
    });
    const html = render(store);
    expect(byTestId(html, 'engine-status').text).toBe('Reconnecting…');
    expect(byTestId(html, 'engine-status-detail').text).toBe('attempt 3 · socket closed (1012)');
    for (const id of ['engine-mode', 'event-loop-lag', 'engine-memory', 'engine-health', 'mode-badge']) {
      expect(byTestId(html, id).attrs).toContain('data-stale="true"');
    }
    // The last values stay on screen (dimmed), rather than vanishing.
    expect(byTestId(html, 'event-loop-lag').text).toBe('lag 1.2 ms');
    expect(byTestId(html, 'engine-freshness').text).toBe('STALE');
  });

  it('shows Connecting… and dashes before the first connection', () => {
    const html = render(createEngineStore());
    expect(byTestId(html, 'engine-status').text).toBe('Connecting…');
    expect(byTestId(html, 'engine-mode').text).toBe('—');
    expect(byTestId(html, 'event-loop-lag').text).toBe('lag —');
  });
});

describe('status bar: supervised processes (the app)', () => {
  const connected = () =>
    createEngineStore({
      transport: 'messagePort',
      connection: { status: 'connected', attempt: 0, since: 0 },
      info,
      status,
      statusIsCurrent: true,
    });
  const since = Date.parse('2026-11-24T03:45:05Z');
  const running = (name: SupervisedProcessStatus['name']): SupervisedProcessStatus => ({
    name,
    state: 'running',
    restarts: 0,
    lastExitCode: null,
    restartDelayMs: null,
  });
  /** A store that starts with these statuses (server rendering reads a store's initial state). */
  function processes(...statuses: SupervisedProcessStatus[]): ProcessStore {
    const fed = createProcessStore({}, () => since);
    for (const s of statuses) fed.getState().statusReceived(s);
    return createProcessStore(fed.getState().byName);
  }

  it('shows nothing when no process is known (web mode) or all run and never crashed', () => {
    for (const store of [processes(), processes(running('engine'), running('exchange'))]) {
      const html = render(connected(), store);
      expect(hasTestId(html, 'process-engine')).toBe(false);
      expect(hasTestId(html, 'process-exchange')).toBe(false);
    }
  });

  it('warns while the engine waits to restart, with the backoff and the restarts so far', () => {
    const html = render(
      connected(),
      processes(
        { name: 'engine', state: 'restarting', restarts: 3, lastExitCode: 1, restartDelayMs: 400 },
        running('exchange'),
      ),
    );
    const item = byTestId(html, 'process-engine');
    expect(item.text).toBe('engine restarting in 0.4 s · 3 restarts');
    expect(item.attrs).toContain('data-level="warn"');
    expect(item.attrs).toContain('data-state="restarting"');
    expect(item.attrs).toContain('Last exit code: 1');
    expect(hasTestId(html, 'process-exchange')).toBe(false);
  });

  it('warns about a stopped exchange with its exit code', () => {
    const html = render(
      connected(),
      processes(running('engine'), {
        name: 'exchange',
        state: 'stopped',
        restarts: 0,
        lastExitCode: 1,
        restartDelayMs: null,
      }),
    );
    const item = byTestId(html, 'process-exchange');
    expect(item.text).toBe('exchange stopped (exit 1)');
    expect(item.attrs).toContain('data-level="warn"');
    expect(hasTestId(html, 'process-engine')).toBe(false);
  });

  it('keeps a quiet mark on a process that crashed earlier and runs again, the exit code in its title', () => {
    const html = render(
      connected(),
      processes({ ...running('engine'), restarts: 3, lastExitCode: 134 }, running('exchange')),
    );
    const item = byTestId(html, 'process-engine');
    expect(item.text).toBe('engine ↻3');
    expect(item.attrs).toContain('data-level="quiet"');
    expect(item.attrs).toMatch(/title="[^"]*Last exit code: 134/);
    expect(hasTestId(html, 'process-exchange')).toBe(false);
  });

  it('shows both when both are down, the engine first', () => {
    const html = render(
      connected(),
      processes(
        { name: 'exchange', state: 'restarting', restarts: 0, lastExitCode: 1, restartDelayMs: 200 },
        { name: 'engine', state: 'starting', restarts: 1, lastExitCode: 1, restartDelayMs: null },
      ),
    );
    expect(byTestId(html, 'process-engine').text).toBe('engine starting… · 1 restart');
    expect(byTestId(html, 'process-exchange').text).toBe('exchange restarting in 0.2 s');
    expect(html.indexOf('data-testid="process-engine"')).toBeLessThan(
      html.indexOf('data-testid="process-exchange"'),
    );
  });
});

describe('market panels', () => {
  const connected = () =>
    createEngineStore({
      transport: 'webSocket',
      connection: { status: 'connected', attempt: 0, since: 0 },
      info,
      status,
      statusIsCurrent: true,
    });

  it('lays out search, the watchlist rows with their contracts, the chart and depth of the selection', () => {
    const html = render(connected());
    expect(hasTestId(html, 'instrument-search-input')).toBe(true);
    expect(byTestId(html, 'watchlist').text).toContain('INFY');
    expect(byTestId(html, 'watchlist').text).toContain('NIFTY26DECFUT29 DEC 26 FUT');
    expect(html).toMatch(/<tr[^>]*data-token="408065"[^>]*aria-selected="true"/);
    expect(byTestId(html, 'chart-symbol').text).toBe('NSE:INFY');
    expect(byTestId(html, 'chart-interval-1m').attrs).toContain('aria-checked="true"');
    expect(byTestId(html, 'depth').text).toContain('INFY');
  });

  it('lays out the order ticket for the selection, the orders and positions grids, and the trading state', () => {
    const html = render(connected());
    expect(byTestId(html, 'ticket-symbol').text).toBe('NSE:INFY');
    expect(byTestId(html, 'ticket').attrs).toContain('data-side="BUY"');
    expect(byTestId(html, 'ticket-submit').text).toBe('BUY 1 INFY');
    expect(html).toMatch(/<input[^>]*data-testid="ticket-quantity"[^>]*value="1"/);
    expect(byTestId(html, 'ticket-product').text).toBe('CNCMISNRML');
    expect(html).toMatch(/<button[^>]*aria-checked="true"[^>]*data-value="LIMIT"/);
    expect(byTestId(html, 'orders').text).toContain('Waiting for the engine…');
    expect(byTestId(html, 'orders-cancel-all').attrs).toContain('disabled');
    expect(byTestId(html, 'positions').text).toContain('Day P&L');
    expect(hasTestId(html, 'kill-switch')).toBe(true);
  });

  it('shows the broker session and feed in the status bar', () => {
    const session = createSessionStore({
      mode: 'sim',
      venue: 'local-exchange',
      state: 'logged-in',
      userId: 'SIM001',
      userName: 'Sim Trader',
      loginUrl: '',
      message: '',
      instruments: 13,
      instrumentsDate: '2026-11-24',
      feed: { state: 'open', connections: 1, instruments: 4, attempt: 0, nextAttemptAt: 0, lastProblem: '' },
    });
    const item = byTestId(render(connected(), createProcessStore(), session), 'session-status');
    expect(item.text).toBe('Local exchange · SIM001 · feed open');
    expect(item.attrs).toContain('data-level="ok"');
    expect(byTestId(render(connected()), 'session-status').text).toBe('feed —');
  });
});

describe('the docking layout', () => {
  const connected = () =>
    createEngineStore({
      transport: 'webSocket',
      connection: { status: 'connected', attempt: 0, since: 0 },
      info,
      status,
      statusIsCurrent: true,
    });

  it('shows the Default layout: a tab and a box for every panel, the active tabs in view', () => {
    const html = render(connected());
    const tree = presetNamed('default')?.tree;
    if (tree === undefined) throw new Error('no default');
    const shown = new Set(visiblePanelIds(tree));
    for (const p of PANELS) {
      expect(byTestId(html, `dock-tab-${p.id}`).text, p.id).toBe(p.title);
      const box = byTestId(html, `dock-panel-${p.id}`);
      expect(box.attrs.includes('hidden'), p.id).toBe(!shown.has(p.id));
      expect(byTestId(html, `dock-tab-${p.id}`).attrs).toContain(`aria-selected="${shown.has(p.id)}"`);
    }
    // The panels keep the test ids the end-to-end tests find them by.
    for (const id of [
      'watchlist',
      'chart',
      'depth',
      'ticket',
      'orders',
      'algos',
      'positions',
      'ladder',
      'trades',
      'holdings',
      'pnl',
      'risk-panel',
      'strategies',
      'log',
    ]) {
      expect(hasTestId(html, id), id).toBe(true);
    }
    expect(byTestId(html, 'layout-preset').text).toContain('Scalper');
    expect(html.match(/data-testid="dock-splitter"/g)?.length).toBe(6);
    expect(hasTestId(html, 'toasts')).toBe(true);
  });

  it('shows the layout in the store: Scalper puts the ladder in view', () => {
    // Server rendering reads a store's initial state: start it on Scalper.
    const layout = createLayoutStore(KNOWN_PANELS, { name: 'scalper', tree: presetNamed('scalper')?.tree });
    const html = render(connected(), createProcessStore(), createSessionStore(), layout);
    expect(byTestId(html, 'dock-panel-ladder').attrs).not.toContain('hidden');
    expect(byTestId(html, 'layout-preset').attrs).not.toContain('disabled');
    expect(html).toMatch(/<option value="scalper" selected="">/);
  });
});
