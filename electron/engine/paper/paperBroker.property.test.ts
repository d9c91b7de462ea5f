import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderType, Side } from '../../../shared/services/orders';
import type { VenueOrderReport } from '../oms/venue';
import { VenueError } from '../oms/venue';
import { divideRounded } from './positions';
import type { ScriptLevel } from './scriptedMarket';
import { Harness, RELIANCE, request } from './testing/harness';

const TICK = 5;

type Command =
  | {
      readonly kind: 'place';
      readonly side: Side;
      readonly type: OrderType;
      readonly quantity: number;
      readonly offset: number;
      readonly gap: number;
      readonly ioc: boolean;
    }
  | {
      readonly kind: 'update';
      readonly move: number;
      readonly volume: number;
      readonly bids: readonly number[];
      readonly asks: readonly number[];
      readonly askAtLast: boolean;
    }
  | {
      readonly kind: 'modify';
      readonly pick: number;
      readonly offset: number | null;
      readonly quantity: number | null;
      readonly type: 'LIMIT' | 'MARKET' | null;
    }
  | { readonly kind: 'cancel'; readonly pick: number }
  | { readonly kind: 'restart' };

const side = fc.constantFrom<Side>('BUY', 'SELL');
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('place' as const),
      side,
      type: fc.constantFrom<OrderType>('LIMIT', 'LIMIT', 'MARKET', 'SL', 'SL-M'),
      quantity: fc.integer({ min: 1, max: 60 }),
      offset: fc.integer({ min: -4, max: 4 }),
      gap: fc.integer({ min: 0, max: 3 }),
      ioc: fc.boolean(),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      move: fc.integer({ min: -3, max: 3 }),
      volume: fc.integer({ min: 0, max: 80 }),
      bids: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 5 }),
      asks: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 5 }),
      askAtLast: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('modify' as const),
      pick: fc.nat(),
      offset: fc.option(fc.integer({ min: -4, max: 4 })),
      quantity: fc.option(fc.integer({ min: 1, max: 80 })),
      type: fc.constantFrom<'LIMIT' | 'MARKET' | null>('LIMIT', 'MARKET', null, null),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

let dir: string;
let run = 0;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'shrivenq-paper-prop-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Ignores the refusals the generator can provoke (a finished order, a price below zero); fails on anything else. */
async function tolerate(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof VenueError) || e.outcome !== 'rejected') throw e;
  }
}

