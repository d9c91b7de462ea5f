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
import { StatusBar } from './StatusBar';
import { TopBar } from './TopBar';

/**
 * The main window of the terminal: search and the watchlist on the left, the chart of the selected
 * instrument in the middle, its depth on the right. The watchlist's selection drives both.
 */
export function TerminalWindow() {
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
      <TopBar />
      <main className="workspace" aria-label="Workspace">
        <div className="workspace__column workspace__left">
          <InstrumentSearch onPick={onPick} onDismiss={onDismiss} />
          <Watchlist />
          <EnginePanel />
        </div>
        <Chart instrument={selected} />
        <div className="workspace__column workspace__right">
          <Depth instrument={selected} />
        </div>
      </main>
      <StatusBar />
    </div>
  );
}
