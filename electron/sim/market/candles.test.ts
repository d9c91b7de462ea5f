import { describe, expect, it } from 'vitest';
import { MarketClock, MarketSimulator } from './marketSimulator';
import { MARKET_HOURS, dayOfDate, istMidnight, sessionOpenMs } from './session';
import type { MarketExchange } from './marketSimulator';
import { loadInstruments } from '../exchange';

const DATE = '2025-11-24';
const instruments = loadInstruments(DATE);
const day = dayOfDate(DATE);
const token = (s: string) =>
  instruments.find((i) => i.tradingsymbol === s && i.exchange !== 'BSE')!.instrument_token;
// History needs no exchange: the simulator is built but never stepped.
const noExchange = {} as unknown as MarketExchange;
const sim = (seed = 42) =>
  new MarketSimulator({
    exchange: noExchange,
    instruments,
    seed,
    tradingDate: DATE,
    marketHours: true,
    clock: new MarketClock(sessionOpenMs(MARKET_HOURS, day)),
    tokens: [],
  });

describe('historicalCandles', () => {
  it('is deterministic for (seed, instrument, time), whatever range it is asked in', () => {
    const tcs = token('TCS');
    const from = istMidnight(day - 10);
    const to = sessionOpenMs(MARKET_HOURS, day);
    const whole = sim().historicalCandles(tcs, '15minute', from, to);
    const part = sim().historicalCandles(tcs, '15minute', istMidnight(day - 3), to);
    expect(whole.slice(-part.length)).toEqual(part);
    expect(sim(7).historicalCandles(tcs, '15minute', from, to)).not.toEqual(whole);
  });

  it('gives integer, on-tick OHLC with low <= open, close <= high, session-aligned times, lot volumes', () => {
    const s = sim();
    for (const name of ['RELIANCE', 'TATASTEEL', 'NIFTY25NOVFUT', 'NIFTY 50']) {
      const i = instruments.find((x) => x.tradingsymbol === name && x.exchange !== 'BSE')!;
      const tick = i.tick_size || 1;
      const candles = s.historicalCandles(
        i.instrument_token,
        '5minute',
        istMidnight(day - 7),
        istMidnight(day),
      );
      expect(candles.length).toBe(5 * 75);
      for (const c of candles) {
        for (const p of [c.open, c.high, c.low, c.close]) {
          expect(Number.isInteger(p) && p % tick === 0).toBe(true);
        }
        expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
        expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
        expect(
          (c.time - sessionOpenMs(MARKET_HOURS, Math.floor((c.time + 19_800_000) / 86_400_000))) % 300_000,
        ).toBe(0);
        expect(c.volume % Math.max(1, i.lot_size)).toBe(0);
        if (i.tradable) expect(c.volume).toBeGreaterThan(0);
        if (i.instrument_type === 'FUT') expect(c.oi).toBeGreaterThan(0);
      }
    }
  });

  it('aggregates consistently: a day candle spans its minutes, and each day opens where the last closed', () => {
    const s = sim();
    const infy = token('INFY');
    const from = istMidnight(day - 14);
    const to = istMidnight(day) - 1;
    const days = s.historicalCandles(infy, 'day', from, to);
    const minutes = s.historicalCandles(infy, 'minute', from, to);
    expect(days.length).toBe(10);
    for (const d of days) {
      const mine = minutes.filter((m) => m.time >= d.time && m.time < d.time + 86_400_000);
      expect(mine.length).toBe(375);
      expect(d.open).toBe(mine[0]!.open);
      expect(d.close).toBe(mine.at(-1)!.close);
      expect(d.high).toBe(Math.max(...mine.map((m) => m.high)));
      expect(d.low).toBe(Math.min(...mine.map((m) => m.low)));
      expect(d.volume).toBe(mine.reduce((v, m) => v + m.volume, 0));
    }
    for (let k = 1; k < days.length; k++) expect(days[k]!.open).toBe(days[k - 1]!.close);
    const last = days.at(-1)!;
    expect(last.close).toBe(instruments.find((i) => i.instrument_token === infy)!.last_price);
  });

  it('reaches years back in reasonable time (day candles, 2,000 days)', () => {
    const s = sim();
    const started = performance.now();
    const candles = s.historicalCandles(token('ITC'), 'day', istMidnight(day - 2000), istMidnight(day) - 1);
    expect(candles.length).toBeGreaterThan(1400);
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});

describe('historicalCandles, always open', () => {
  it('has candles every minute of every day, weekends too, continuous across IST midnight', () => {
    const s = new MarketSimulator({
      exchange: noExchange,
      instruments,
      seed: 42,
      tradingDate: DATE,
      marketHours: false,
      clock: new MarketClock(istMidnight(day)),
      tokens: [],
    });
    const sunday = day - 1;
    const candles = s.historicalCandles(
      token('SBIN'),
      '60minute',
      istMidnight(sunday - 1),
      istMidnight(day) - 1,
    );
    expect(candles.length).toBe(48);
    for (let k = 1; k < candles.length; k++) {
      expect(candles[k]!.time - candles[k - 1]!.time).toBe(3_600_000);
      expect(candles[k]!.open).toBe(candles[k - 1]!.close);
    }
  });
});
