import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RpcError } from '../../../shared/rpc/errors';
import type { AlgoSpecInput } from '../../../shared/services/algos';
import type { Gtt } from '../broker/types';
import type { GttRequest } from '../broker/kite/parse';
import { AlgoHarness } from '../testing/algoHarness';
import type { GttBroker } from './algo';
import { GTT_POLL_MS } from './conditional';
import { INFY } from '../testing/testInstruments';
import { until } from '../testing/until';

// Conditional orders over the real OMS with a stand-in broker (testing/algoHarness.ts): nothing is
// sent before the condition is met; once it is, exactly one order (or one bracket's entry) goes.

const TOKEN = INFY.instrumentToken;

const h = new AlgoHarness(INFY, { lastPrice: 150_000, bidPrice: 149_995, askPrice: 150_005, volume: 10_000 });

beforeEach(() => {
  h.open();
});

afterEach(() => {
  h.close();
});

type Spec = AlgoSpecInput & { kind: 'conditional' };

/** Buy 10 INFY with a LIMIT at 1,502.00 when the last price reaches 1,501.00, unless `more` says otherwise. */
const conditional = (more: Partial<Spec> = {}): AlgoSpecInput => ({
  kind: 'conditional',
  instrumentToken: TOKEN,
  side: 'BUY',
  quantity: 10,
  product: 'MIS',
  condition: { on: 'price', direction: 'above', price: 150_100 },
  then: { type: 'order', orderType: 'LIMIT', price: 150_200 },
  ...more,
});

const refusal = (spec: AlgoSpecInput): unknown => {
  try {
    h.algos.start(spec);
    return undefined;
  } catch (e) {
    return (e as RpcError).details;
  }
};

