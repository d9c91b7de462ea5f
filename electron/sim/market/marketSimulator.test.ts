// The realism check of issue 3: one simulated trading day of a few liquid names, measured.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Exchange, SessionClock, loadInstruments } from '../exchange';
import type { ExchangeEvent } from '../exchange';
import { AGENT_ACCOUNTS, MarketClock, MarketSimulator } from './marketSimulator';
import { Random } from './random';
import { dayOfDate, istMidnight } from './session';

const DATE = '2025-11-24'; // a Monday
const instruments = loadInstruments(DATE);
const day = dayOfDate(DATE);
const at = (hours: number, minutes = 0) => istMidnight(day) + (hours * 60 + minutes) * 60_000;
const LIQUID = ['RELIANCE', 'HDFCBANK', 'ICICIBANK', 'INFY', 'ITC'];
const picked = instruments.filter(
  (i) => (i.exchange === 'NSE' && LIQUID.includes(i.tradingsymbol)) || i.tradingsymbol === 'NIFTY25NOVFUT',
);

interface Run {
  readonly exchange: Exchange;
  readonly sim: MarketSimulator;
  readonly clock: MarketClock;
  readonly events: ExchangeEvent[];
  tape: ReturnType<typeof createHash>;
  /** Matches with the maker account on both sides. */
  selfTrades: number;
  /** Every order the exchange accepted: account, product and whether its price was on the tick. */
  readonly accepted: { count: number; readonly accounts: Set<string>; readonly products: Set<string> };
  spreadSamples: Map<string, { inRange: number; total: number }>;
}

function start(seed: number, from = at(9, 0)): Run {
  const clock = new MarketClock(from);
  const tape = createHash('sha256');
  const events: ExchangeEvent[] = [];
  // The exchange reports to the simulator, which is built after it: a late-bound reference.
  const late: { sim?: MarketSimulator } = {};
  const sides = new Map<string, string>();
  const counts = { selfTrades: 0 };
  const accepted = { count: 0, accounts: new Set<string>(), products: new Set<string>() };
  const exchange = new Exchange({
    instruments,
    now: clock.read,
    sessionOpen: false,
    onEvent: (e) => {
      if (e.type === 'trade') {
        const t = e.trade;
        tape.update(
          `${t.instrument_token},${t.account},${t.price},${t.quantity},${t.fill_timestamp},${t.maker};`,
        );
        // Both sides of a match share a trade id: the maker account on both is a self-trade.
        if (sides.get(t.trade_id) === AGENT_ACCOUNTS.maker && t.account === AGENT_ACCOUNTS.maker) {
          counts.selfTrades++;
        }
        sides.set(t.trade_id, t.account);
      }
      if (e.type === 'accepted') {
        accepted.count++;
        accepted.accounts.add(e.order.account);
        accepted.products.add(e.order.product);
      }
      if (e.type === 'trade' && !e.trade.account.startsWith('MARKET:')) events.push(e);
      late.sim?.observe(e);
    },
  });
  const sim = new MarketSimulator({
    exchange,
    instruments,
    seed,
    tradingDate: DATE,
    marketHours: true,
    clock,
    session: new SessionClock(exchange, true),
    tokens: picked.map((i) => i.instrument_token),
  });
  late.sim = sim;
  return {
    exchange,
    sim,
    clock,
    events,
    tape,
    get selfTrades() {
      return counts.selfTrades;
    },
    accepted,
    spreadSamples: new Map(),
  };
}

function sampleSpreads(r: Run): void {
  for (const i of picked) {
    const book = r.exchange.book(i.exchange, i.tradingsymbol);
    if (book === undefined || book.bestBid() === 0 || book.bestAsk() === 0) continue;
    const ticks = (book.bestAsk() - book.bestBid()) / i.tick_size;
    const s = r.spreadSamples.get(i.tradingsymbol) ?? { inRange: 0, total: 0 };
    s.total++;
    if (ticks >= 1 && ticks <= 3) s.inRange++;
    r.spreadSamples.set(i.tradingsymbol, s);
  }
}