async function runCommands(commands: readonly Command[]): Promise<void> {
  const h = new Harness(path.join(dir, `run-${++run}.db`));
  let last = 10_000;
  let volume = 1_000;
  let tag = 0;
  const ids: string[] = [];
  // What the stream said, per order: the latest report and the trades so far.
  const latest = new Map<string, VenueOrderReport>();
  const streamed = new Map<string, { quantity: number; value: number }>();
  const check = (): void => {
    for (const p of h.take()) {
      if (p.kind === 'order') {
        latest.set(p.report.orderId, p.report);
        const s = streamed.get(p.report.orderId) ?? { quantity: 0, value: 0 };
        // A report never claims more (or less) than the trades pushed before it.
        expect(p.report.filledQuantity).toBe(s.quantity);
        expect(p.report.filledQuantity).toBeLessThanOrEqual(p.report.quantity);
        continue;
      }
      const t = p.trade;
      const o = latest.get(t.orderId);
      expect(o).toBeDefined();
      if (o === undefined) continue;
      expect(t.quantity).toBeGreaterThan(0);
      expect(t.price).toBeGreaterThan(0);
      // A limit buy never fills above its limit (as it was when the trade happened), a sell never below.
      if (o.orderType === 'LIMIT' || o.orderType === 'SL') {
        if (t.side === 'BUY') expect(t.price).toBeLessThanOrEqual(o.price);
        else expect(t.price).toBeGreaterThanOrEqual(o.price);
      }
      const s = streamed.get(t.orderId) ?? { quantity: 0, value: 0 };
      streamed.set(t.orderId, { quantity: s.quantity + t.quantity, value: s.value + t.quantity * t.price });
      expect(s.quantity + t.quantity).toBeLessThanOrEqual(o.quantity);
    }
  };
  const checkBook = async (): Promise<void> => {
    const orders = await h.broker.orders();
    const trades = await h.broker.trades();
    for (const o of orders) {
      const own = trades.filter((t) => t.orderId === o.orderId);
      const filled = own.reduce((n, t) => n + t.quantity, 0);
      expect(o.filledQuantity).toBeLessThanOrEqual(o.quantity);
      expect(filled).toBe(o.filledQuantity);
      const value = own.reduce((n, t) => n + t.quantity * t.price, 0);
      expect(o.averagePrice).toBe(filled === 0 ? 0 : divideRounded(value, filled));
      if (o.status === 'COMPLETE') expect(o.filledQuantity).toBe(o.quantity);
      // The stream and the book agree.
      expect(latest.get(o.orderId)).toEqual(o);
      expect(await h.broker.orderTrades(o.orderId)).toEqual(own);
    }
  };
  try {
    for (const c of commands) {
      h.clock += 250;
      if (c.kind === 'update') {
        last = Math.max(100, last + c.move * TICK);
        volume += c.volume;
        const firstAsk = c.askAtLast ? last : last + TICK;
        const firstBid = firstAsk === last ? last - TICK : last;
        const levels = (qs: readonly number[], from: number, step: number): ScriptLevel[] =>
          qs.map((q, i): ScriptLevel => [from + i * step, q]).filter(([, q]) => q > 0);
        h.market.set(RELIANCE, {
          lastPrice: last,
          volume,
          bids: levels(c.bids, firstBid, -TICK),
          asks: levels(c.asks, firstAsk, TICK),
          time: h.clock,
        });
      } else if (c.kind === 'place') {
        const sign = c.side === 'BUY' ? 1 : -1;
        const stop = c.type === 'SL' || c.type === 'SL-M';
        const trigger = stop ? last + sign * (1 + Math.abs(c.offset)) * TICK : 0;
        const price =
          c.type === 'LIMIT' ? last + c.offset * TICK : c.type === 'SL' ? trigger + sign * c.gap * TICK : 0;
        if (h.market.quote(RELIANCE) === undefined) h.market.prime(RELIANCE, { lastPrice: last, volume });
        const id = await h.broker.place(
          request({
            clientOrderId: `t${++tag}`,
            side: c.side,
            orderType: c.type,
            quantity: c.quantity,
            price,
            triggerPrice: trigger,
            validity: c.ioc ? 'IOC' : 'DAY',
          }),
        );
        ids.push(id);
      } else if (c.kind === 'modify' || c.kind === 'cancel') {
        const id = ids[c.pick % Math.max(1, ids.length)];
        if (id === undefined) continue;
        if (c.kind === 'cancel') {
          await tolerate(h.broker.cancel(id, 'regular'));
        } else {
          await tolerate(
            h.broker.modify({
              orderId: id,
              variety: 'regular',
              exchange: 'NSE',
              ...(c.offset === null ? {} : { price: last + c.offset * TICK }),
              ...(c.quantity === null ? {} : { quantity: c.quantity }),
              ...(c.type === null ? {} : { orderType: c.type }),
            }),
          );
        }
      } else {
        const before = { orders: await h.broker.orders(), trades: await h.broker.trades() };
        check();
        const old = h.db;
        h.broker.dispose();
        old.close();
        h.open();
        expect({ orders: await h.broker.orders(), trades: await h.broker.trades() }).toEqual(before);
      }
      check();
      await checkBook();
    }
  } finally {
    h.close();
  }
}

describe('the paper broker under random orders and markets', () => {
  it('never fills more than the quantity; trades add up to filledQuantity; limits are respected; restarts change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 10, maxLength: 50, size: 'max' }), (commands) =>
        runCommands(commands),
      ),
      { numRuns: 120 },
    );
  });
});
