import './watchlist.css';
import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import type { InstrumentInfo } from '../../../shared/services/market';
import { formatExpiry, formatStrike } from '../market';
import { hotkeyScope, useCommands, useHotkeyRegistry } from '../hotkeys';
import { WATCHLIST_SCOPE, commandForKey, keyOf, watchlistHotkeys } from './watchlistCommands';
import { useWatchlist, useWatchlistHandle } from './watchlistContext';
import type { RowCells } from './watchlistQuotes';
import type { WatchlistState } from './watchlistStore';

const selectInstruments = (s: WatchlistState) => s.instruments;
const selectSelected = (s: WatchlistState) => s.selectedToken;

/** The id of the watchlist's focusable grid (search hands focus back to it). */
export const WATCHLIST_GRID_ID = 'watchlist-grid';

/** Moves keyboard focus to the watchlist. */
export function focusWatchlist(doc: Pick<Document, 'getElementById'> = document): void {
  doc.getElementById(WATCHLIST_GRID_ID)?.focus();
}

/** What a derivative adds to its symbol: `24 DEC 26 24000 CE`. */
function contractText(i: InstrumentInfo): string {
  if (i.instrumentType === 'EQ' || i.instrumentType === 'INDEX') return '';
  const strike = i.instrumentType === 'FUT' ? '' : ` ${formatStrike(i.strike, i.priceDivisor)}`;
  return `${formatExpiry(i.expiry)}${strike} ${i.instrumentType}`;
}

function cellsOf(row: HTMLTableRowElement): RowCells | undefined {
  const get = (field: string) => row.querySelector<HTMLElement>(`[data-field="${field}"]`) ?? undefined;
  const ltp = get('ltp');
  const change = get('change');
  const changePercent = get('changePercent');
  const bid = get('bid');
  const ask = get('ask');
  const volume = get('volume');
  if (!ltp || !change || !changePercent || !bid || !ask || !volume) return undefined;
  return { row, ltp, change, changePercent, bid, ask, volume };
}

interface RowProps {
  readonly instrument: InstrumentInfo;
  readonly selected: boolean;
}

/** One row. React owns its structure and selection; the quote bridge owns the numbers in it. */
const WatchlistRow = memo(function WatchlistRow({ instrument, selected }: RowProps) {
  const { store, quotes } = useWatchlistHandle();
  const token = instrument.instrumentToken;
  const rowRef = useCallback(
    (row: HTMLTableRowElement | null) => {
      if (row === null) return undefined;
      const cells = cellsOf(row);
      if (cells === undefined) return undefined;
      const registration = quotes.register(token, cells);
      return () => {
        registration.dispose();
      };
    },
    [quotes, token],
  );
  const contract = contractText(instrument);
  return (
    <tr
      ref={rowRef}
      className="wl-row"
      id={`wl-row-${token}`}
      data-token={token}
      data-symbol={instrument.tradingsymbol}
      aria-selected={selected}
      onMouseDown={() => {
        store.getState().select(token);
      }}
    >
      <td
        className="wl-symbol"
        title={`${instrument.name} · ${instrument.exchange}:${instrument.tradingsymbol}`}
      >
        <span className="wl-symbol__name">{instrument.tradingsymbol}</span>
        {contract === '' ? null : <span className="wl-symbol__contract">{contract}</span>}
      </td>
      <td className="wl-exchange">{instrument.exchange}</td>
      <td className="num wl-ltp" data-field="ltp" />
      <td className="num wl-day" data-field="change" />
      <td className="num wl-day" data-field="changePercent" />
      <td className="num wl-bid" data-field="bid" />
      <td className="num wl-ask" data-field="ask" />
      <td className="num wl-volume" data-field="volume" />
    </tr>
  );
});

/** The watchlist panel: instruments with live LTP, change, bid, ask and volume. */
export function Watchlist() {
  const { store } = useWatchlistHandle();
  const instruments = useWatchlist(selectInstruments);
  const selected = useWatchlist(selectSelected);
  const bodyRef = useRef<HTMLDivElement>(null);

  // Keep the selected row in view as the keyboard moves it.
  useEffect(() => {
    if (selected === undefined) return;
    bodyRef.current?.querySelector(`tr[data-token="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected, instruments]);

  // Its keys are the window's registry's (listed and rebindable in the help overlay); rendered
  // without a HotkeyHost, the grid handles its default keys itself.
  const registry = useHotkeyRegistry();
  useCommands(useMemo(() => watchlistHotkeys(store), [store]));
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (registry !== null) return;
    const command = commandForKey(keyOf(e));
    if (command === undefined) return;
    e.preventDefault();
    command.run(store.getState());
  };

  return (
    <section className="panel watchlist" data-testid="watchlist" aria-labelledby="watchlist-title">
      <header className="panel__head">
        <h2 className="panel__title" id="watchlist-title">
          Watchlist
        </h2>
        <span className="wl-count num">{instruments.length}</span>
      </header>
      <div
        className="wl-body"
        {...hotkeyScope(WATCHLIST_SCOPE)}
        id={WATCHLIST_GRID_ID}
        ref={bodyRef}
        tabIndex={0}
        role="grid"
        aria-labelledby="watchlist-title"
        aria-activedescendant={selected === undefined ? undefined : `wl-row-${selected}`}
        onKeyDown={onKeyDown}
      >
        <table className="wl-table">
          <colgroup>
            <col className="wl-col-symbol" />
            <col className="wl-col-exchange" />
            <col className="wl-col-price" />
            <col className="wl-col-change" />
            <col className="wl-col-pct" />
            <col className="wl-col-price" />
            <col className="wl-col-price" />
            <col className="wl-col-volume" />
          </colgroup>
          <thead>
            <tr>
              <th className="wl-symbol">Symbol</th>
              <th className="wl-exchange">Exch</th>
              <th className="num">LTP</th>
              <th className="num">Chg</th>
              <th className="num">Chg %</th>
              <th className="num">Bid</th>
              <th className="num">Ask</th>
              <th className="num">Volume</th>
            </tr>
          </thead>
          <tbody>
            {instruments.map((i) => (
              <WatchlistRow
                key={i.instrumentToken}
                instrument={i}
                selected={i.instrumentToken === selected}
              />
            ))}
          </tbody>
        </table>
        {instruments.length === 0 ? (
          <p className="wl-empty">
            Press <kbd>/</kbd> to find an instrument
          </p>
        ) : null}
      </div>
    </section>
  );
}
