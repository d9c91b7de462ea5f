import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RpcError } from '../../../shared/rpc/errors';
import type { AlgoSpecInput } from '../../../shared/services/algos';
import { AlgoHarness } from '../testing/algoHarness';
import { INFY } from '../testing/testInstruments';
import { until } from '../testing/until';
import { SESSION_MINUTES } from './schedule';
import { MAX_CHILD_MODIFIES } from './scheduled';

// TWAP and VWAP over the real OMS (validation, risk, the SQLite journal) with a stand-in broker whose
// order updates the test pushes, and a clock and a quote the test moves: what each step sends, at
// what price and size, is checked exactly. The local exchange test (algos.exchange.test.ts) runs them
// against a real market.

const TOKEN = INFY.instrumentToken;

const h = new AlgoHarness(INFY, { lastPrice: 150_000, bidPrice: 149_995, askPrice: 150_005, volume: 10_000 });
const start = (...args: Parameters<AlgoHarness['start']>) => h.start(...args);
const tick = (change: Parameters<AlgoHarness['tick']>[0]) => {
  h.tick(change);
};
const advance = (ms: number) => {
  h.advance(ms);
};
const algo = (id: string) => h.algo(id);
const acked = () => h.acked();
const settled = () => h.settled();
const answerModifies = () => h.answerModifies();
const reportModified = (n: number, status: string, filled = 0) => {
  h.reportModified(n, status, filled);
};

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

beforeEach(() => {
  h.open();
});

afterEach(() => {
  h.close();
});

