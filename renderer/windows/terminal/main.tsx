// The terminal window's entry: picks the engine transport, starts the connection, the clock and (in
// the app) the feed of supervised-process statuses, and renders. The connection lives outside React,
// so a re-render never reconnects.
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
import { PositionsContext, createPositionsStore, startPositionsFeed } from '../../features/positions';
import { RiskContext, createRiskStore, startRisk } from '../../features/risk';
import { ordersService } from '../../../shared/services/orders';
import { portfolioService } from '../../../shared/services/portfolio';
import { riskService } from '../../../shared/services/risk';
import type { TradingMode } from '../../../shared/services/system';
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

  const { token, cleanUrl } = takeToken(window.location.href, sessionStorageOrUndefined());
  if (cleanUrl !== undefined) window.history.replaceState(window.history.state, '', cleanUrl);

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
  const watchlistStore = createWatchlistStore(loadWatchlist(storage));
  const watchlist: WatchlistHandle = {
    store: watchlistStore,
    quotes: startWatchlistQuotes(marketData, watchlistStore),
  };
  const watchlistPersistence = persistWatchlist(watchlistStore, storage);
  const watchlistSeed = seedWatchlist({
    market: marketData.market,
    link: marketData.link,
    store: watchlistStore,
  });
  const sessionStore = createSessionStore();
  const sessionBridge = startSessionBridge(
    connection.client.service(sessionService),
    marketData.link,
    sessionStore,
  );

  // Trading: orders, positions and the risk state, each fed from its stream (re-opened on every
  // connection). An engine without these services yet answers UNKNOWN_METHOD and the panels say so.
  const orders = startOrders(connection.client.service(ordersService), marketData.link, createOrdersStore());
  const positions = startPositionsFeed(
    connection.client.service(portfolioService),
    marketData.link,
    window,
    createPositionsStore(),
  );
  const risk = startRisk(connection.client.service(riskService), marketData.link, createRiskStore());

  const settings = connection.client.service(settingsService);
  const onModeSwitch = (mode: TradingMode): void => {
    // The session stream shows the switch once the engine has made it.
    settings.set({ mode }).catch(() => undefined);
  };
  const kiteBridge = kiteLoginBridgeFor(window);

  window.addEventListener('pagehide', (event) => {
    if (event.persisted) return; // kept in the back/forward cache; pageshow below reloads instead
    risk.dispose();
    positions.dispose();
    orders.dispose();
    sessionBridge.dispose();
    watchlistSeed.dispose();
    watchlistPersistence.dispose();
    watchlist.quotes.dispose();
    connection.dispose();
    connector.dispose();
    processBridge?.dispose();
    clock.dispose();
  });
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });

  createRoot(rootElement).render(
    <StrictMode>
      <EngineStoreContext value={store}>
        <ProcessStoreContext value={processes}>
          <ClockContext value={clock.store}>
            <MarketDataContext value={marketData}>
              <SessionStoreContext value={sessionStore}>
                <WatchlistContext value={watchlist}>
                  <OrdersContext value={orders}>
                    <PositionsContext value={positions}>
                      <RiskContext value={risk}>
                        <TerminalWindow onModeSwitch={onModeSwitch} kiteBridge={kiteBridge} />
                      </RiskContext>
                    </PositionsContext>
                  </OrdersContext>
                </WatchlistContext>
              </SessionStoreContext>
            </MarketDataContext>
          </ClockContext>
        </ProcessStoreContext>
      </EngineStoreContext>
    </StrictMode>,
  );
}

start();
