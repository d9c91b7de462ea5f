import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Price } from '../../../shared/domain/money';
import type { RpcError } from '../../../shared/rpc/errors';
import type { AlgoSpecInput, AlgoView } from '../../../shared/services/algos';
import type { Instrument } from '../market/instruments';
import { createClientOrderIdSource } from '../oms/clientOrderId';
import { OrderManager } from '../oms/orderManager';
import { OrderRateLimiter } from '../risk/orderRate';
import { PreTradeRisk } from '../risk/preTrade';
import { openEngineDatabase } from '../store';
import type { EngineDatabase } from '../store';
import { AlgoStore } from '../store/algoStore';
import { OrderJournal } from '../store/orderJournal';
import { StandInBroker } from '../testing/standInBroker';
import { until } from '../testing/until';
import type { AlgoQuote } from './algo';
import { AlgoEngine } from './algoEngine';
import { SESSION_MINUTES } from './schedule';
import { MAX_CHILD_MODIFIES } from './scheduled';

// TWAP and VWAP over the real OMS (validation, risk, the SQLite journal) with a stand-in broker whose
// order updates the test pushes, and a clock and a quote the test moves: what each step sends, at
// what price and size, is checked exactly. The local exchange test (algos.exchange.test.ts) runs them
// against a real market.

const TOKEN = 408_065;
const INFY: Instrument = {
  instrumentToken: TOKEN,
  exchangeToken: TOKEN >> 8,
  tradingSymbol: 'INFY',
  name: 'INFOSYS',
  lastPrice: 150_000 as Price,
  expiry: '',
  strike: 0 as Price,
  tickSize: 5,
  lotSize: 1,
  instrumentType: 'EQ',
  segment: 'NSE',
  exchange: 'NSE',
  priceDivisor: 100,
  freezeQuantity: null,
};

let dir: string;
let db: EngineDatabase;
let oms: OrderManager;
let algos: AlgoEngine;
let broker: StandInBroker;
/** The engine's clock runs at the wall clock plus what the test has moved it by. */
let skew = 0;
const now = () => Date.now() + skew;
let quote: AlgoQuote = { lastPrice: 150_000, bidPrice: 149_995, askPrice: 150_005, volume: 10_000 };
const priceListeners = new Set<() => void>();
const logLines: string[] = [];

async function start(
  existing?: StandInBroker,
  minuteHistory?: (token: number, from: number, to: number) => Promise<{ time: number; volume: number }[]>,
): Promise<void> {
  broker = existing ?? new StandInBroker(INFY);
  const journal = new OrderJournal(db, now);
  const ids = createClientOrderIdSource(now(), Math.random);
  journal.startRun(ids.runPrefix);
  const rate = new OrderRateLimiter();
  oms = new OrderManager({
    journal,
    instrument: (t) => (t === TOKEN ? INFY : undefined),
    lastPrice: () => quote.lastPrice,
    risk: new PreTradeRisk({ global: {}, fatFingerBasisPoints: 500, duplicateWindowMs: 1_000 }, rate),
    rate,
    riskState: () => 'ACTIVE',
    ids,
    now,
    log: (l) => logLines.push(l),
    pollMs: 600_000,
  });
  algos = new AlgoEngine({
    oms,
    store: new AlgoStore(db),
    instrument: (t) => (t === TOKEN ? INFY : undefined),
    lastPrice: () => quote.lastPrice,
    quote: () => quote,
    ...(minuteHistory === undefined ? {} : { minuteHistory }),
    watch: (_token, listener) => {
      priceListeners.add(listener);
      return { dispose: () => priceListeners.delete(listener) };
    },
    runPrefix: ids.runPrefix,
    now,
    random: () => 0.5,
    log: (l) => logLines.push(l),
    stepMs: 60_000,
  });
  await oms.attach(broker.venue(), 'test:T1');
  await until('reconciled', () => (oms.reconciliationState.state === 'ok' ? true : undefined));
}

/** A new quote, told to the algorithm as a tick would. */
function tick(change: Partial<AlgoQuote>): void {
  quote = { ...quote, ...change };
  for (const l of priceListeners) l();
}

/** Moves the engine's clock and lets the algorithm step (a tick with an unchanged quote). */
function advance(ms: number): void {
  skew += ms;
  tick({});
}

const algo = (id: string): AlgoView => {
  const a = algos.get(id);
  if (a === undefined) throw new Error(`no algo ${id}`);
  return a;
};

const acked = () =>
  until('acknowledged', () => (oms.list().every((o) => o.state !== 'SENT') ? true : undefined));

/** Waits until no child has a request unanswered. */
const settled = () =>
  until('settled', () =>
    oms.list().every((o) => !['SENT', 'MODIFY_PENDING', 'CANCEL_PENDING'].includes(o.state))
      ? true
      : undefined,
  );

