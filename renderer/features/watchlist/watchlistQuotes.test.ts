import { describe, expect, it } from 'vitest';
import { fakeMarketData, instrument, quote, settle } from '../market/fakeMarket';
import type { Quote } from '../../../shared/services/market';
import { startWatchlistQuotes } from './watchlistQuotes';
import type { RowCells } from './watchlistQuotes';
import { createWatchlistStore } from './watchlistStore';

/** Cells that count their writes (no DOM in unit tests). */
function fakeCells() {
  let writes = 0;
  const cell = () => {
    let text = '';
    return {
      dataset: {} as Record<string, string>,
      get textContent() {
        return text;
      },
      set textContent(v: string) {
        writes++;
        text = v;
      },
    };
  };
  const cells = {
    row: cell(),
    ltp: cell(),
    change: cell(),
    changePercent: cell(),
    bid: cell(),
    ask: cell(),
    volume: cell(),
  };
  return { cells, asRowCells: cells as unknown as RowCells, writes: () => writes };
}

describe('watchlist quotes bridge', () => {
  it('streams the list tokens and writes the latest quote once per frame, never through React', async () => {
    const { data, market, frames } = fakeMarketData();
    market.answers.quotes = () => Promise.resolve({ quotes: [] as Quote[] });
    const store = createWatchlistStore({
      instruments: [instrument(1, 'INFY'), instrument(2, 'TCS')],
      selectedToken: 1,
    });
    const bridge = startWatchlistQuotes(data, store);
    expect([...market.quoteStreams].map((s) => s.params.instrumentTokens)).toEqual([[1, 2]]);
    const infy = fakeCells();
    bridge.register(1, infy.asRowCells);
    expect(infy.cells.ltp.textContent).toBe('—');
    const before = infy.writes();

    for (let p = 150_005; p <= 150_500; p += 5) market.emitQuote(quote(1, p, { receivedAt: p }));
    expect(infy.cells.ltp.textContent).toBe('—'); // nothing before the frame
    frames.runFrame();
    expect(infy.cells.ltp.textContent).toBe('1505.00');
    expect(infy.cells.change.textContent).toBe('+5.00');
    expect(infy.cells.changePercent.textContent).toBe('+0.33%');
    expect(infy.cells.row.dataset['dir']).toBe('up');
    // 100 ticks, one frame: each changed cell written once.
    expect(infy.writes() - before).toBeLessThanOrEqual(6);
    await settle();
  });

  it('lights the LTP cell the way it moved, puts it out 400 ms after the last move, and not on a remount', () => {
    const { data, market, frames } = fakeMarketData();
    let clock = 1_000;
    const store = createWatchlistStore({ instruments: [instrument(1, 'INFY')], selectedToken: 1 });
    const bridge = startWatchlistQuotes(data, store, () => clock);
    const first = fakeCells();
    const reg = bridge.register(1, first.asRowCells);
    market.emitQuote(quote(1, 150_000, { receivedAt: 1 }));
    frames.runFrame();
    expect(first.cells.ltp.dataset['flash']).toBeUndefined(); // the first price is not a move
    market.emitQuote(quote(1, 149_995, { receivedAt: 2 }));
    frames.runFrame();
    expect(first.cells.ltp.dataset['flash']).toBe('down');
    clock += 300;
    market.emitQuote(quote(1, 150_005, { receivedAt: 3 }));
    frames.runFrame();
    expect(first.cells.ltp.dataset['flash']).toBe('up');
    clock += 300; // 600 ms after the first move, 300 after the last: still lit
    frames.runFrame();
    expect(first.cells.ltp.dataset['flash']).toBe('up');
    market.emitQuote(quote(1, 150_005, { receivedAt: 4, volume: 10 })); // no move: no new flash
    frames.runFrame();
    clock += 101;
    frames.runFrame();
    expect(first.cells.ltp.dataset['flash']).toBeUndefined();
    expect(frames.scheduled).toBe(0); // nothing lit, no frame asked for
    market.emitQuote(quote(1, 150_000, { receivedAt: 5 }));
    frames.runFrame();
    expect(first.cells.ltp.dataset['flash']).toBe('down');
    reg.dispose();
    const second = fakeCells();
    bridge.register(1, second.asRowCells);
    expect(second.cells.ltp.textContent).toBe('1500.00');
    expect(second.cells.ltp.dataset['flash']).toBeUndefined();
    bridge.dispose();
    expect(frames.scheduled).toBe(0);
  });

  it('re-opens the stream when the list changes, fetches a snapshot, and ignores older quotes', async () => {
    const { data, market, frames } = fakeMarketData();
    market.answers.quotes = () => Promise.resolve({ quotes: [quote(2, 300_000, { receivedAt: 5 })] });
    const store = createWatchlistStore({ instruments: [instrument(1, 'INFY')], selectedToken: 1 });
    const bridge = startWatchlistQuotes(data, store);
    store.getState().add(instrument(2, 'TCS'));
    expect([...market.quoteStreams].map((s) => s.params.instrumentTokens)).toEqual([[1, 2]]);
    expect(market.calls.filter((c) => c.method === 'quotes').at(-1)?.params).toEqual({
      instrumentTokens: [1, 2],
    });
    await settle();
    market.emitQuote(quote(2, 299_000, { receivedAt: 4 })); // older than the snapshot
    frames.runFrame();
    expect(bridge.latest(2)?.lastPrice).toBe(300_000);
    store.getState().remove(2);
    expect(bridge.latest(2)).toBeUndefined();
    bridge.dispose();
    expect(market.quoteStreams.size).toBe(0);
  });
});
