import { useCallback } from 'react';
import type { InstrumentInfo } from '../../../shared/services/market';
import { Chart } from '../../features/chart';
import { Depth } from '../../features/depth';
import { EnginePanel } from '../../features/engine';
import { InstrumentSearch } from '../../features/instrumentSearch';
import {
  Watchlist,
  focusWatchlist,
  selectSelectedInstrument,
  useWatchlist,
  useWatchlistStore,
} from '../../features/watchlist';
import { KiteLoginPanel } from '../../features/login';
import type { KiteLoginBridge } from '../../features/login';
import { useSession } from '../../features/session';
import { OrdersGrid } from '../../features/orders';
import { PositionsGrid } from '../../features/positions';
import { OrderTicket } from '../../features/ticket';
import type { TradingMode } from '../../../shared/services/system';
import { StatusBar } from './StatusBar';
import { TopBar } from './TopBar';

/**
 * The main window of the terminal: search and the watchlist on the left, the chart of the selected
 * instrument in the middle, its depth and the order ticket on the right, and the orders and
 * positions grids along the bottom. The watchlist's selection drives the chart, depth and ticket.
 */
export interface TerminalWindowProps {
  /** Applies a trading mode (settings.set); without it the top bar shows the mode only. */
  readonly onModeSwitch?: (mode: TradingMode) => void;
  /** The Kite login's bridge (the preload in the app, the browser in web mode). */
  readonly kiteBridge?: KiteLoginBridge;
}

export function TerminalWindow(props: TerminalWindowProps = {}) {
  const session = useSession((s) => s.session);
  // Without a logged-in session and an open feed, every number on screen is old: say so, dim them.
  const live = session === undefined || (session.state === 'logged-in' && session.feed.state === 'open');
  const noFeedReason =
    session === undefined ? '' : session.message !== '' ? session.message : `feed ${session.feed.state}`;
  const watchlist = useWatchlistStore();
  const selected = useWatchlist(selectSelectedInstrument);
  const onPick = useCallback(
    (instrument: InstrumentInfo) => {
      watchlist.getState().add(instrument);
      focusWatchlist();
    },
    [watchlist],
  );
  const onDismiss = useCallback(() => {
    focusWatchlist();
  }, []);
  return (
    <div className="terminal">
      <TopBar onModeSwitch={props.onModeSwitch} />
      {live ? null : (
        <div className="no-feed" role="status" data-testid="no-feed">
          No live market data — {noFeedReason}. Prices shown are the last received and may be stale.
        </div>
      )}
      <main className="workspace" aria-label="Workspace" data-live={live}>
        <div className="workspace__column workspace__left">
          <InstrumentSearch onPick={onPick} onDismiss={onDismiss} />
          <Watchlist />
          {props.kiteBridge !== undefined && session?.venue === 'kite' ? (
            <KiteLoginPanel session={session} bridge={props.kiteBridge} />
          ) : null}
          <EnginePanel />
        </div>
        <Chart instrument={selected} />
        <div className="workspace__column workspace__right">
          <Depth instrument={selected} />
          <OrderTicket instrument={selected} />
        </div>
        <div className="workspace__blotter">
          <OrdersGrid />
          <PositionsGrid />
        </div>
      </main>
      <StatusBar />
    </div>
  );
}