// Speed 60 driven by a host that steps every 100 ms of wall time: 6 s of market per step.
const day42 = start(42);
for (let t = at(9, 0); t <= at(15, 35); t += 6_000) {
  day42.sim.step(t);
  if (t >= at(9, 15) && t < at(15, 30)) sampleSpreads(day42);
}

const volumeBetween = (candles: { time: number; volume: number }[], from: number, to: number) =>
  candles.filter((c) => c.time >= from && c.time < to).reduce((v, c) => v + c.volume, 0);

/** The figures README.md quotes; `MARKET_FIGURES=1 npx vitest run electron/sim/market` prints them. */
function figures(r: Run): Record<string, Record<string, string | number>> {
  const out: Record<string, Record<string, string | number>> = {};
  for (const i of picked) {
    const minutes = r.sim.historicalCandles(i.instrument_token, 'minute', at(9, 15), at(15, 30));
    let sum = 0;
    for (let k = 1; k < minutes.length; k++) sum += Math.log(minutes[k]!.close / minutes[k - 1]!.close) ** 2;
    const middle = volumeBetween(minutes, at(12, 0), at(13, 0)) / 2;
    const stats = r.exchange.marketStats(i.instrument_token)!;
    const s = r.spreadSamples.get(i.tradingsymbol) ?? { inRange: 0, total: 1 };
    out[i.tradingsymbol] = {
      dailyVolPct: +(100 * Math.sqrt(sum)).toFixed(2),
      rangePct: +((100 * (stats.high - stats.low)) / stats.open).toFixed(2),
      spread1to3: +(s.inRange / s.total).toFixed(3),
      firstHalfHourVsMiddle: +(volumeBetween(minutes, at(9, 15), at(9, 45)) / middle).toFixed(2),
      lastHalfHourVsMiddle: +(volumeBetween(minutes, at(15, 0), at(15, 30)) / middle).toFixed(2),
      volume: stats.volume,
      makerPosition:
        r.exchange.positions(AGENT_ACCOUNTS.maker).find((p) => p.instrument_token === i.instrument_token)
          ?.quantity ?? 0,
      volumeVsLastHistoryDay: +(
        stats.volume /
        r.sim.historicalCandles(i.instrument_token, 'day', istMidnight(day - 7), at(0, 0) - 1).at(-1)!.volume
      ).toFixed(2),
    };
  }
  return out;
}