describe('a TWAP over the OMS', () => {
  it('sends each slice at the near touch as it falls due, adds the next to the working child, and completes', async () => {
    await start();
    const a = h.algos.start(twap());
    expect(a.kind).toBe('twap');
    // The first slice is due at the window's start: 20 at the bid.
    expect(h.broker.sent.map((r) => [r.side, r.orderType, r.quantity, r.price])).toEqual([
      ['BUY', 'LIMIT', 20, 149_995],
    ]);
    expect(h.oms.list()[0]?.parentId).toBe(a.algoId);
    await acked();
    h.broker.report(1, 'OPEN');
    advance(4_000);
    expect(h.broker.modifies).toHaveLength(0);
    h.broker.report(1, 'COMPLETE', 20);
    // Nothing more until the next slice is due (10 s); then a new child, as none works.
    advance(5_000);
    expect(h.broker.sent).toHaveLength(1);
    advance(1_000);
    expect(h.broker.sent.map((r) => r.quantity)).toEqual([20, 20]);
    await acked();
    h.broker.report(2, 'OPEN');
    // The third falls due while the second still works, unfilled for a whole slice: first moved to
    // the ask, then the third's 20 added to it (a modify of its quantity, once the first is answered).
    advance(10_000);
    expect(h.broker.sent).toHaveLength(2);
    expect(h.broker.modifies.map((m) => [m.price, m.quantity])).toEqual([[150_005, undefined]]);
    await answerModifies();
    tick({});
    expect(h.broker.modifies.map((m) => [m.price, m.quantity])).toEqual([
      [150_005, undefined],
      [undefined, 40],
    ]);
    reportModified(2, 'COMPLETE', 40);
    await settled();
    expect(algo(a.algoId).filledQuantity).toBe(60);
    advance(10_000);
    await acked();
    h.broker.report(3, 'COMPLETE', 20);
    advance(10_000);
    await acked();
    h.broker.report(4, 'COMPLETE', 20);
    await until('completed', () => (algo(a.algoId).status === 'COMPLETED' ? true : undefined));
    const done = algo(a.algoId);
    expect(done.filledQuantity).toBe(100);
    expect(done.benchmark?.arrivalPrice).toBe(150_000);
    // (The stand-in reports fills at a child's first price.)
    expect(done.reason).toMatch(/^100 of 100 filled at 1,499\.95 \(-0\.3 bps vs arrival/);
    // Never more than the total on the wire.
    expect(h.broker.sent.reduce((n, r) => n + r.quantity, 0) + 20).toBe(100);
  });

  it('moves an unfilled child to the far touch after half a slice, and at once near the end', async () => {
    await start();
    const a = h.algos.start(twap());
    await acked();
    h.broker.report(1, 'OPEN');
    // Half a slice (5 s) later it has not filled: repriced to the ask.
    advance(4_000);
    expect(h.broker.modifies).toHaveLength(0);
    advance(1_000);
    expect(h.broker.modifies.map((m) => m.price)).toEqual([150_005]);
    reportModified(1, 'OPEN');
    await settled();
    // The ask moves up: followed once another half slice has passed.
    tick({ bidPrice: 150_005, askPrice: 150_010 });
    expect(h.broker.modifies).toHaveLength(1);
    advance(5_000);
    expect(h.broker.modifies.map((m) => m.price)).toEqual([150_005, 150_010]);
    expect(algo(a.algoId).phase).toMatch(/20 of 100 filled|0 of 100 filled/);
  });

  it('never buys above its limit, and ends EXPIRED with the rest cancelled when the window closes', async () => {
    await start();
    const a = h.algos.start(twap({ limitPrice: 149_900 }));
    expect(h.broker.sent[0]?.price).toBe(149_900);
    await acked();
    h.broker.report(1, 'OPEN', 5);
    for (let t = 0; t < 49; t++) {
      advance(1_000);
      await answerModifies();
    }
    // The far touch is above the limit: every repricing keeps it at the limit (no modify of price).
    expect(h.broker.modifies.every((m) => m.price === undefined || m.price <= 149_900)).toBe(true);
    await settled();
    advance(1_000);
    expect(h.broker.cancels).toHaveLength(1);
    h.broker.report(1, 'CANCELLED', 5);
    await until('expired', () => (algo(a.algoId).status === 'EXPIRED' ? true : undefined));
    expect(algo(a.algoId).reason).toMatch(/^the window ended with 5 of 100 filled at 1,499\.00/);
    expect(algo(a.algoId).filledQuantity).toBe(5);
  });

  it('keeps to the participation cap of the market volume since its start', async () => {
    await start();
    const a = h.algos.start(twap({ participation: 0.1 }));
    // No volume since the start: nothing may go.
    expect(h.broker.sent).toHaveLength(0);
    expect(algo(a.algoId).phase).toMatch(/20 due by now, 20 behind/);
    tick({ volume: 10_000 + 150 });
    expect(h.broker.sent.map((r) => r.quantity)).toEqual([15]);
    await acked();
    h.broker.report(1, 'COMPLETE', 15);
    // 250 traded since the start: 25 is the cap, 15 are done; 20 are due: 5 more.
    tick({ volume: 10_000 + 250 });
    expect(h.broker.sent.map((r) => r.quantity)).toEqual([15, 5]);
  });

  it('with catch-up off sends each slice at most its own quantity', async () => {
    await start();
    const a = h.algos.start(twap({ catchUp: false, participation: 0.1 }));
    tick({ volume: 10_000 + 50 });
    expect(h.broker.sent.map((r) => r.quantity)).toEqual([5]);
    await acked();
    h.broker.report(1, 'COMPLETE', 5);
    // The second slice falls due with plenty of volume: 20 (its own), not the 35 it is behind.
    h.skew += 10_000;
    tick({ volume: 10_000 + 10_000 });
    expect(h.broker.sent.map((r) => r.quantity)).toEqual([5, 20]);
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(40);
  });

  it('replaces a child modified MAX_CHILD_MODIFIES times instead of modifying it again', async () => {
    await start();
    h.algos.start(twap({ durationSeconds: 3_600, slices: 2 }));
    await acked();
    h.broker.report(1, 'OPEN');
    for (let k = 0; k < MAX_CHILD_MODIFIES; k++) {
      tick({ askPrice: 150_005 + 5 * (k + 1), bidPrice: 150_000 + 5 * (k + 1) });
      advance(30_000);
      await answerModifies();
    }
    expect(h.broker.modifies).toHaveLength(MAX_CHILD_MODIFIES);
    expect(h.broker.cancels).toHaveLength(0);
    // The ask moves again: the child is replaced, not modified a 21st time.
    tick({ askPrice: 151_000, bidPrice: 150_995 });
    advance(30_000);
    expect(h.broker.cancels).toHaveLength(1);
    h.broker.report(1, 'CANCELLED');
    await settled();
    advance(1_000);
    // A fresh child for the 50 due (the first slice), at the near touch of the new quote.
    expect(h.broker.modifies).toHaveLength(MAX_CHILD_MODIFIES);
    expect(h.broker.sent.map((r) => [r.quantity, r.price])).toEqual([
      [50, 149_995],
      [50, 150_995],
    ]);
  });

  it('resumes after a restart from its row and children without sending anything again', async () => {
    await start();
    const a = h.algos.start(twap());
    await acked();
    h.broker.report(1, 'COMPLETE', 20);
    advance(10_000);
    await acked();
    h.broker.report(2, 'OPEN', 5);
    h.stop();
    const same = h.broker;
    await start(same);
    await until('rebuilt', () => (h.algos.get(a.algoId) !== undefined ? true : undefined));
    expect(h.broker.sent).toHaveLength(2);
    expect(algo(a.algoId).filledQuantity).toBe(25);
    expect(algo(a.algoId).status).toBe('WORKING');
    // The next slice adds to the working child (after moving it to the ask: it waited a slice).
    advance(10_000);
    await answerModifies();
    tick({});
    expect(h.broker.sent).toHaveLength(2);
    expect(h.broker.modifies.map((m) => [m.price, m.quantity])).toEqual([
      [150_005, undefined],
      [undefined, 40],
    ]);
  });

  it('refuses what cannot work: off the tick, a lot fraction, a quantity below what is done', async () => {
    await start();
    const refused = (spec: AlgoSpecInput) => {
      try {
        h.algos.start(spec);
        return undefined;
      } catch (e) {
        return (e as RpcError).details;
      }
    };
    expect(refused(twap({ limitPrice: 149_901 }))).toEqual({ code: 'INVALID_ALGO' });
    expect(h.broker.sent).toHaveLength(0);
    const a = h.algos.start(twap());
    await acked();
    h.broker.report(1, 'COMPLETE', 20);
    await settled();
    expect(() => h.algos.modify({ algoId: a.algoId, quantity: 10 })).toThrow(/below the 20 already filled/);
    expect(() => h.algos.modify({ algoId: a.algoId, stopPrice: 140_000 })).toThrow(/no target or stop/);
    // A smaller total is taken: the rest of the schedule scales to it.
    h.algos.modify({ algoId: a.algoId, quantity: 50 });
    advance(10_000);
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(20);
  });

  it('measures the interval VWAP from the volume the ticks report', async () => {
    await start();
    const a = h.algos.start(twap({ slices: 2, durationSeconds: 100 }));
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
    h.skew = istSessionOpen(Date.now()) + 45 * 60_000 - Date.now();
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
    const a = h.algos.start(vwap(120), { curve, note: 'test' });
    // All due 12 s (a tenth) before the end: the schedule covers the first minute's weight 3 and
    // 48 s of the second's 1, 3.8 in all.
    advance(30_000);
    // Half of the first minute: 1.5/3.8 of 99, in whole units.
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(39);
    advance(30_000);
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(78);
    advance(30_000);
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(91);
    advance(18_000);
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(99);
  });

  it('builds its curve from the past sessions of 1-minute history (smoothed over 2 minutes each way)', async () => {
    const day = 86_400_000;
    const open = istSessionOpen(Date.now() + h.skew);
    // Three past days that traded only at 10:00: smoothed, minutes 43 to 47 weigh a fifth each.
    const history = [1, 2, 3].map((d) => ({ time: open - d * day + 45 * 60_000, volume: 1_000 }));
    await start(undefined, { minuteHistory: () => Promise.resolve(history) });
    const a = await h.algos.startWithHistory(vwap());
    advance(60_000);
    // The window [45, 50) holds minutes 45, 46 and 47 of the curve: a third done after one minute.
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(33);
    advance(120_000);
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(99);
    expect(h.logLines.join('\n')).not.toMatch(/step failed/);
  });

  it('is flat without history, and spreads evenly in time', async () => {
    await start(undefined, { minuteHistory: () => Promise.reject(new Error('no history here')) });
    const a = await h.algos.startWithHistory(vwap());
    advance(60_000);
    // Evenly over the first 270 s of the 300 (all due a tenth before the end): 60/270 of 99.
    expect(algo(a.algoId).benchmark?.scheduledQuantity).toBe(22);
  });
});
