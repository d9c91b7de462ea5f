// The terminal window's entry: picks the engine transport, starts the connection, the clock and (in
// the app) the feed of supervised-process statuses, the panels' bridges, the layout and theme kept
// in settings, and renders: the terminal, or, with `?panel=<id>` (web mode's pop-out), that one
// panel alone. The connection lives outside React, so a re-render never reconnects.
import '../strictCsp';
import '../../styles/theme.css';
import './terminal.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ClockContext, startClock } from '../../features/clock';
import {
  EngineStoreContext,
  chooseTransport,
  createConnector,
  createEngineStore,
  startEngineConnection,
  takeToken,
} from '../../features/engine';
import type { EngineConnection } from '../../features/engine';
import { MarketDataContext, engineLinkOf } from '../../features/market';
import type { MarketData } from '../../features/market';
import { ProcessStoreContext, createProcessStore, startProcessStatusBridge } from '../../features/processes';
import { SessionStoreContext, createSessionStore, startSessionBridge } from '../../features/session';
import {
  WatchlistContext,
  createWatchlistStore,
  loadWatchlist,
  persistWatchlist,
  seedWatchlist,
  startWatchlistQuotes,
} from '../../features/watchlist';
import type { WatchlistHandle } from '../../features/watchlist';
import { marketService } from '../../../shared/services/market';
import { sessionService } from '../../../shared/services/session';
import { settingsService } from '../../../shared/services/settings';
import { kiteLoginBridgeFor } from '../../features/login';
import { OrdersContext, createOrdersStore, startOrders } from '../../features/orders';
import { AlgosContext, createAlgosStore, startAlgos } from '../../features/algos';
import { PositionsContext, createPositionsStore, startPositionsFeed } from '../../features/positions';
import { RiskContext, createRiskStore, startRisk } from '../../features/risk';
import { ordersService } from '../../../shared/services/orders';
import { algosService } from '../../../shared/services/algos';
import { portfolioService } from '../../../shared/services/portfolio';
import { riskService } from '../../../shared/services/risk';
import type { TradingMode } from '../../../shared/services/system';
import {
  ThemeContext,
  applyTheme,
  cachedLayout,
  cachedTheme,
  createLayoutStore,
  createThemeStore,
  popOutOpenerFor,
  readPopOut,
  startWorkspaceSettings,
} from '../../features/layout';
import type { Theme } from '../../features/layout';
import { HoldingsContext, createHoldingsStore, startHoldings } from '../../features/holdings';
import { EventLogContext, createEventLog, startEventLogFeeds } from '../../features/log';
import { PnlCurveContext, startPnlCurve } from '../../features/pnl';
import { ToastsContext, createToasts, startToastFeed } from '../../features/toasts';
import { TradesContext, createTradesStore, startTrades } from '../../features/trades';
import { selectSelectedInstrument } from '../../features/watchlist';
import { HotkeyHost, startHotkeys } from '../../features/hotkeys';
import { OrderMarginContext } from '../../features/ticket';
import type { OrderMarginSource } from '../../features/ticket';
import { KNOWN_PANELS } from './panels';
import { PopOutWindow } from './PopOutWindow';
import { TerminalWindow } from './TerminalWindow';

function sessionStorageOrUndefined(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // Storage disabled: the token works for this load only.
  }
}

function localStorageOrUndefined(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // Storage disabled: the watchlist lives for this load only.
  }
}