describe('a conditional order', () => {
  it('places nothing until the price reaches its level, then its order once, and ends with it', async () => {
    await h.start();
    const a = h.algos.start(conditional());
    expect(a.kind).toBe('conditional');
    expect(a.phase).toMatch(/^waiting: last at or above 1,501\.00; expires /);
    h.tick({ lastPrice: 150_095 });
    expect(h.broker.sent).toHaveLength(0);
    h.tick({ lastPrice: 150_100 });
    expect(h.broker.sent.map((r) => [r.side, r.orderType, r.quantity, r.price])).toEqual([
      ['BUY', 'LIMIT', 10, 150_200],
    ]);
    expect(h.oms.list()[0]?.parentId).toBe(a.algoId);
    // Further prices change nothing: it fired once.
    h.tick({ lastPrice: 150_300 });
    h.tick({ lastPrice: 150_050 });
    expect(h.broker.sent).toHaveLength(1);
    await h.acked();
    h.broker.report(1, 'COMPLETE', 10);
    await until('completed', () => (h.algo(a.algoId).status === 'COMPLETED' ? true : undefined));
    expect(h.algo(a.algoId).reason).toMatch(/^fired \(last 1,501\.00 at .*\); filled 10 at 1,502\.00$/);
  });

  it('places its order again when the broker refused it for the request rate (it never existed there)', async () => {
    await h.start();
    const a = h.algos.start(conditional());
    h.tick({ lastPrice: 150_100 });
    await h.acked();
    h.broker.report(1, 'REJECTED', 0, { reason: 'Too many requests' });
    // Asked again at once, on the rejection.
    await until('placed again', () => (h.broker.sent.length === 2 ? true : undefined));
    expect(h.algo(a.algoId).status).toBe('WORKING');
    // Any other rejection fails it.
    await h.acked();
    h.broker.report(2, 'REJECTED', 0, { reason: 'Insufficient funds' });
    await until('failed', () => (h.algo(a.algoId).status === 'FAILED' ? true : undefined));
    expect(h.algo(a.algoId).reason).toMatch(/rejected: Insufficient funds/);
  });

  it('refuses a level already met, an off-tick level and a GTT it cannot be', async () => {
    await h.start();
    expect(refusal(conditional({ condition: { on: 'price', direction: 'above', price: 149_900 } }))).toEqual({
      code: 'INVALID_ALGO',
    });
    expect(refusal(conditional({ condition: { on: 'price', direction: 'below', price: 149_901 } }))).toEqual({
      code: 'INVALID_ALGO',
    });
    expect(refusal(conditional({ then: { type: 'order', orderType: 'LIMIT' } }))).toEqual({
      code: 'INVALID_ALGO',
    });
    expect(refusal(conditional({ gtt: true, then: { type: 'order', orderType: 'MARKET' } }))).toEqual({
      code: 'INVALID_ALGO',
    });
    expect(refusal(conditional({ condition: { on: 'time', at: h.now() - 1 } }))).toEqual({
      code: 'INVALID_ALGO',
    });
    expect(h.algos.list()).toHaveLength(0);
    expect(h.broker.sent).toHaveLength(0);
  });

  it('fires at a time (read on every price too)', async () => {
    await h.start();
    const a = h.algos.start(conditional({ condition: { on: 'time', at: h.now() + 5_000 } }));
    h.advance(4_000);
    expect(h.broker.sent).toHaveLength(0);
    h.advance(1_000);
    expect(h.broker.sent).toHaveLength(1);
    expect(h.algo(a.algoId).phase).toMatch(/^fired \(the time .*\): 0 of 10 filled$/);
  });

  it('fires when a bar closes beyond its level, not on the prices inside the bar', async () => {
    await h.start();
    const a = h.algos.start(
      conditional({
        condition: { on: 'barClose', interval: '5m', direction: 'below', price: 149_500 },
        then: { type: 'order', orderType: 'MARKET' },
      }),
    );
    expect(h.barReaders('5m')).toBe(1);
    h.tick({ lastPrice: 149_000 });
    h.bar('1m', 149_000);
    h.bar('5m', 149_505);
    expect(h.broker.sent).toHaveLength(0);
    h.bar('5m', 149_500);
    expect(h.broker.sent.map((r) => r.orderType)).toEqual(['MARKET']);
    // It stops reading bars once fired.
    expect(h.barReaders('5m')).toBe(0);
    expect(h.algo(a.algoId).status).toBe('WORKING');
  });

  it('fires when an indicator crosses its value at a close, from the closes it was seeded with', async () => {
    // Ten closes at 1,500.00 from history: SMA(3) is 1,500.00, below 1,500.50.
    const seed = Array.from({ length: 10 }, (_, k) => ({
      time: h.now() - (11 - k) * 60_000,
      close: 150_000,
    }));
    await h.start(undefined, { barHistory: () => Promise.resolve(seed) });
    const a = await h.algos.startWithHistory(
      conditional({
        condition: {
          on: 'indicator',
          indicator: 'sma',
          period: 3,
          interval: '1m',
          direction: 'above',
          value: 150_050,
        },
      }),
    );
    expect(a.phase).toMatch(/^waiting: SMA\(3, 1m\) crosses above 1,500\.50 \(now 1,500\.00\)/);
    // 1,500.00, 1,500.00, 1,501.00: SMA 1,500.33 -- not yet.
    h.bar('1m', 150_100);
    expect(h.broker.sent).toHaveLength(0);
    // 1,500.00, 1,501.00, 1,501.00: SMA 1,500.67 -- crossed.
    h.bar('1m', 150_100);
    expect(h.broker.sent).toHaveLength(1);
    expect(h.algo(a.algoId).phase).toMatch(/^fired \(SMA\(3\) crossed above at 1,500\.67\)/);
  });

  it('an indicator already beyond its value waits for it to come back and cross', async () => {
    const seed = Array.from({ length: 30 }, (_, k) => ({
      time: h.now() - (31 - k) * 60_000,
      close: 150_000 + 100 * k,
    }));
    await h.start(undefined, { barHistory: () => Promise.resolve(seed) });
    // A steady rise: RSI(14) is 100, above 70. It must fall below and rise again to fire.
    const a = await h.algos.startWithHistory(
      conditional({
        condition: {
          on: 'indicator',
          indicator: 'rsi',
          period: 14,
          interval: '1m',
          direction: 'above',
          value: 70,
        },
      }),
    );
    h.bar('1m', 153_000);
    expect(h.broker.sent).toHaveLength(0);
    for (let k = 0; k < 12; k++) h.bar('1m', 152_000 - 400 * k);
    expect(h.broker.sent).toHaveLength(0);
    expect(h.algo(a.algoId).phase).toMatch(/^waiting: RSI\(14, 1m\) crosses above 70\.0 \(now \d/);
    for (let k = 0; k < 30 && h.broker.sent.length === 0; k++) h.bar('1m', 148_000 + 500 * k);
    expect(h.broker.sent).toHaveLength(1);
  });

  it('fired with a bracket, runs the bracket: its entry, then a target and a stop on the fill', async () => {
    await h.start();
    const a = h.algos.start(
      conditional({
        then: {
          type: 'bracket',
          entry: { orderType: 'MARKET' },
          target: { ticks: 20 },
          stop: { ticks: 20 },
        },
      }),
    );
    h.tick({ lastPrice: 150_100 });
    expect(h.broker.sent.map((r) => [r.orderType, r.quantity])).toEqual([['MARKET', 10]]);
    await h.acked();
    h.broker.report(1, 'COMPLETE', 10, { averagePrice: 150_100 });
    await until('exits', () => (h.broker.sent.length === 3 ? true : undefined));
    expect(
      h.broker.sent.slice(1).map((r) => [r.side, r.orderType, r.quantity, r.price, r.triggerPrice]),
    ).toEqual([
      ['SELL', 'LIMIT', 10, 150_200, 0],
      ['SELL', 'SL-M', 10, 0, 150_000],
    ]);
    const v = h.algo(a.algoId);
    expect(v).toMatchObject({
      kind: 'conditional',
      status: 'WORKING',
      targetPrice: 150_200,
      stopPrice: 150_000,
    });
    // Cancelled as one: the bracket's exits go.
    await h.acked();
    h.broker.report(2, 'OPEN');
    h.broker.report(3, 'TRIGGER PENDING');
    await h.settled();
    h.algos.cancel(a.algoId);
    expect(h.broker.cancels).toEqual(['V2', 'V3']);
  });

  it('expires unmet, and is cancelled before it fires with nothing to cancel', async () => {
    await h.start();
    const a = h.algos.start(conditional({ expiresAt: h.now() + 10_000 }));
    h.advance(10_000);
    expect(h.algo(a.algoId)).toMatchObject({ status: 'EXPIRED' });
    expect(h.algo(a.algoId).reason).toMatch(/^not met by .*: last at or above 1,501\.00$/);
    const b = h.algos.start(conditional());
    h.algos.cancel(b.algoId);
    expect(h.algo(b.algoId).status).toBe('CANCELLED');
    expect(h.broker.sent).toHaveLength(0);
  });

  it('survives a restart waiting, and fires after it without firing twice', async () => {
    await h.start();
    const a = h.algos.start(conditional({ then: { type: 'order', orderType: 'MARKET' } }));
    h.algos.modify({ algoId: a.algoId, price: 150_200 });
    expect(h.algo(a.algoId).phase).toMatch(/at or above 1,502\.00/);
    const broker = h.broker;
    h.stop();
    await h.start(broker);
    await until('rebuilt', () => (h.algos.get(a.algoId) !== undefined ? true : undefined));
    h.tick({ lastPrice: 150_100 });
    expect(h.broker.sent).toHaveLength(0);
    h.tick({ lastPrice: 150_200 });
    expect(h.broker.sent).toHaveLength(1);
    h.stop();
    await h.start(broker);
    await until('rebuilt again', () => (h.algos.get(a.algoId) !== undefined ? true : undefined));
    h.tick({ lastPrice: 150_300 });
    expect(h.broker.sent).toHaveLength(1);
  });
});

/** A broker's GTT book: the test sets their statuses. A stand-in: a lost answer cannot be caused on demand. */
describe('a range with one order for each way out (OCO)', () => {
  /** Sell 10 INFY: LIMIT 1,479.00 when the last falls to 1,480.00, LIMIT 1,561.00 when it rises to 1,560.00. */
  const oco = (more: Partial<Spec> = {}): AlgoSpecInput =>
    conditional({
      side: 'SELL',
      condition: { on: 'range', below: 148_000, above: 156_000 },
      then: { type: 'oco', orderType: 'LIMIT', belowPrice: 147_900, abovePrice: 156_100 },
      ...more,
    });

  it('places the leg of the side the price left by, and never the other', async () => {
    await h.start();
    const a = h.algos.start(oco());
    expect(a.phase).toMatch(/^waiting: last at or below 1,480\.00 or at or above 1,560\.00; expires /);
    h.tick({ lastPrice: 148_005 });
    h.tick({ lastPrice: 155_995 });
    expect(h.broker.sent).toHaveLength(0);
    h.tick({ lastPrice: 148_000 });
    expect(h.broker.sent.map((r) => [r.side, r.orderType, r.quantity, r.price])).toEqual([
      ['SELL', 'LIMIT', 10, 147_900],
    ]);
    // The price going on to the target sends nothing: the stop's leg went.
    h.tick({ lastPrice: 156_000 });
    expect(h.broker.sent).toHaveLength(1);
    expect(h.algo(a.algoId).phase).toMatch(/^fired \(last 1,480\.00 at .*, the stop\): 0 of 10 filled$/);
    await h.acked();
    h.broker.report(1, 'COMPLETE', 10);
    await until('completed', () => (h.algo(a.algoId).status === 'COMPLETED' ? true : undefined));
  });

  it('takes the target leg at market when its order is MARKET, and survives a restart waiting', async () => {
    await h.start();
    const a = h.algos.start(oco({ then: { type: 'oco', orderType: 'MARKET' } }));
    const broker = h.broker;
    h.stop();
    await h.start(broker);
    expect(h.algo(a.algoId).status).toBe('WORKING');
    h.tick({ lastPrice: 156_050 });
    expect(h.broker.sent.map((r) => [r.side, r.orderType, r.quantity])).toEqual([['SELL', 'MARKET', 10]]);
    expect(h.algo(a.algoId).phase).toMatch(/the target\)/);
  });

  it('refuses an empty range, one the price is already out of, and legs that do not fit it', async () => {
    await h.start();
    const refused = (more: Partial<Spec>) => refusal(oco(more));
    expect(refused({ condition: { on: 'range', below: 156_000, above: 148_000 } })).toEqual({
      code: 'INVALID_ALGO',
    });
    expect(refused({ condition: { on: 'range', below: 150_000, above: 156_000 } })).toEqual({
      code: 'INVALID_ALGO',
    });
    expect(refused({ condition: { on: 'range', below: 148_001, above: 156_000 } })).toEqual({
      code: 'INVALID_ALGO',
    });
    expect(refused({ then: { type: 'oco', orderType: 'LIMIT', belowPrice: 147_900 } })).toEqual({
      code: 'INVALID_ALGO',
    });
    expect(refused({ then: { type: 'order', orderType: 'MARKET' } })).toEqual({ code: 'INVALID_ALGO' });
    expect(refusal(conditional({ then: { type: 'oco', orderType: 'MARKET' } }))).toEqual({
      code: 'INVALID_ALGO',
    });
    expect(h.algos.list()).toHaveLength(0);
    // Its levels do not move one at a time.
    const a = h.algos.start(oco());
    expect(() => h.algos.modify({ algoId: a.algoId, price: 148_500 })).toThrow(/two levels/);
    expect(h.broker.sent).toHaveLength(0);
  });
});