/** A TWAP buy of 100 INFY over 50 s in 5 slices without jitter unless `more` says otherwise. */
const twap = (more: Partial<AlgoSpecInput & { kind: 'twap' }> = {}): AlgoSpecInput => ({
  kind: 'twap',
  instrumentToken: TOKEN,
  side: 'BUY',
  quantity: 100,
  product: 'MIS',
  durationSeconds: 50,
  slices: 5,
  jitter: 0,
  ...more,
});

/** Reports the broker's view of the `n`th order after the modifies the OMS sent it (quantity, price). */
function reportModified(n: number, status: string, filled = 0): void {
  const mine = broker.modifies.filter((m) => m.orderId === `V${n}`);
  const quantity = mine.findLast((m) => m.quantity !== undefined)?.quantity;
  const price = mine.findLast((m) => m.price !== undefined)?.price;
  broker.report(n, status, filled, {
    ...(quantity === undefined ? {} : { quantity }),
    ...(price === undefined ? {} : { price }),
  });
}

/** The broker takes every modify the OMS has sent it and waits on (the order stays open with its fills). */
async function answerModifies(): Promise<void> {
  const answered = new Map<string, number>();
  await until('modifies answered', () => {
    for (const o of oms.list()) {
      if (o.state !== 'MODIFY_PENDING') continue;
      const n = broker.sent.findIndex((r) => r.clientOrderId === o.clientOrderId) + 1;
      const sent = broker.modifies.filter((m) => m.orderId === `V${n}`).length;
      if (sent === 0 || answered.get(o.clientOrderId) === sent) continue;
      answered.set(o.clientOrderId, sent);
      reportModified(n, 'OPEN', o.filledQuantity);
    }
    return oms.list().some((o) => ['SENT', 'MODIFY_PENDING', 'CANCEL_PENDING'].includes(o.state))
      ? undefined
      : true;
  });
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'scheduled-'));
  db = openEngineDatabase({ file: path.join(dir, 'engine.sqlite'), synchronous: 'NORMAL' });
  skew = 0;
  quote = { lastPrice: 150_000, bidPrice: 149_995, askPrice: 150_005, volume: 10_000 };
  priceListeners.clear();
  logLines.length = 0;
});

