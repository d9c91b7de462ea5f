import { describe, expect, it } from 'vitest';
import { loadInstruments } from '../exchange';
import { FairValueModel, GRID_POINTS } from './fairValue';
import { INDEX_CONSTITUENTS } from './indexWeights';
import { CARRY_RATE } from './pricing';
import { MARKET_HOURS, dayOfDate, istMidnight, previousTradingDay, sessionOpenMs } from './session';

const DATE = '2025-11-24';
const instruments = loadInstruments(DATE);
const day = dayOfDate(DATE);
const bySymbol = (s: string) => instruments.find((i) => i.tradingsymbol === s && i.exchange !== 'BSE')!;
const model = (seed = 42) =>
  new FairValueModel({ seed, window: MARKET_HOURS, instruments, tradingDate: DATE });

describe('FairValueModel', () => {
  it('prices every instrument in the files', () => {
    const m = model();
    for (const i of instruments) expect(m.has(i.instrument_token)).toBe(true);
  });

  it('closes the day before the trading date at the files previous close, and opens the day there', () => {
    const m = model();
    const reliance = bySymbol('RELIANCE');
    const open = sessionOpenMs(MARKET_HOURS, day);
    expect(m.fairValue(reliance.instrument_token, open - 1)).toBeCloseTo(reliance.last_price, 6);
    expect(m.fairValue(reliance.instrument_token, open)).toBeCloseTo(reliance.last_price, 6);
    const nifty = bySymbol('NIFTY 50');
    expect(m.fairValue(nifty.instrument_token, open)).toBeCloseTo(nifty.last_price, 6);
  });

  it('is a function of (seed, instrument, time): another model, or asking in another order, gives the same', () => {
    const a = model();
    const b = model();
    const token = bySymbol('INFY').instrument_token;
    const times = [0, 1, 5, 40, 200].map((d) => sessionOpenMs(MARKET_HOURS, day - d) + 3_600_000 + d * 1000);
    const fromA = times.map((t) => a.fairValue(token, t));
    const fromB = [...times]
      .reverse()
      .map((t) => b.fairValue(token, t))
      .reverse();
    expect(fromB).toEqual(fromA);
    expect(model(43).fairValue(token, times[2]!)).not.toBe(fromA[2]);
  });

  it('makes an index the equal-weighted geometric mean of its constituents', () => {
    const m = model();
    const t = sessionOpenMs(MARKET_HOURS, day) + 2 * 3_600_000;
    const bank = bySymbol('NIFTY BANK');
    const names = INDEX_CONSTITUENTS['NIFTY BANK']!;
    let sum = 0;
    for (const n of names) {
      const s = bySymbol(n);
      sum += Math.log(m.fairValue(s.instrument_token, t) / s.last_price);
    }
    expect(m.fairValue(bank.instrument_token, t)).toBeCloseTo(
      bank.last_price * Math.exp(sum / names.length),
      4,
    );
  });

  it('prices the future at the index carried to expiry and options by Black-76 around it', () => {
    const m = model();
    const t = sessionOpenMs(MARKET_HOURS, day) + 3_600_000;
    const fut = bySymbol('NIFTY25NOVFUT');
    const spot = m.fairValue(bySymbol('NIFTY 50').instrument_token, t);
    const expiry = istMidnight(day + 1) + 930 * 60_000; // 2025-11-25, the monthly Tuesday
    // Trading time: 5h15m of today's 6h15m session plus tomorrow's session, 252 sessions a year.
    const years = (5.25 / 6.25 + 1) / 252;
    expect(m.fairValue(fut.instrument_token, t)).toBeCloseTo(spot * Math.exp(CARRY_RATE * years), 4);
    const calls = instruments.filter(
      (i) => i.tradingsymbol.startsWith('NIFTY25NOV') && i.instrument_type === 'CE',
    );
    const prices = calls.sort((x, y) => x.strike - y.strike).map((i) => m.fairValue(i.instrument_token, t));
    for (let k = 1; k < prices.length; k++) expect(prices[k]!).toBeLessThan(prices[k - 1]!);
    expect(m.fairValue(fut.instrument_token, expiry + 1)).toBeNaN();
  });

  it('does not move option premiums between a close and the next open', () => {
    const m = model();
    const call = bySymbol('NIFTY25NOV26000CE');
    const friday = previousTradingDay(MARKET_HOURS, day);
    const close = sessionOpenMs(MARKET_HOURS, friday) + 22_500_000;
    const open = sessionOpenMs(MARKET_HOURS, day);
    // The same underlying and trading time at both instants: only the regime factor could differ.
    expect(m.fairValue(call.instrument_token, open)).toBeCloseTo(
      m.fairValue(call.instrument_token, close - 1),
      0,
    );
  });

  it('has daily log returns of about the intended size over a year of history', () => {
    const m = model();
    const token = bySymbol('HDFCBANK').instrument_token;
    const closes: number[] = [];
    let d = previousTradingDay(MARKET_HOURS, day);
    for (let k = 0; k < 250; k++) {
      closes.push(m.fairValue(token, sessionOpenMs(MARKET_HOURS, d) + 7 * 3_600_000));
      d = previousTradingDay(MARKET_HOURS, d);
    }
    const returns = closes.slice(1).map((c, k) => Math.log(closes[k]! / c));
    const sd = Math.sqrt(returns.reduce((s, r) => s + r * r, 0) / returns.length);
    expect(sd).toBeGreaterThan(0.008);
    expect(sd).toBeLessThan(0.03);
    expect(GRID_POINTS).toBe(4500);
  });
});