function start(): void {
  const rootElement = document.getElementById('root');
  if (rootElement === null) throw new Error('index.html has no #root');

  const startedAt = Date.now();
  const { token, cleanUrl } = takeToken(window.location.href, sessionStorageOrUndefined());
  if (cleanUrl !== undefined) window.history.replaceState(window.history.state, '', cleanUrl);
  // `?panel=…`: this window is one panel popped out of the terminal (web mode).
  const popOut = readPopOut(window.location.href);

  const store = createEngineStore();
  const transport = chooseTransport(window, token);
  // The MessagePort transport means window.shrivenq is the preload's API: this is the app, whose main
  // answers each request for an engine port with every process's status, so listen before asking.
  // Web mode has no preload and no process statuses: its store stays empty and nothing shows.
  const processes = createProcessStore();
  const processBridge =
    transport.kind === 'messagePort' ? startProcessStatusBridge(window, processes) : undefined;
  const connector = createConnector(transport, {
    win: window,
    createWebSocket: (url) => new WebSocket(url),
    onUnaskedPort: () => {
      // The engine restarted and main sent this window a new port: switch to it now.
      // (Called from a message event, so `connection` below is assigned by then.)
      if (connection.client.state.status === 'connected') connection.client.reconnect('the engine restarted');
    },
  });
  const connection: EngineConnection = startEngineConnection({
    kind: connector.kind,
    connect: () => connector.connect(),
    store,
  });
  const clock = startClock();

  // Market data: the panels' bridges live out here too, so ticks reach the DOM without React.
  const marketData: MarketData = {
    market: connection.client.service(marketService),
    link: engineLinkOf(connection.client),
    frames: window,
  };
  const storage = localStorageOrUndefined();
  const theme = createThemeStore(cachedTheme(storage));
  const themeApplied = applyTheme(theme, document.documentElement, storage);
  const watchlistStore = createWatchlistStore(loadWatchlist(storage));
  const watchlist: WatchlistHandle = {
    store: watchlistStore,
    quotes: startWatchlistQuotes(marketData, watchlistStore),
  };
  // A popped-out panel reads the watchlist this browser keeps but never writes it (the terminal does).
  const watchlistPersistence = popOut === undefined ? persistWatchlist(watchlistStore, storage) : undefined;
  const watchlistSeed =
    popOut === undefined
      ? seedWatchlist({ market: marketData.market, link: marketData.link, store: watchlistStore })
      : undefined;
  const sessionStore = createSessionStore();
  const sessionBridge = startSessionBridge(
    connection.client.service(sessionService),
    marketData.link,
    sessionStore,
  );

  // Trading: orders, positions and the risk state, each fed from its stream (re-opened on every
  // connection). An engine without these services yet answers UNKNOWN_METHOD and the panels say so.
  const orders = startOrders(connection.client.service(ordersService), marketData.link, createOrdersStore());
  // Brackets and icebergs: their children are orders of the orders stream (parentId).
  const algos = startAlgos(connection.client.service(algosService), marketData.link, createAlgosStore());
  const positions = startPositionsFeed(
    connection.client.service(portfolioService),
    marketData.link,
    window,
    createPositionsStore(),
  );
  const risk = startRisk(connection.client.service(riskService), marketData.link, createRiskStore());
  const trades = startTrades(connection.client.service(ordersService), marketData.link, createTradesStore());
  const holdings = startHoldings(
    connection.client.service(portfolioService),
    marketData.link,
    createHoldingsStore(),
  );
  const portfolio = connection.client.service(portfolioService);
  const pnlCurve = startPnlCurve(positions, window);
  // What an order in the ticket would need, asked of the engine as it is typed.
  const orderMargin: OrderMarginSource = (request) => portfolio.orderMargin(request);
  const eventLog = createEventLog();
  const eventLogFeeds = startEventLogFeeds(eventLog, {
    orders: orders.store,
    trades,
    engine: store,
    session: sessionStore,
    risk: risk.store,
    startedAt,
  });
  const toasts = createToasts({
    setTimeout: (cb, ms) => window.setTimeout(cb, ms),
    clearTimeout: (h) => {
      window.clearTimeout(h as number);
    },
  });
  const toastFeed = startToastFeed(toasts, { orders: orders.store, trades, startedAt });

  const settings = connection.client.service(settingsService);
  // The layout (the terminal only) and the theme, kept in the profile's settings.
  const layout = popOut === undefined ? createLayoutStore(KNOWN_PANELS, cachedLayout(storage)) : undefined;
  const workspace = startWorkspaceSettings({ settings, link: marketData.link, theme, layout, storage });
  // Every hotkey of the window, the user's bindings kept in settings.hotkeys.
  const hotkeys = startHotkeys({ settings, link: marketData.link });
  const onThemeChange = (next: Theme): void => {
    workspace.setTheme(next);
  };
  // A panel pops out into a window of main's in the app, into a tab in web mode (the same page with
  // ?panel=, the selected instrument and, in web mode, the token: a tab has its own sessionStorage).
  const openPopOut = popOutOpenerFor(window, token);
  const onPopOut = (panel: string): void => {
    const instrument = selectSelectedInstrument(watchlistStore.getState());
    void openPopOut({ panel, instrumentToken: instrument?.instrumentToken }).then((result) => {
      if (!result.ok) console.warn(`Could not pop ${panel} out: ${result.reason}`);
    });
  };
  const onModeSwitch = (mode: TradingMode): void => {
    // The session stream shows the switch once the engine has made it.
    settings.set({ mode }).catch(() => undefined);
  };
  const kiteBridge = kiteLoginBridgeFor(window);

  window.addEventListener('pagehide', (event) => {
    if (event.persisted) return; // kept in the back/forward cache; pageshow below reloads instead
    workspace.flush();
    workspace.dispose();
    hotkeys.dispose();
    toastFeed.dispose();
    toasts.dispose();
    eventLogFeeds.dispose();
    eventLog.dispose();
    pnlCurve.dispose();
    holdings.dispose();
    trades.dispose();
    risk.dispose();
    positions.dispose();
    algos.dispose();
    orders.dispose();
    sessionBridge.dispose();
    watchlistSeed?.dispose();
    watchlistPersistence?.dispose();
    watchlist.quotes.dispose();
    connection.dispose();
    connector.dispose();
    processBridge?.dispose();
    clock.dispose();
    themeApplied();
  });
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });

  const window_ =
    popOut === undefined ? (
      <TerminalWindow
        onModeSwitch={onModeSwitch}
        kiteBridge={kiteBridge}
        {...(layout === undefined ? {} : { layout })}
        onPopOut={onPopOut}
        onThemeChange={onThemeChange}
      />
    ) : (
      <PopOutWindow panel={popOut.panel} instrumentToken={popOut.instrumentToken} />
    );

  createRoot(rootElement).render(
    <StrictMode>
      <EngineStoreContext value={store}>
        <ProcessStoreContext value={processes}>
          <ClockContext value={clock.store}>
            <ThemeContext value={theme}>
              <MarketDataContext value={marketData}>
                <SessionStoreContext value={sessionStore}>
                  <WatchlistContext value={watchlist}>
                    <OrdersContext value={orders}>
                      <AlgosContext value={algos}>
                        <TradesContext value={trades}>
                          <PositionsContext value={positions}>
                            <HoldingsContext value={holdings}>
                              <PnlCurveContext value={pnlCurve}>
                                <RiskContext value={risk}>
                                  <EventLogContext value={eventLog}>
                                    <ToastsContext value={toasts}>
                                      <OrderMarginContext value={orderMargin}>
                                        <HotkeyHost hotkeys={hotkeys}>{window_}</HotkeyHost>
                                      </OrderMarginContext>
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
            </ThemeContext>
          </ClockContext>
        </ProcessStoreContext>
      </EngineStoreContext>
    </StrictMode>,
  );
}

start();
