import { DisposableStore, toDisposable } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import type { InstrumentInfo, Quote } from '../../../shared/services/market';
import { createFrameCoalescer, priceStyleOf, setCellText } from '../market';
import type { MarketData } from '../market';
import { EMPTY_ROW, FLASH_MS, flashOf, rowText } from './quotePaint';
import type { Flash, RowText } from './quotePaint';
import type { WatchlistStore } from './watchlistStore';

/** The cells of one row that carry live values (the row component hands them over). */
export interface RowCells {
  readonly row: HTMLElement;
  readonly ltp: HTMLElement;
  readonly change: HTMLElement;
  readonly changePercent: HTMLElement;
  readonly bid: HTMLElement;
  readonly ask: HTMLElement;
  readonly volume: HTMLElement;
}

/** Live quotes into the watchlist's rows, bypassing React. */
export interface WatchlistQuotes extends Disposable {
  /** A row mounted: it is painted at once from the latest quote, then on every frame that has one. */
  register(token: number, cells: RowCells): Disposable;
  /** The latest quote seen for a token (for tests and tooltips). */
  latest(token: number): Quote | undefined;
}

interface Painted {
  /** The row's cells (the sweep puts their flash out). */
  readonly cells: RowCells;
  text: RowText;
  ltp: number;
  flash: Flash;
  /** When the flash goes out (the clock of `now`); 0 when not flashing. */
  flashEnds: number;
}

const BLANK_ROW: RowText = {
  ltp: '',
  change: '',
  changePercent: '',
  bid: '',
  ask: '',
  volume: '',
  dayDirection: 'flat',
};

function setText(el: HTMLElement, previous: string, next: string): void {
  if (previous !== next) setCellText(el, next);
}

function paint(cells: RowCells, painted: Painted, text: RowText): void {
  const was = painted.text;
  setText(cells.ltp, was.ltp, text.ltp);
  setText(cells.change, was.change, text.change);
  setText(cells.changePercent, was.changePercent, text.changePercent);
  setText(cells.bid, was.bid, text.bid);
  setText(cells.ask, was.ask, text.ask);
  setText(cells.volume, was.volume, text.volume);
  if (was.dayDirection !== text.dayDirection) cells.row.dataset['dir'] = text.dayDirection;
  painted.text = text;
}

/** The most tokens one quote stream carries (the contract's limit). */
const MAX_STREAM_TOKENS = 500;

/**
 * Keeps one `market.onQuotes` stream open for the watchlist's instruments (re-opened when the list
 * changes), fetches a snapshot on every list change and connection so a quiet instrument still shows
 * its last price, and writes quotes to the registered rows once per animation frame.
 */
export function startWatchlistQuotes(
  data: MarketData,
  store: WatchlistStore,
  now: () => number = () => performance.now(),
): WatchlistQuotes {
  const { market, link, frames } = data;
  const owned = new DisposableStore();
  const latest = new Map<number, Quote>();
  const rows = new Map<number, { cells: RowCells; painted: Painted }>();
  const infoByToken = new Map<number, InstrumentInfo>();
  let stream: Disposable | undefined;
  let tokensKey = '';
  let disposed = false;
  /** Rows whose LTP cell is lit; a frame sweep puts each out FLASH_MS after its last move. */
  const lit = new Set<Painted>();
  let sweepHandle: number | undefined;

  const sweep = (): void => {
    sweepHandle = undefined;
    if (disposed) return;
    const t = now();
    for (const p of lit) {
      if (t < p.flashEnds) continue;
      delete p.cells.ltp.dataset['flash'];
      p.flash = '';
      p.flashEnds = 0;
      lit.delete(p);
    }
    if (lit.size > 0) sweepHandle = frames.requestAnimationFrame(sweep);
  };

  const paintToken = (token: number, quote: Quote, flash: boolean): void => {
    const row = rows.get(token);
    const info = infoByToken.get(token);
    if (row === undefined || info === undefined) return;
    const painted = row.painted;
    paint(row.cells, painted, rowText(quote, priceStyleOf(info), info.lastPrice));
    const f = flash ? flashOf(painted.ltp, quote.lastPrice) : null;
    if (f !== null) {
      if (f !== painted.flash) {
        row.cells.ltp.dataset['flash'] = f;
        painted.flash = f;
      }
      painted.flashEnds = now() + FLASH_MS;
      lit.add(painted);
      sweepHandle ??= frames.requestAnimationFrame(sweep);
    }
    painted.ltp = quote.lastPrice;
  };

  const coalescer = owned.add(
    createFrameCoalescer<number, Quote>(frames, (batch) => {
      for (const [token, quote] of batch) paintToken(token, quote, true);
    }),
  );

  const receive = (quote: Quote): void => {
    if (disposed || !infoByToken.has(quote.instrumentToken)) return;
    const previous = latest.get(quote.instrumentToken);
    // A snapshot can answer after a newer tick; never step back in time.
    if (previous !== undefined && quote.receivedAt < previous.receivedAt) return;
    latest.set(quote.instrumentToken, quote);
    coalescer.push(quote.instrumentToken, quote);
  };

  const snapshot = (tokens: readonly number[]): void => {
    if (tokens.length === 0 || !link.isConnected()) return;
    market.quotes({ instrumentTokens: [...tokens] }).then(
      ({ quotes }) => {
        for (const q of quotes) receive(q);
      },
      () => undefined, // The stream brings the next tick anyway.
    );
  };

  const follow = (instruments: readonly InstrumentInfo[]): void => {
    infoByToken.clear();
    for (const i of instruments) infoByToken.set(i.instrumentToken, i);
    for (const token of [...latest.keys()]) {
      if (!infoByToken.has(token)) {
        latest.delete(token);
        coalescer.forget(token);
      }
    }
    const tokens = instruments.slice(0, MAX_STREAM_TOKENS).map((i) => i.instrumentToken);
    const key = [...tokens].sort((a, b) => a - b).join(',');
    if (key === tokensKey) return;
    tokensKey = key;
    stream?.dispose();
    stream = tokens.length === 0 ? undefined : market.onQuotes(receive, { instrumentTokens: tokens });
    snapshot(tokens);
  };

  follow(store.getState().instruments);
  owned.add(
    toDisposable(
      store.subscribe((s, prev) => {
        if (s.instruments !== prev.instruments) follow(s.instruments);
      }),
    ),
  );
  owned.add(
    link.onConnected(() => {
      snapshot([...infoByToken.keys()]);
    }),
  );
  owned.add(
    toDisposable(() => {
      disposed = true;
      stream?.dispose();
      if (sweepHandle !== undefined) frames.cancelAnimationFrame(sweepHandle);
      lit.clear();
      rows.clear();
    }),
  );

  return {
    register(token, cells) {
      // The cells come empty from React (it never owns their text): paint dashes, then the latest.
      const painted = { text: BLANK_ROW, ltp: 0, flash: '' as Flash, flashEnds: 0, cells };
      const entry = { cells, painted };
      rows.set(token, entry);
      paint(cells, entry.painted, EMPTY_ROW);
      cells.row.dataset['dir'] = EMPTY_ROW.dayDirection;
      const quote = latest.get(token);
      if (quote !== undefined) paintToken(token, quote, false);
      return toDisposable(() => {
        if (rows.get(token) === entry) rows.delete(token);
        lit.delete(painted);
      });
    },
    latest: (token) => latest.get(token),
    dispose: () => {
      owned.dispose();
    },
  };
}