describe('MarketSimulator: a simulated day (seed 42, five NIFTY names and the NIFTY future)', () => {
  if (process.env['MARKET_FIGURES'] === '1') console.table(figures(day42));

  it('keeps the touch 1 to 3 ticks wide nearly all of the time', () => {
    for (const [name, s] of day42.spreadSamples) {
      expect(s.total, name).toBeGreaterThan(3_000);
      expect(s.inRange / s.total, name).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('has intraday volatility and a day range of a liquid NSE name', () => {
    for (const i of picked) {
      const minutes = day42.sim.historicalCandles(i.instrument_token, 'minute', at(9, 15), at(15, 30));
      expect(minutes.length, i.tradingsymbol).toBeGreaterThan(370);
      let sum = 0;
      for (let k = 1; k < minutes.length; k++)
        sum += Math.log(minutes[k]!.close / minutes[k - 1]!.close) ** 2;
      const dailyVol = Math.sqrt(sum);
      const stats = day42.exchange.marketStats(i.instrument_token)!;
      const range = (stats.high - stats.low) / stats.open;
      expect(dailyVol, i.tradingsymbol).toBeGreaterThan(0.004);
      expect(dailyVol, i.tradingsymbol).toBeLessThan(0.04);
      expect(range, i.tradingsymbol).toBeGreaterThan(0.003);
      expect(range, i.tradingsymbol).toBeLessThan(0.08);
    }
  });

  it('trades a U-shaped volume: the first and last half hours are busier than the middle', () => {
    for (const i of picked) {
      const minutes = day42.sim.historicalCandles(i.instrument_token, 'minute', at(9, 15), at(15, 30));
      const middle = volumeBetween(minutes, at(12, 0), at(13, 0)) / 2;
      const first = volumeBetween(minutes, at(9, 15), at(9, 45)) / middle;
      const last = volumeBetween(minutes, at(15, 0), at(15, 30)) / middle;
      expect(first, i.tradingsymbol).toBeGreaterThanOrEqual(1.5);
      expect(last, i.tradingsymbol).toBeGreaterThanOrEqual(1.5);
      expect(first, i.tradingsymbol).toBeLessThan(8);
      expect(last, i.tradingsymbol).toBeLessThan(8);
    }
  });

  it('joins history without a gap: the day opens at the previous close; history volume is of the same size', () => {
    for (const i of picked) {
      const history = day42.sim.historicalCandles(
        i.instrument_token,
        'day',
        istMidnight(day - 7),
        at(0, 0) - 1,
      );
      const live = day42.sim.historicalCandles(i.instrument_token, 'minute', at(9, 15), at(9, 15));
      const previous = history.at(-1)!;
      // Equities close where the files say; derivatives where the model prices them (the files'
      // premiums use calendar time and no smile).
      if (i.instrument_type === 'EQ') expect(previous.close).toBe(i.last_price);
      expect(Math.abs(live[0]!.open - previous.close) / i.tick_size, i.tradingsymbol).toBeLessThanOrEqual(3);
      const liveVolume = day42.exchange.marketStats(i.instrument_token)!.volume;
      const ratio = liveVolume / previous.volume;
      expect(ratio, i.tradingsymbol).toBeGreaterThan(0.5);
      expect(ratio, i.tradingsymbol).toBeLessThan(2);
      // Days differ in activity, as real ones do (a market-wide and an own log-normal factor).
      const volumes = history.map((c) => c.volume);
      expect(Math.max(...volumes) / Math.min(...volumes), i.tradingsymbol).toBeGreaterThan(1.05);
    }
  });

  it('gives an index candles from its fair value through the live day, up to now only', () => {
    const nifty = instruments.find((i) => i.tradingsymbol === 'NIFTY 50')!;
    const candles = day42.sim.historicalCandles(nifty.instrument_token, '15minute', at(9, 15), at(23, 0));
    expect(candles.length).toBe(25);
    expect(candles[0]!.open).toBe(nifty.last_price);
    for (const c of candles) expect(c.volume).toBe(0);
  });

  it("does not keep the agents' finished orders: the exchange holds about what rests in the books", () => {
    // A day of six instruments places tens of thousands of orders; after the close only the makers'
    // last quotes and the long-lived noise orders of the last hour wait, to be forgotten next day.
    expect(day42.accepted.count).toBeGreaterThan(10_000);
    expect(day42.exchange.orderCount).toBeLessThan(picked.length * 100);
  });

  it('moves open interest of the future with trades', () => {
    const fut = picked.find((i) => i.instrument_type === 'FUT')!;
    const candles = day42.sim.historicalCandles(fut.instrument_token, '30minute', at(9, 15), at(15, 30));
    const ois = new Set(candles.map((c) => c.oi));
    expect(ois.size).toBeGreaterThan(3);
    for (const c of candles) expect(c.oi % fut.lot_size).toBe(0);
  });

  it('trades only in its own accounts, on the tick, with both sides of every match in the tape', () => {
    expect(day42.accepted.count).toBeGreaterThan(10_000);
    expect([...day42.accepted.accounts].sort()).toEqual(Object.values(AGENT_ACCOUNTS).sort());
    expect([...day42.accepted.products].sort()).toEqual(['CNC', 'NRML']);
    expect(day42.events).toEqual([]);
    expect(day42.selfTrades).toBe(0);
    // The inventory skew keeps the makers' positions small against the day's volume.
    for (const p of day42.exchange.positions(AGENT_ACCOUNTS.maker)) {
      expect(Math.abs(p.quantity)).toBeLessThan(
        0.01 * day42.exchange.marketStats(p.instrument_token)!.volume,
      );
    }
  });

  it('replays the same day for the same seed whatever the step sizes, and another day for another seed', () => {
    const again = start(42);
    const r = new Random(5);
    for (let t = at(9, 0); t < at(15, 35); t += 1 + r.int(90_000)) again.sim.step(t);
    again.sim.step(at(15, 35));
    const other = start(43);
    other.sim.step(at(10, 0));
    const hash = day42.tape.copy().digest('hex');
    expect(again.tape.digest('hex')).toBe(hash);
    const firstHour = start(42);
    firstHour.sim.step(at(10, 0));
    expect(other.tape.digest('hex')).not.toBe(firstHour.tape.digest('hex'));
  });

  it('gives the same tape for any step schedule (property: the open and ten minutes of six instruments)', () => {
    const tapeOf = (increments: readonly number[]) => {
      const r = start(11, at(9, 14));
      let t = at(9, 14);
      for (const d of increments) {
        t = Math.min(t + d, at(9, 25));
        r.sim.step(t);
      }
      r.sim.step(at(9, 25));
      return r.tape.digest('hex');
    };
    const reference = tapeOf([11 * 60_000]);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 120_000 }), { minLength: 1, maxLength: 40 }),
        (increments) => {
          expect(tapeOf(increments)).toBe(reference);
        },
      ),
      { seed: 12, numRuns: 8 },
    );
  });

  it('fills a user order against the makers, in the user account only', () => {
    const r = start(42, at(11, 0));
    r.sim.step(at(11, 1));
    const reliance = picked.find((i) => i.tradingsymbol === 'RELIANCE')!;
    r.clock.now = at(11, 1);
    const placed = r.exchange.placeOrder({
      account: 'AB1234',
      variety: 'regular',
      exchange: 'NSE',
      tradingsymbol: 'RELIANCE',
      transaction_type: 'BUY',
      order_type: 'MARKET',
      quantity: 10,
      product: 'MIS',
    });
    expect(placed.ok).toBe(true);
    r.sim.step(at(11, 2));
    expect(r.events.map((e) => (e.type === 'trade' ? e.trade.quantity : 0)).reduce((a, b) => a + b, 0)).toBe(
      10,
    );
    const mine = r.exchange.positions('AB1234');
    expect(mine).toEqual([
      expect.objectContaining({ instrument_token: reliance.instrument_token, quantity: 10 }),
    ]);
  });
});