afterEach(() => {
  algos.dispose();
  oms.dispose();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a TWAP over the OMS', () => {
  it('sends each slice at the near touch as it falls due, adds the next to the working child, and completes', async () => {
    await start();
    const a = algos.start(twap());
    expect(a.kind).toBe('twap');
    // The first slice is due at the window's start: 20 at the bid.
    expect(broker.sent.map((r) => [r.side, r.orderType, r.quantity, r.price])).toEqual([
      ['BUY', 'LIMIT', 20, 149_995],
    ]);
    expect(oms.list()[0]?.parentId).toBe(a.algoId);
    await acked();
    broker.report(1, 'OPEN');
    advance(4_000);
    expect(broker.modifies).toHaveLength(0);
    broker.report(1, 'COMPLETE', 20);
    // Nothing more until the next slice is due (10 s); then a new child, as none works.
    advance(5_000);
    expect(broker.sent).toHaveLength(1);
    advance(1_000);
    expect(broker.sent.map((r) => r.quantity)).toEqual([20, 20]);
    await acked();
    broker.report(2, 'OPEN');
    // The third falls due while the second still works, unfilled for a whole slice: first moved to
    // the ask, then the third's 20 added to it (a modify of its quantity, once the first is answered).
    advance(10_000);
    expect(broker.sent).toHaveLength(2);
    expect(broker.modifies.map((m) => [m.price, m.quantity])).toEqual([[150_005, undefined]]);
    await answerModifies();
    tick({});
    expect(broker.modifies.map((m) => [m.price, m.quantity])).toEqual([
      [150_005, undefined],
      [undefined, 40],
    ]);
    reportModified(2, 'COMPLETE', 40);
    await settled();
    expect(algo(a.algoId).filledQuantity).toBe(60);
    advance(10_000);
    await acked();
    broker.report(3, 'COMPLETE', 20);
    advance(10_000);
    await acked();
    broker.report(4, 'COMPLETE', 20);
    await until('completed', () => (algo(a.algoId).status === 'COMPLETED' ? true : undefined));
    const done = algo(a.algoId);
    expect(done.filledQuantity).toBe(100);
    expect(done.benchmark?.arrivalPrice).toBe(150_000);
    // (The stand-in reports fills at a child's first price.)
    expect(done.reason).toMatch(/^100 of 100 filled at 1,499\.95 \(-0\.3 bps vs arrival/);
    // Never more than the total on the wire.
    expect(broker.sent.reduce((n, r) => n + r.quantity, 0) + 20).toBe(100);
  });

  it('moves an unfilled child to the far touch after half a slice, and at once near the end', async () => {
    await start();
    const a = algos.start(twap());
    await acked();
    broker.report(1, 'OPEN');
    // Half a slice (5 s) later it has not filled: repriced to the ask.
    advance(4_000);
    expect(broker.modifies).toHaveLength(0);
    advance(1_000);
    expect(broker.modifies.map((m) => m.price)).toEqual([150_005]);
    reportModified(1, 'OPEN');
    await settled();
    // The ask moves up: followed once another half slice has passed.
    tick({ bidPrice: 150_005, askPrice: 150_010 });
    expect(broker.modifies).toHaveLength(1);
    advance(5_000);
    expect(broker.modifies.map((m) => m.price)).toEqual([150_005, 150_010]);
    expect(algo(a.algoId).phase).toMatch(/20 of 100 filled|0 of 100 filled/);
  });

  it('never buys above its limit, and ends EXPIRED with the rest cancelled when the window closes', async () => {
    await start();
    const a = algos.start(twap({ limitPrice: 149_900 }));
    expect(broker.sent[0]?.price).toBe(149_900);
    await acked();
    broker.report(1, 'OPEN', 5);
    for (let t = 0; t < 49; t++) {
      advance(1_000);
      await answerModifies();
    }
    // The far touch is above the limit: every repricing keeps it at the limit (no modify of price).
    expect(broker.modifies.every((m) => m.price === undefined || m.price <= 149_900)).toBe(true);
    await settled();
    advance(1_000);
    expect(broker.cancels).toHaveLength(1);
    broker.report(1, 'CANCELLED', 5);
    await until('expired', () => (algo(a.algoId).status === 'EXPIRED' ? true : undefined));
    expect(algo(a.algoId).reason).toMatch(/^the window ended with 5 of 100 filled at 1,499\.00/);
    expect(algo(a.algoId).filledQuantity).toBe(5);
  });

  it('keeps to the participation cap of the market volume since its start', async () => {
    await start();
    const a = algos.start(twap({ participation: 0.1 }));
    // No volume since the start: nothing may go.
    expect(broker.sent).toHaveLength(0);
    expect(algo(a.algoId).phase).toMatch(/20 due by now, 20 behind/);
    tick({ volume: 10_000 + 150 });
    expect(broker.sent.map((r) => r.quantity)).toEqual([15]);
    await acked();
    broker.report(1, 'COMPLETE', 15);
    // 250 traded since the start: 25 is the cap, 15 are done; 20 are due: 5 more.
    tick({ volume: 10_000 + 250 });
    expect(broker.sent.map((r) => r.quantity)).toEqual([15, 5]);
  });

  it('with catch-up off sends each slice at most its own quantity', async () => {
    await start();
    const a = algos.start(twap({ catchUp: false, participation: 0.1 }));
    tick({ volume: 10_000 + 50 });
    expect(broker.sent.map((r) => r.quantity)).toEqual([5]);
    await acked();
    broker.report(1, 'COMPLETE', 5);
    // The second slice falls due with plenty of volume: 20 (its own), not the 35 it is behind.
    skew += 10_000;
    tick({ volume: 10_000 + 10_000 });
    expect(broker.sent.map((r) => r.quantity)).toEqual([5, 20]);
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(40);
  });

  it('replaces a child modified MAX_CHILD_MODIFIES times instead of modifying it again', async () => {
    await start();
    algos.start(twap({ durationSeconds: 3_600, slices: 2 }));
    await acked();
    broker.report(1, 'OPEN');
    for (let k = 0; k < MAX_CHILD_MODIFIES; k++) {
      tick({ askPrice: 150_005 + 5 * (k + 1), bidPrice: 150_000 + 5 * (k + 1) });
      advance(30_000);
      await answerModifies();
    }
    expect(broker.modifies).toHaveLength(MAX_CHILD_MODIFIES);
    expect(broker.cancels).toHaveLength(0);
    // The ask moves again: the child is replaced, not modified a 21st time.
    tick({ askPrice: 151_000, bidPrice: 150_995 });
    advance(30_000);
    expect(broker.cancels).toHaveLength(1);
    broker.report(1, 'CANCELLED');
    await settled();
    advance(1_000);
    // A fresh child for the 50 due (the first slice), at the near touch of the new quote.
    expect(broker.modifies).toHaveLength(MAX_CHILD_MODIFIES);
    expect(broker.sent.map((r) => [r.quantity, r.price])).toEqual([
      [50, 149_995],
      [50, 150_995],
    ]);
  });

  it('resumes after a restart from its row and children without sending anything again', async () => {
    await start();
    const a = algos.start(twap());
    await acked();
    broker.report(1, 'COMPLETE', 20);
    advance(10_000);
    await acked();
    broker.report(2, 'OPEN', 5);
    algos.dispose();
    oms.dispose();
    const same = broker;
    await start(same);
    await until('rebuilt', () => (algos.get(a.algoId) !== undefined ? true : undefined));
    expect(broker.sent).toHaveLength(2);
    expect(algo(a.algoId).filledQuantity).toBe(25);
    expect(algo(a.algoId).status).toBe('WORKING');
    // The next slice adds to the working child (after moving it to the ask: it waited a slice).
    advance(10_000);
    await answerModifies();
    tick({});
    expect(broker.sent).toHaveLength(2);
    expect(broker.modifies.map((m) => [m.price, m.quantity])).toEqual([
      [150_005, undefined],
      [undefined, 40],
    ]);
  });

  it('refuses what cannot work: off the tick, a lot fraction, a quantity below what is done', async () => {
    await start();
    const refused = (spec: AlgoSpecInput) => {
      try {
        algos.start(spec);
        return undefined;
      } catch (e) {
        return (e as RpcError).details;
      }
    };
    expect(refused(twap({ limitPrice: 149_901 }))).toEqual({ code: 'INVALID_ALGO' });
    expect(broker.sent).toHaveLength(0);
    const a = algos.start(twap());
    await acked();
    broker.report(1, 'COMPLETE', 20);
    await settled();
    expect(() => algos.modify({ algoId: a.algoId, quantity: 10 })).toThrow(/below the 20 already filled/);
    expect(() => algos.modify({ algoId: a.algoId, stopPrice: 140_000 })).toThrow(/no target or stop/);
    // A smaller total is taken: the rest of the schedule scales to it.
    algos.modify({ algoId: a.algoId, quantity: 50 });
    advance(10_000);
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(20);
  });

  it('measures the interval VWAP from the volume the ticks report', async () => {
    await start();
    const a = algos.start(twap({ slices: 2, durationSeconds: 100 }));
    tick({ volume: 10_100, lastPrice: 150_100 });
    tick({ volume: 10_400, lastPrice: 150_000 });
    const b = algo(a.algoId).benchmark;
    expect(b?.marketVolume).toBe(400);
    // (100 x 1,501.00 + 300 x 1,500.00) / 400
    expect(b?.intervalVwap).toBeCloseTo((100 * 150_100 + 300 * 150_000) / 400, 6);
  });
});

/** 09:15 IST on the IST day of `t`. */
function istSessionOpen(t: number): number {
  const IST = 19_800_000;
  return Math.floor((t + IST) / 86_400_000) * 86_400_000 - IST + 33_300_000;
}

describe('a VWAP over the OMS', () => {
  /** The engine's clock at 10:00 IST today: minute 45 of the session. */
  beforeEach(() => {
    skew = istSessionOpen(Date.now()) + 45 * 60_000 - Date.now();
  });

  const vwap = (durationSeconds = 300): AlgoSpecInput => ({
    kind: 'vwap',
    instrumentToken: TOKEN,
    side: 'BUY',
    quantity: 99,
    product: 'MIS',
    durationSeconds,
  });

  it('spreads the order along the curve it is given', async () => {
    await start();
    // Three quarters of the window's weight in its first minute, a quarter in its second.
    const curve = new Float64Array(SESSION_MINUTES);
    curve[45] = 3;
    curve[46] = 1;
    const a = algos.start(vwap(120), { curve, note: 'test' });
    advance(30_000);
    // Half of the first minute: 3/8 of 99, in whole units.
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(37);
    advance(30_000);
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(74);
    advance(30_000);
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(87);
  });

  it('builds its curve from the past sessions of 1-minute history (smoothed over 2 minutes each way)', async () => {
    const day = 86_400_000;
    const open = istSessionOpen(Date.now() + skew);
    // Three past days that traded only at 10:00: smoothed, minutes 43 to 47 weigh a fifth each.
    const history = [1, 2, 3].map((d) => ({ time: open - d * day + 45 * 60_000, volume: 1_000 }));
    await start(undefined, () => Promise.resolve(history));
    const a = await algos.startWithHistory(vwap());
    advance(60_000);
    // The window [45, 50) holds minutes 45, 46 and 47 of the curve: a third done after one minute.
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(33);
    advance(120_000);
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(99);
    expect(logLines.join('\n')).not.toMatch(/step failed/);
  });

  it('is flat without history, and spreads evenly in time', async () => {
    await start(undefined, () => Promise.reject(new Error('no history here')));
    const a = await algos.startWithHistory(vwap());
    advance(60_000);
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(20);
  });
});