class GttBook implements GttBroker {
  readonly placed: GttRequest[] = [];
  readonly removed: number[] = [];
  readonly book = new Map<number, Gtt>();
  /** When false, `place` records the GTT and never answers (the answer is lost). */
  answer = true;

  place(r: GttRequest): Promise<number> {
    this.placed.push(r);
    const id = 100 + this.placed.length;
    this.book.set(id, {
      id,
      type: r.type,
      status: 'active',
      createdAt: h.now(),
      updatedAt: h.now(),
      expiresAt: null,
      exchange: r.exchange,
      tradingsymbol: r.tradingsymbol,
      instrumentToken: TOKEN,
      triggerValues: r.triggerValues,
      lastPrice: r.lastPrice,
      orders: r.orders.map((o) => ({
        ...o,
        exchange: r.exchange,
        tradingsymbol: r.tradingsymbol,
        result: null,
      })),
    });
    return this.answer ? Promise.resolve(id) : new Promise<number>(() => undefined);
  }
  /** While set, a `get` is held in flight until `release()`. */
  hold = false;
  private held: (() => void)[] = [];
  get(id: number): Promise<Gtt> {
    const g = this.book.get(id);
    if (g === undefined) return Promise.reject(new Error('Invalid trigger ID.'));
    if (!this.hold) return Promise.resolve(g);
    return new Promise((resolve) =>
      this.held.push(() => {
        resolve(g);
      }),
    );
  }
  heldCount(): number {
    return this.held.length;
  }
  release(): void {
    this.hold = false;
    for (const r of this.held.splice(0)) r();
  }
  list(): Promise<readonly Gtt[]> {
    return Promise.resolve([...this.book.values()]);
  }
  remove(id: number): Promise<unknown> {
    this.removed.push(id);
    const g = this.book.get(id);
    if (g !== undefined) this.book.set(id, { ...g, status: 'deleted' });
    return Promise.resolve(id);
  }
  /** The broker fires leg `leg` (a two-leg's 0: the low trigger, 1: the high): only it has a result. */
  trigger(id: number, leg = 0): void {
    const g = this.book.get(id);
    if (g === undefined) throw new Error(`no GTT ${id}`);
    this.book.set(id, {
      ...g,
      status: 'triggered',
      orders: g.orders.map((o, k) => ({
        ...o,
        result: k === leg ? { orderId: '2501', status: 'COMPLETE', rejectionReason: null } : null,
      })),
    });
  }
}