describe('MarketSimulator: makers and activity', () => {
  it('requotes by modifying its orders, and trades less with a lower activity', () => {
    const count = (activity: number) => {
      const clock = new MarketClock(at(10, 0));
      let modified = 0;
      const exchange = new Exchange({
        instruments,
        now: clock.read,
        onEvent: (e) => {
          if (e.type === 'modified' && e.order.account === AGENT_ACCOUNTS.maker) modified++;
        },
      });
      const sim = new MarketSimulator({
        exchange,
        instruments,
        seed: 3,
        tradingDate: DATE,
        marketHours: true,
        clock,
        tokens: [picked[0]!.instrument_token],
        activity,
      });
      sim.step(at(10, 30));
      return { modified, volume: exchange.marketStats(picked[0]!.instrument_token)!.volume };
    };
    const full = count(1);
    const light = count(0.3);
    expect(full.modified).toBeGreaterThan(100);
    expect(light.volume).toBeLessThan(0.6 * full.volume);
  });
});

describe('MarketSimulator: options', () => {
  it('quotes near-the-money weekly options two-sided, 1-3 ticks wide, around their Black-76 value', () => {
    const chain = instruments.filter(
      (i) =>
        i.tradingsymbol.startsWith('NIFTY25D02') &&
        Math.abs(i.strike - 2_600_000) <= 10_000 &&
        (i.instrument_type === 'CE' || i.instrument_type === 'PE'),
    );
    expect(chain.length).toBe(10);
    const clock = new MarketClock(at(11, 0));
    const exchange = new Exchange({ instruments, now: clock.read, onEvent: () => undefined });
    const sim = new MarketSimulator({
      exchange,
      instruments,
      seed: 42,
      tradingDate: DATE,
      marketHours: true,
      clock,
      tokens: chain.map((i) => i.instrument_token),
    });
    let samples = 0;
    let atCircuit = 0;
    let twoSided = 0;
    let tight = 0;
    let nearFair = 0;
    for (let t = at(11, 0); t <= at(11, 30); t += 5_000) {
      sim.step(t);
      if (t < at(11, 1)) continue;
      for (const i of chain) {
        const book = exchange.book(i.exchange, i.tradingsymbol)!;
        const fair = sim.model.fairValue(i.instrument_token, t);
        // Beyond a circuit the book is one-sided at the limit, as on the exchange (see README).
        if (fair > i.upperCircuit - 3 * i.tick_size || fair < i.lowerCircuit + 3 * i.tick_size) {
          atCircuit++;
          continue;
        }
        samples++;
        if (book.bestBid() === 0 || book.bestAsk() === 0) continue;
        twoSided++;
        const ticks = (book.bestAsk() - book.bestBid()) / i.tick_size;
        if (ticks >= 1 && ticks <= 3) tight++;
        const mid = (book.bestAsk() + book.bestBid()) / 2;
        // The makers requote every 2 s: within 2 s a near-money premium moves a few ticks.
        if (Math.abs(mid - fair) <= 10 * i.tick_size) nearFair++;
      }
    }
    if (process.env['MARKET_FIGURES'] === '1')
      console.log({
        beyondBand: atCircuit / (samples + atCircuit),
        twoSided: twoSided / samples,
        tight: tight / twoSided,
        nearFair: nearFair / twoSided,
      });
    // The band (premium +-1.5% of the index) holds a near-the-money premium through the half hour.
    expect(atCircuit / (samples + atCircuit)).toBeLessThan(0.02);
    expect(twoSided / samples).toBeGreaterThan(0.95);
    expect(tight / twoSided).toBeGreaterThan(0.9);
    expect(nearFair / twoSided).toBeGreaterThan(0.9);
  });
});

