import { describe, expect, it } from 'vitest';
import { Exchange, loadInstruments } from '../exchange';
import type { ExchangeEvent, Instrument } from '../exchange';
import { TICK_PUMP_ACCOUNT, TickPump, tickPumpInstruments } from './tickPump';

const INSTRUMENTS = loadInstruments('2025-11-24');
// 2025-11-24 10:00 IST
const START = Date.UTC(2025, 10, 24, 4, 30);

/** An exchange whose books hold a deep two-sided quote on each of `instruments` (a stand-in maker). */
function quotedExchange(instruments: readonly Instrument[]): { ex: Exchange; trades: ExchangeEvent[] } {
  const trades: ExchangeEvent[] = [];
  const ex = new Exchange({
    instruments: INSTRUMENTS,
    now: () => START,
    sessionOpen: true,
    onEvent: (e) => {
      if (e.type === 'trade' && e.trade.account === TICK_PUMP_ACCOUNT) trades.push(e);
    },
  });
  for (const i of instruments) {
    const lot = Math.max(1, i.lot_size);
    for (const [side, price] of [
      ['BUY', i.last_price - i.tick_size],
      ['SELL', i.last_price + i.tick_size],
    ] as const) {
      const r = ex.placeOrder({
        account: 'MAKER',
        variety: 'regular',
        exchange: i.exchange,
        tradingsymbol: i.tradingsymbol,
        transaction_type: side,
        order_type: 'LIMIT',
        quantity: 10_000 * lot,
        product: i.instrument_type === 'EQ' ? 'CNC' : 'NRML',
        price,
      });
      if (!r.ok) throw new Error(`${i.tradingsymbol}: ${r.error.message}`);
    }
  }
  return { ex, trades };
}

describe('tickPumpInstruments', () => {
  it('takes the NIFTY 50 companies first, in an order the seed sets', () => {
    const a = tickPumpInstruments(INSTRUMENTS, 7, 50);
    expect(a).toHaveLength(50);
    expect(a.every((i) => i.exchange === 'NSE' && i.instrument_type === 'EQ')).toBe(true);
    expect(new Set(a.map((i) => i.instrument_token)).size).toBe(50);
    expect(tickPumpInstruments(INSTRUMENTS, 7, 50).map((i) => i.tradingsymbol)).toEqual(
      a.map((i) => i.tradingsymbol),
    );
    const other = tickPumpInstruments(INSTRUMENTS, 8, 50).map((i) => i.tradingsymbol);
    expect(other).not.toEqual(a.map((i) => i.tradingsymbol));
    expect([...other].sort()).toEqual(a.map((i) => i.tradingsymbol).sort());
  });

  it('goes on to index futures, BSE listings and the rest, tradable only, within the candidates', () => {
    const more = tickPumpInstruments(INSTRUMENTS, 1, 60);
    expect(more.slice(50).map((i) => i.instrument_type)).toContain('FUT');
    expect(more.every((i) => i.tradable)).toBe(true);
    expect(tickPumpInstruments(INSTRUMENTS, 1, 10_000).length).toBe(
      INSTRUMENTS.filter((i) => i.tradable).length,
    );
    const only = new Set(INSTRUMENTS.filter((i) => i.exchange === 'BSE').map((i) => i.instrument_token));
    const bse = tickPumpInstruments(INSTRUMENTS, 1, 5, only);
    expect(bse.map((i) => i.exchange)).toEqual(['BSE', 'BSE', 'BSE', 'BSE', 'BSE']);
  });
});