describe('a conditional order as a GTT', () => {
  const spec = conditional({ gtt: true });

  it('is set at the broker once, read back, and ends when the broker fires it', async () => {
    const book = new GttBook();
    await h.start(undefined, { gtt: () => book });
    const a = h.algos.start(spec);
    expect(book.placed).toEqual([
      {
        type: 'single',
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        triggerValues: [150_100],
        lastPrice: 150_000,
        orders: [{ side: 'BUY', orderType: 'LIMIT', product: 'MIS', quantity: 10, price: 150_200 }],
      },
    ]);
    await until('active', () =>
      /^GTT #101 active at the broker/.test(h.algo(a.algoId).phase) ? true : undefined,
    );
    // Prices are the broker's to watch: nothing is sent by the engine.
    h.tick({ lastPrice: 150_100 });
    expect(h.broker.sent).toHaveLength(0);
    book.trigger(101);
    await until('completed', () => {
      h.step(GTT_POLL_MS);
      return h.algo(a.algoId).status === 'COMPLETED' ? true : undefined;
    });
    expect(h.algo(a.algoId).reason).toMatch(/^GTT #101 triggered: order 2501 COMPLETE; placed by the broker/);
    expect(book.placed).toHaveLength(1);
  });

  it("after a restart that lost the answer, adopts the broker's GTT and never sets a second", async () => {
    const book = new GttBook();
    book.answer = false;
    await h.start(undefined, { gtt: () => book });
    const a = h.algos.start(spec);
    expect(book.placed).toHaveLength(1);
    const broker = h.broker;
    h.stop();
    book.answer = true;
    await h.start(broker, { gtt: () => book });
    await until('adopted', () =>
      /^GTT #101 active/.test(h.algos.get(a.algoId)?.phase ?? '') ? true : undefined,
    );
    expect(book.placed).toHaveLength(1);
    // Cancelled: deleted at the broker.
    h.algos.cancel(a.algoId);
    await until('deleted', () => (h.algo(a.algoId).status === 'CANCELLED' ? true : undefined));
    expect(book.removed).toEqual([101]);
    expect(h.algo(a.algoId).reason).toBe('cancelled by the trader: GTT #101 deleted at the broker');
  });

  it('cancelled while a read of its status is in flight, is deleted once the broker has answered', async () => {
    const book = new GttBook();
    await h.start(undefined, { gtt: () => book });
    const a = h.algos.start(spec);
    await until('active', () => (/^GTT #101 active/.test(h.algo(a.algoId).phase) ? true : undefined));
    book.hold = true;
    await until('a read in flight', () => {
      h.step(GTT_POLL_MS);
      return book.heldCount() > 0 ? true : undefined;
    });
    h.algos.cancel(a.algoId);
    expect(h.algo(a.algoId)).toMatchObject({
      status: 'WORKING',
      phase: 'GTT: deleting it once the broker has answered',
    });
    expect(book.removed).toEqual([]);
    book.release();
    await until('deleted', () => {
      h.step(0);
      return h.algo(a.algoId).status === 'CANCELLED' ? true : undefined;
    });
    expect(book.removed).toEqual([101]);
  });

  it("a range with LIMIT legs is one two-leg GTT (Kite's OCO): the low trigger's leg first", async () => {
    const book = new GttBook();
    await h.start(undefined, { gtt: () => book });
    const a = h.algos.start(
      conditional({
        side: 'SELL',
        gtt: true,
        condition: { on: 'range', below: 148_000, above: 152_000 },
        then: { type: 'oco', orderType: 'LIMIT', belowPrice: 147_900, abovePrice: 152_100 },
      }),
    );
    const leg = (price: number) => ({
      side: 'SELL',
      orderType: 'LIMIT',
      product: 'MIS',
      quantity: 10,
      price,
    });
    expect(book.placed).toEqual([
      {
        type: 'two-leg',
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        triggerValues: [148_000, 152_000],
        lastPrice: 150_000,
        orders: [leg(147_900), leg(152_100)],
      },
    ]);
    await until('active', () =>
      /^GTT #101 active at the broker: last at or below 1,480\.00 or at or above 1,520\.00 then SELL LIMIT 1,479\.00 or 1,521\.00/.test(
        h.algo(a.algoId).phase,
      )
        ? true
        : undefined,
    );
    book.trigger(101, 1);
    await until('completed', () => {
      h.step(GTT_POLL_MS);
      return h.algo(a.algoId).status === 'COMPLETED' ? true : undefined;
    });
    expect(h.algo(a.algoId).reason).toMatch(/^GTT #101 triggered \(the target\): order 2501 COMPLETE/);
    expect(h.broker.sent).toHaveLength(0);
  });

  it('a range with MARKET legs cannot be a GTT, and its legs meet the risk checks now', async () => {
    const book = new GttBook();
    await h.start(undefined, { gtt: () => book });
    const range = { on: 'range', below: 148_000, above: 152_000 } as const;
    expect(
      refusal(conditional({ gtt: true, condition: range, then: { type: 'oco', orderType: 'MARKET' } })),
    ).toEqual({ code: 'INVALID_ALGO' });
    // A target leg far through the market: the fat-finger band refuses it, and nothing is set.
    expect(
      refusal(
        conditional({
          side: 'SELL',
          gtt: true,
          condition: range,
          then: { type: 'oco', orderType: 'LIMIT', belowPrice: 147_900, abovePrice: 170_000 },
        }),
      ),
    ).toMatchObject({ code: 'FAT_FINGER' });
    expect(book.placed).toHaveLength(0);
  });

  it('is refused without a broker (paper), and for an order its risk checks refuse', async () => {
    await h.start();
    expect(refusal(spec)).toEqual({ code: 'INVALID_ALGO' });
    h.stop();
    const book = new GttBook();
    await h.start(undefined, { gtt: () => book });
    // A limit far through the market: the fat-finger band (5%) refuses it now, as `place` would.
    expect(
      refusal(conditional({ gtt: true, then: { type: 'order', orderType: 'LIMIT', price: 170_000 } })),
    ).toMatchObject({ code: 'FAT_FINGER' });
    expect(book.placed).toHaveLength(0);
  });
});