describe('MarketSimulator: always open', () => {
  it('trades at night, across IST midnight, never with itself, and the same for the same seed', () => {
    const run = () => {
      const clock = new MarketClock(at(23, 50));
      const tape = createHash('sha256');
      const selfTrades: string[] = [];
      const byOrder = new Map<number, string>();
      const exchange = new Exchange({
        instruments,
        now: clock.read,
        onEvent: (e) => {
          if (e.type !== 'trade') return;
          const t = e.trade;
          tape.update(`${t.instrument_token},${t.account},${t.price},${t.quantity},${t.fill_timestamp};`);
          // Both sides of a match share a trade id: the same account on both is a self-trade.
          const other = byOrder.get(Number(t.trade_id));
          if (other === t.account && t.account === AGENT_ACCOUNTS.maker) selfTrades.push(t.trade_id);
          byOrder.set(Number(t.trade_id), t.account);
        },
      });
      const sim = new MarketSimulator({
        exchange,
        instruments,
        seed: 9,
        tradingDate: DATE,
        marketHours: false,
        clock,
        session: new SessionClock(exchange, false),
        tokens: picked.slice(0, 2).map((i) => i.instrument_token),
      });
      for (let t = at(23, 50); t <= at(24, 10); t += 7_000) sim.step(t);
      const stats = exchange.marketStats(picked[0]!.instrument_token)!;
      return { hash: tape.digest('hex'), volume: stats.volume, selfTrades };
    };
    const a = run();
    expect(a.volume).toBeGreaterThan(0);
    expect(a.selfTrades).toEqual([]);
    expect(run().hash).toBe(a.hash);
  });
});