describe('TickPump', () => {
  it('trades R times a second, R / N on each instrument, never one instrument twice in a call', () => {
    const chosen = tickPumpInstruments(INSTRUMENTS, 3, 50);
    const { ex, trades } = quotedExchange(chosen);
    const pump = new TickPump({ exchange: ex, instruments: chosen, seed: 3, rate: 2000 });
    // Two seconds of 5 ms turns (the host's timer).
    for (let t = 5; t <= 2000; t += 5) {
      const before = trades.length;
      expect(pump.fire(t)).toBe(10);
      const tokens = trades.slice(before).map((e) => e.order.instrument_token);
      expect(new Set(tokens).size).toBe(tokens.length);
    }
    expect(pump.stats).toEqual({ ticks: 4000, traded: 4000, skipped: 0, dropped: 0 });
    expect(trades).toHaveLength(4000);
    const perToken = new Map<number, number>();
    for (const e of trades)
      perToken.set(e.order.instrument_token, (perToken.get(e.order.instrument_token) ?? 0) + 1);
    expect([...perToken.values()]).toEqual(new Array<number>(50).fill(80));
    // One lot at the touch, both sides about as often.
    const buys = trades.filter((e) => e.type === 'trade' && e.trade.transaction_type === 'BUY').length;
    expect(buys).toBeGreaterThan(1800);
    expect(buys).toBeLessThan(2200);
    for (const e of trades) {
      if (e.type !== 'trade') continue;
      const i = chosen.find((c) => c.instrument_token === e.trade.instrument_token);
      expect(e.trade.quantity).toBe(Math.max(1, i?.lot_size ?? 1));
      expect(e.trade.price).toBe(
        (i?.last_price ?? 0) + (e.trade.transaction_type === 'BUY' ? 1 : -1) * (i?.tick_size ?? 0),
      );
    }
    // Nothing of the pump's stays in the exchange's memory.
    expect(ex.orders().filter((o) => o.account === TICK_PUMP_ACCOUNT)).toEqual([]);
  });

  it('at most one tick per instrument a call: a late call catches up over the next ones', () => {
    const chosen = tickPumpInstruments(INSTRUMENTS, 3, 5);
    const { ex } = quotedExchange(chosen);
    const pump = new TickPump({ exchange: ex, instruments: chosen, seed: 3, rate: 100 });
    expect(pump.fire(100)).toBe(5); // 10 due, 5 instruments
    expect(pump.fire(100)).toBe(5);
    expect(pump.fire(100)).toBe(0);
    expect(pump.stats.ticks).toBe(10);
  });

  it('drops what is owed for more than a second after a stall, and counts it', () => {
    const chosen = tickPumpInstruments(INSTRUMENTS, 3, 50);
    const { ex } = quotedExchange(chosen);
    const pump = new TickPump({ exchange: ex, instruments: chosen, seed: 3, rate: 2000 });
    pump.fire(0);
    while (pump.fire(5000) > 0);
    // 10,000 owed at 5 s; only the last second's 2,000 are still worth sending.
    expect(pump.stats.dropped).toBe(8000);
    expect(pump.stats.ticks).toBe(2000);
  });

  it('skips a tick when the book is empty, trading the other side when only one is there', () => {
    const [a, b] = tickPumpInstruments(INSTRUMENTS, 3, 2);
    if (a === undefined || b === undefined) throw new Error('no instruments');
    const { ex, trades } = quotedExchange([]);
    ex.placeOrder({
      account: 'MAKER',
      variety: 'regular',
      exchange: a.exchange,
      tradingsymbol: a.tradingsymbol,
      transaction_type: 'BUY',
      order_type: 'LIMIT',
      quantity: 1000,
      product: 'CNC',
      price: a.last_price,
    });
    const pump = new TickPump({ exchange: ex, instruments: [a, b], seed: 3, rate: 1000 });
    for (let t = 2; t <= 40; t += 2) pump.fire(t);
    expect(pump.stats).toEqual({ ticks: 40, traded: 20, skipped: 20, dropped: 0 });
    expect(trades.every((e) => e.type === 'trade' && e.trade.transaction_type === 'SELL')).toBe(true);
  });

  it('is the same run for the same seed', () => {
    const run = (seed: number): string[] => {
      const chosen = tickPumpInstruments(INSTRUMENTS, seed, 20);
      const { ex, trades } = quotedExchange(chosen);
      const pump = new TickPump({ exchange: ex, instruments: chosen, seed, rate: 500 });
      for (let t = 10; t <= 1000; t += 10) pump.fire(t);
      return trades.map((e) =>
        e.type === 'trade' ? `${e.trade.instrument_token}:${e.trade.transaction_type}:${e.trade.price}` : '',
      );
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });
});
