import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VenueError } from '../oms/venue';
import { ENGINE_MIGRATIONS, openEngineDatabase } from '../store';
import { PAPER_MESSAGES, PaperBroker } from './paperBroker';
import { Harness, INFY, MONDAY_10AM, RELIANCE, request } from './testing/harness';

let dir: string;
let h: Harness;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'shrivenq-paper-'));
  h = new Harness(path.join(dir, 'engine.db'));
});
afterEach(() => {
  if (!h.db.isClosed) h.close();
  rmSync(dir, { recursive: true, force: true });
});

async function refusal(p: Promise<unknown>): Promise<VenueError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VenueError) return e;
    throw e;
  }
  throw new Error('expected a VenueError');
}

describe('MARKET orders', () => {
  it('walk the visible asks, several fills at several prices, each level its quantity', async () => {
    h.market.prime(RELIANCE, {
      lastPrice: 10_000,
      volume: 5_000,
      bids: [[9_995, 100]],
      asks: [
        [10_000, 10],
        [10_005, 20],
        [10_010, 30],
        [10_015, 40],
      ],
    });
    const id = await h.broker.place(
      request({ clientOrderId: 'q1', orderType: 'MARKET', price: 0, quantity: 50 }),
    );
    expect(id).toBe('P000000000001');
    // By the time the place resolves, its reports have been pushed: OPEN, the fills, COMPLETE.
    expect(h.story()).toEqual([
      'P000000000001 OPEN 0/50',
      'P000000000001 10@10000',
      'P000000000001 20@10005',
      'P000000000001 20@10010',
      'P000000000001 COMPLETE 50/50',
    ]);
    const o = await h.order(id);
    // (10 x 10000 + 20 x 10005 + 20 x 10010) / 50 = 10006.
    expect(o).toMatchObject({ status: 'COMPLETE', averagePrice: 10_006, tag: 'q1', price: 0 });
    expect(o.updateTime).toBe(MONDAY_10AM);
    const trades = await h.broker.orderTrades(id);
    expect(trades.map((t) => [t.tradeId, t.quantity, t.price])).toEqual([
      ['PT000000000001', 10, 10_000],
      ['PT000000000002', 20, 10_005],
      ['PT000000000003', 20, 10_010],
    ]);
    expect(await h.broker.positions()).toEqual([
      {
        instrumentToken: RELIANCE,
        exchange: 'NSE',
        tradingsymbol: 'RELIANCE',
        product: 'MIS',
        quantity: 50,
        overnightQuantity: 0,
        averagePrice: 10_006,
      },
    ]);
  });

  it('a sell walks the bids', async () => {
    h.market.prime(RELIANCE, {
      lastPrice: 10_000,
      bids: [
        [9_995, 5],
        [9_990, 5],
      ],
      asks: [[10_005, 5]],
    });
    await h.broker.place(
      request({ clientOrderId: 'q1', side: 'SELL', orderType: 'MARKET', price: 0, quantity: 8 }),
    );
    expect(h.story()).toEqual([
      'P000000000001 OPEN 0/8',
      'P000000000001 5@9995',
      'P000000000001 3@9990',
      'P000000000001 COMPLETE 8/8',
    ]);
  });

  it('on a thin book take what is within market protection and wait for the next updates for the rest', async () => {
    // Auto protection (-1) is 2% of the last price: a buy takes nothing above 10200.
    h.market.prime(RELIANCE, {
      lastPrice: 10_000,
      asks: [
        [10_100, 10],
        [10_200, 10],
        [10_300, 100],
      ],
    });
    const id = await h.broker.place(
      request({ clientOrderId: 'q1', orderType: 'MARKET', price: 0, quantity: 50, marketProtection: -1 }),
    );
    expect(h.story()).toEqual([`${id} OPEN 0/50`, `${id} 10@10100`, `${id} 10@10200`, `${id} OPEN 20/50`]);
    // The same book again: what the order took is not there to take twice.
    h.market.set(RELIANCE, { time: MONDAY_10AM + 1_000 });
    expect(h.story()).toEqual([]);
    // A seller joins at 10150; the level at 10300 stays out of reach.
    h.market.set(RELIANCE, {
      time: MONDAY_10AM + 2_000,
      asks: [
        [10_150, 15],
        [10_300, 100],
      ],
    });
    expect(h.story()).toEqual([`${id} 15@10150`, `${id} OPEN 35/50`]);
    // More joins the 10150 level: only what is new there is taken.
    h.market.set(RELIANCE, { time: MONDAY_10AM + 3_000, asks: [[10_150, 40]] });
    expect(h.story()).toEqual([`${id} 15@10150`, `${id} COMPLETE 50/50`]);
    const o = await h.order(id);
    expect(o.updateTime).toBe(MONDAY_10AM + 3_000);
    expect(h.market.listenerCount(RELIANCE)).toBe(0);
  });

  it('an explicit protection percentage bounds the walk; a sell is bounded below', async () => {
    h.market.prime(RELIANCE, {
      lastPrice: 10_000,
      bids: [
        [9_950, 10],
        [9_900, 10],
        [9_899, 10],
      ],
      asks: [
        [10_050, 10],
        [10_100, 10],
        [10_101, 10],
      ],
    });
    await h.broker.place(
      request({ clientOrderId: 'b', orderType: 'MARKET', price: 0, quantity: 30, marketProtection: 1 }),
    );
    await h.broker.place(
      request({
        clientOrderId: 's',
        side: 'SELL',
        orderType: 'MARKET',
        price: 0,
        quantity: 30,
        marketProtection: 1,
      }),
    );
    expect(h.story()).toEqual([
      'P000000000001 OPEN 0/30',
      'P000000000001 10@10050',
      'P000000000001 10@10100',
      'P000000000001 OPEN 20/30',
      'P000000000002 OPEN 0/30',
      'P000000000002 10@9950',
      'P000000000002 10@9900',
      'P000000000002 OPEN 20/30',
    ]);
  });

  it('without a last price is reported REJECTED (an order id, no fill)', async () => {
    const id = await h.broker.place(request({ clientOrderId: 'q1', orderType: 'MARKET', price: 0 }));
    const o = await h.order(id);
    expect(o.status).toBe('REJECTED');
    expect(o.reason).toBe(PAPER_MESSAGES.noMarket('NSE', 'RELIANCE'));
    expect(h.market.listenerCount(RELIANCE)).toBe(0);
  });

  it('fall back to the quote best offer when the feed has no depth', async () => {
    h.market.prime(RELIANCE, { lastPrice: 10_000, asks: [[10_005, 7]] });
    h.market.dropDepth(RELIANCE);
    await h.broker.place(request({ clientOrderId: 'q1', orderType: 'MARKET', price: 0, quantity: 10 }));
    expect(h.story()).toEqual([
      'P000000000001 OPEN 0/10',
      'P000000000001 7@10005',
      'P000000000001 OPEN 7/10',
    ]);
  });
});

describe('LIMIT orders', () => {
  it('a marketable limit takes the book up to its price, then rests', async () => {
    h.market.prime(RELIANCE, {
      lastPrice: 10_000,
      bids: [[9_990, 50]],
      asks: [
        [9_995, 10],
        [10_000, 10],
        [10_005, 10],
      ],
    });
    const id = await h.broker.place(request({ clientOrderId: 'q1', price: 10_000, quantity: 30 }));
    expect(h.story()).toEqual([`${id} OPEN 0/30`, `${id} 10@9995`, `${id} 10@10000`, `${id} OPEN 20/30`]);
  });

  it('fills at its limit when the market trades through it', async () => {
    h.market.prime(RELIANCE, {
      lastPrice: 10_000,
      volume: 1_000,
      bids: [
        [9_995, 100],
        [9_990, 200],
      ],
      asks: [[10_000, 50]],
    });
    const id = await h.broker.place(request({ clientOrderId: 'q1', price: 9_990, quantity: 100 }));
    expect(h.story()).toEqual([`${id} OPEN 0/100`]);
    // A trade at 9990 only eats the queue ahead (200 were there first).
    h.market.set(RELIANCE, { lastPrice: 9_990, volume: 1_050, time: MONDAY_10AM + 1_000 });
    expect(h.story()).toEqual([]);
    // A trade below the limit: every order at 9990 has been filled for it to happen.
    h.market.set(RELIANCE, { lastPrice: 9_985, volume: 1_060, time: MONDAY_10AM + 2_000 });
    expect(h.story()).toEqual([`${id} 100@9990`, `${id} COMPLETE 100/100`]);
    const [t] = await h.broker.orderTrades(id);
    expect(t?.time).toBe(MONDAY_10AM + 2_000);
  });

  it('a sell fills at its limit when the market trades above it', async () => {
    h.market.prime(RELIANCE, { lastPrice: 10_000, volume: 10, bids: [[9_995, 5]], asks: [[10_005, 5]] });
    const id = await h.broker.place(
      request({ clientOrderId: 'q1', side: 'SELL', price: 10_010, quantity: 3 }),
    );
    h.market.set(RELIANCE, { lastPrice: 10_015, volume: 11 });
    expect(h.story()).toEqual([`${id} OPEN 0/3`, `${id} 3@10010`, `${id} COMPLETE 3/3`]);
  });

  it('a trade beyond the limit before the order arrived does not fill it', async () => {
    h.market.prime(RELIANCE, { lastPrice: 9_980, volume: 10, bids: [[9_975, 5]], asks: [[10_005, 5]] });
    const id = await h.broker.place(request({ clientOrderId: 'q1', price: 9_990, quantity: 3 }));
    // A depth-only change: no new trade.
    h.market.set(RELIANCE, { bids: [[9_980, 5]] });
    expect(h.story()).toEqual([`${id} OPEN 0/3`]);
  });

  it('at its limit price waits behind the visible queue, which traded volume at that price eats first', async () => {
    h.market.prime(RELIANCE, {
      lastPrice: 10_000,
      volume: 1_000,
      bids: [
        [9_995, 100],
        [9_990, 200],
      ],
      asks: [[10_000, 50]],
    });
    const id = await h.broker.place(request({ clientOrderId: 'q1', price: 9_990, quantity: 100 }));
    h.take();
    // 150 trade at 9990: the queue ahead drops from 200 to 50.
    h.market.set(RELIANCE, { lastPrice: 9_990, volume: 1_150, bids: [[9_990, 50]] });
    expect(h.story()).toEqual([]);
    // 80 more: 50 finish the queue ahead, 30 reach the order.
    h.market.set(RELIANCE, { lastPrice: 9_990, volume: 1_230, bids: [[9_990, 20]] });
    expect(h.story()).toEqual([`${id} 30@9990`, `${id} OPEN 30/100`]);
    // Volume at another price does not touch the queue.
    h.market.set(RELIANCE, { lastPrice: 9_995, volume: 1_330 });
    expect(h.story()).toEqual([]);
    h.market.set(RELIANCE, { lastPrice: 9_990, volume: 1_400 });
    expect(h.story()).toEqual([`${id} 70@9990`, `${id} COMPLETE 100/100`]);
  });

  it('orders ahead that leave the level shorten the queue', async () => {
    h.market.prime(RELIANCE, {
      lastPrice: 10_000,
      volume: 1_000,
      bids: [[9_990, 200]],
      asks: [[10_000, 50]],
    });
    const id = await h.broker.place(request({ clientOrderId: 'q1', price: 9_990, quantity: 100 }));
    h.take();
    // 180 of the 200 ahead are cancelled: no trade, the level shows 20.
    h.market.set(RELIANCE, { bids: [[9_990, 20]] });
    h.market.set(RELIANCE, { lastPrice: 9_990, volume: 1_050 });
    expect(h.story()).toEqual([`${id} 30@9990`, `${id} OPEN 30/100`]);
  });

  it('paper orders at one price fill in time priority, each behind the queue it found', async () => {
    h.market.prime(RELIANCE, {
      lastPrice: 10_000,
      volume: 1_000,
      bids: [[9_990, 100]],
      asks: [[10_000, 50]],
    });
    const first = await h.broker.place(request({ clientOrderId: 'a', price: 9_990, quantity: 30 }));
    h.market.prime(RELIANCE, { bids: [[9_990, 150]] });
    const second = await h.broker.place(request({ clientOrderId: 'b', price: 9_990, quantity: 30 }));
    h.take();
    // Queue: 100 real, first (30), 50 real, second (30). 200 trade: 100 + 30 + 50 + 20.
    h.market.set(RELIANCE, { lastPrice: 9_990, volume: 1_200, bids: [[9_990, 10]] });
    expect(h.story()).toEqual([
      `${first} 30@9990`,
      `${first} COMPLETE 30/30`,
      `${second} 20@9990`,
      `${second} OPEN 20/30`,
    ]);
  });

  it('a resting buy is filled at its price when the offer comes down to it', async () => {
    h.market.prime(RELIANCE, { lastPrice: 10_000, volume: 10, bids: [[9_985, 5]], asks: [[10_000, 5]] });
    const id = await h.broker.place(request({ clientOrderId: 'q1', price: 9_990, quantity: 8 }));
    h.market.set(RELIANCE, {
      asks: [
        [9_985, 3],
        [9_990, 2],
        [9_995, 9],
      ],
    });
    expect(h.story()).toEqual([`${id} OPEN 0/8`, `${id} 5@9990`, `${id} OPEN 5/8`]);
  });
});

describe('stop orders', () => {
  it('SL waits for the last price to reach its trigger, then behaves as a LIMIT at its price', async () => {
    h.market.prime(RELIANCE, { lastPrice: 10_000, volume: 100, bids: [[9_995, 10]], asks: [[10_005, 10]] });
    const id = await h.broker.place(
      request({ clientOrderId: 'q1', orderType: 'SL', triggerPrice: 10_050, price: 10_060, quantity: 100 }),
    );
    expect(h.story()).toEqual([`${id} TRIGGER PENDING 0/100`]);
    h.market.set(RELIANCE, { lastPrice: 10_040, volume: 110, asks: [[10_045, 10]] });
    expect(h.story()).toEqual([]);
    h.market.set(RELIANCE, {
      lastPrice: 10_050,
      volume: 120,
      bids: [[10_045, 10]],
      asks: [
        [10_055, 30],
        [10_060, 30],
        [10_065, 100],
      ],
    });
    expect(h.story()).toEqual([`${id} OPEN 0/100`, `${id} 30@10055`, `${id} 30@10060`, `${id} OPEN 60/100`]);
    const o = await h.order(id);
    expect(o).toMatchObject({ orderType: 'SL', triggerPrice: 10_050, price: 10_060 });
  });

  it('SL-M triggers into a market order with protection from the trigger-time last price', async () => {
    h.market.prime(RELIANCE, { lastPrice: 10_000, bids: [[9_995, 10]], asks: [[10_005, 10]] });
    const id = await h.broker.place(
      request({
        clientOrderId: 'q1',
        side: 'SELL',
        orderType: 'SL-M',
        price: 0,
        triggerPrice: 9_950,
        quantity: 20,
      }),
    );
    h.market.set(RELIANCE, {
      lastPrice: 9_945,
      bids: [
        [9_940, 10],
        [9_000, 100],
      ],
    });
    expect(h.story()).toEqual([
      `${id} TRIGGER PENDING 0/20`,
      `${id} OPEN 0/20`,
      `${id} 10@9940`,
      `${id} OPEN 10/20`,
    ]);
  });

  it('a trigger on the wrong side of the last price is reported REJECTED', async () => {
    h.market.prime(RELIANCE, { lastPrice: 10_000 });
    const id = await h.broker.place(
      request({ clientOrderId: 'q1', orderType: 'SL-M', price: 0, triggerPrice: 10_000 }),
    );
    expect((await h.order(id)).reason).toBe(PAPER_MESSAGES.stopBuyTrigger);
    const sell = await h.broker.place(
      request({ clientOrderId: 'q2', side: 'SELL', orderType: 'SL', price: 10_100, triggerPrice: 10_100 }),
    );
    expect(await h.order(sell)).toMatchObject({ status: 'REJECTED', reason: PAPER_MESSAGES.stopSellTrigger });
  });
});

describe('IOC', () => {
  it('fills what it can at once and cancels the rest', async () => {
    h.market.prime(RELIANCE, {
      lastPrice: 10_000,
      asks: [
        [10_000, 30],
        [10_005, 20],
        [10_010, 50],
      ],
    });
    const id = await h.broker.place(
      request({ clientOrderId: 'q1', validity: 'IOC', price: 10_005, quantity: 100 }),
    );
    expect(h.story()).toEqual([
      `${id} OPEN 0/100`,
      `${id} 30@10000`,
      `${id} 20@10005`,
      `${id} CANCELLED 50/100`,
    ]);
    expect((await h.order(id)).reason).toBe('IOC order cancelled: the unfilled quantity is not kept.');
    expect(h.market.listenerCount(RELIANCE)).toBe(0);
  });

  it('with nothing to take is cancelled unfilled; a MARKET IOC too', async () => {
    h.market.prime(RELIANCE, { lastPrice: 10_000, asks: [[10_500, 30]] });
    await h.broker.place(request({ clientOrderId: 'q1', validity: 'IOC', price: 10_005, quantity: 10 }));
    await h.broker.place(request({ clientOrderId: 'q2', validity: 'IOC', orderType: 'MARKET', price: 0 }));
    expect(h.story()).toEqual([
      'P000000000001 OPEN 0/10',
      'P000000000001 CANCELLED 0/10',
      'P000000000002 OPEN 0/1',
      'P000000000002 CANCELLED 0/1',
    ]);
  });
});

describe('modify and cancel', () => {
  it('re-prices a resting order into the book, then refuses a quantity below the filled', async () => {
    h.market.prime(RELIANCE, { lastPrice: 10_000, bids: [[9_990, 5]], asks: [[10_000, 30]] });
    const id = await h.broker.place(request({ clientOrderId: 'q1', price: 9_990, quantity: 100 }));
    await h.broker.modify({ orderId: id, variety: 'regular', exchange: 'NSE', price: 10_000 });
    expect(h.story()).toEqual([
      `${id} OPEN 0/100`,
      `${id} OPEN 0/100`,
      `${id} 30@10000`,
      `${id} OPEN 30/100`,
    ]);
    const e = await refusal(
      h.broker.modify({ orderId: id, variety: 'regular', exchange: 'NSE', quantity: 20 }),
    );
    expect(e.outcome).toBe('rejected');
    expect(e.message).toBe(PAPER_MESSAGES.modifyBelowFilled);
    // Down to the filled quantity: nothing more is wanted, the order is complete.
    await h.broker.modify({ orderId: id, variety: 'regular', exchange: 'NSE', quantity: 30 });
    expect(await h.order(id)).toMatchObject({ status: 'COMPLETE', quantity: 30, filledQuantity: 30 });
  });

  it('changes the order type: LIMIT to MARKET walks the book', async () => {
    h.market.prime(RELIANCE, { lastPrice: 10_000, bids: [[9_990, 5]], asks: [[10_005, 30]] });
    const id = await h.broker.place(request({ clientOrderId: 'q1', price: 9_990, quantity: 10 }));
    await h.broker.modify({ orderId: id, variety: 'regular', exchange: 'NSE', orderType: 'MARKET' });
    expect(await h.order(id)).toMatchObject({
      status: 'COMPLETE',
      orderType: 'MARKET',
      price: 0,
      averagePrice: 10_005,
    });
  });

  it('a smaller quantity keeps the queue position, a larger one goes to the back', async () => {
    h.market.prime(RELIANCE, { lastPrice: 10_000, volume: 0, bids: [[9_990, 100]], asks: [[10_000, 5]] });
    const id = await h.broker.place(request({ clientOrderId: 'q1', price: 9_990, quantity: 50 }));
    h.market.set(RELIANCE, { lastPrice: 9_990, volume: 90, bids: [[9_990, 10]] });
    await h.broker.modify({ orderId: id, variety: 'regular', exchange: 'NSE', quantity: 40 });
    h.take();
    h.market.set(RELIANCE, { lastPrice: 9_990, volume: 110, bids: [[9_990, 60]] });
    expect(h.story()).toEqual([`${id} 10@9990`, `${id} OPEN 10/40`]);
    // More quantity: behind the 60 now visible.
    await h.broker.modify({ orderId: id, variety: 'regular', exchange: 'NSE', quantity: 100 });
    h.take();
    h.market.set(RELIANCE, { lastPrice: 9_990, volume: 170 });
    expect(h.story()).toEqual([]);
    h.market.set(RELIANCE, { lastPrice: 9_990, volume: 175 });
    expect(h.story()).toEqual([`${id} 5@9990`, `${id} OPEN 15/100`]);
  });

  it('a triggered-pending stop can have its trigger moved, not past the last price', async () => {
    h.market.prime(RELIANCE, { lastPrice: 10_000 });
    const id = await h.broker.place(
      request({ clientOrderId: 'q1', orderType: 'SL-M', price: 0, triggerPrice: 10_100 }),
    );
    await h.broker.modify({ orderId: id, variety: 'regular', exchange: 'NSE', triggerPrice: 10_050 });
    expect(await h.order(id)).toMatchObject({ status: 'TRIGGER PENDING', triggerPrice: 10_050 });
    const e = await refusal(
      h.broker.modify({ orderId: id, variety: 'regular', exchange: 'NSE', triggerPrice: 9_990 }),
    );
    expect(e.message).toBe(PAPER_MESSAGES.stopBuyTrigger);
    expect((await h.order(id)).triggerPrice).toBe(10_050);
  });

  it('cancels a working order; a finished or unknown order cannot be cancelled or modified', async () => {
    h.market.prime(RELIANCE, { lastPrice: 10_000, asks: [[10_005, 5]] });
    const id = await h.broker.place(request({ clientOrderId: 'q1', price: 9_990, quantity: 10 }));
    expect(h.market.listenerCount(RELIANCE)).toBe(1);
    h.clock += 5_000;
    await h.broker.cancel(id, 'regular');
    expect(h.story()).toEqual([`${id} OPEN 0/10`, `${id} CANCELLED 0/10`]);
    expect(await h.order(id)).toMatchObject({
      status: 'CANCELLED',
      reason: null,
      updateTime: MONDAY_10AM + 5_000,
    });
    expect(h.market.listenerCount(RELIANCE)).toBe(0);

    const again = await refusal(h.broker.cancel(id, 'regular'));
    expect([again.outcome, again.message]).toEqual(['rejected', PAPER_MESSAGES.notPending('CANCELLED')]);
    const modify = await refusal(
      h.broker.modify({ orderId: id, variety: 'regular', exchange: 'NSE', price: 1 }),
    );
    expect(modify.message).toBe(PAPER_MESSAGES.notPending('CANCELLED'));
    expect((await refusal(h.broker.cancel('P999', 'regular'))).message).toBe(PAPER_MESSAGES.notFound);
    expect((await refusal(h.broker.orderTrades('P999'))).message).toBe(PAPER_MESSAGES.notFound);
    expect(h.story()).toEqual([]);
  });
});

describe('refusals of malformed requests', () => {
  it('throw VenueError(rejected) and record nothing', async () => {
    h.market.prime(RELIANCE, { lastPrice: 10_000 });
    const cases: [Parameters<typeof request>[0], string][] = [
      [{ clientOrderId: 'q1', quantity: 0 }, PAPER_MESSAGES.invalid('quantity')],
      [{ clientOrderId: 'q1', quantity: 1.5 }, PAPER_MESSAGES.invalid('quantity')],
      [{ clientOrderId: 'q1', quantity: Number.NaN }, PAPER_MESSAGES.invalid('quantity')],
      [{ clientOrderId: 'q1', price: 0 }, PAPER_MESSAGES.missing('price')],
      [{ clientOrderId: 'q1', price: 100.5 }, PAPER_MESSAGES.invalid('price')],
      [{ clientOrderId: 'q1', orderType: 'SL', price: 10_100 }, PAPER_MESSAGES.missing('trigger_price')],
      [
        { clientOrderId: 'q1', orderType: 'SL-M', price: 0, triggerPrice: -5 },
        PAPER_MESSAGES.invalid('trigger_price'),
      ],
      [
        { clientOrderId: 'q1', orderType: 'SL', price: 10_100, triggerPrice: 10_200 },
        PAPER_MESSAGES.stopBuyPrice,
      ],
      [
        { clientOrderId: 'q1', orderType: 'MARKET', price: 0, marketProtection: 0 },
        PAPER_MESSAGES.marketProtection,
      ],
      [
        { clientOrderId: 'q1', orderType: 'MARKET', price: 0, marketProtection: 101 },
        PAPER_MESSAGES.marketProtection,
      ],
      [{ clientOrderId: 'q1', validity: 'TTL', validityTtl: null }, PAPER_MESSAGES.ttl],
      [{ clientOrderId: 'q1', variety: 'amo' }, PAPER_MESSAGES.amo],
      [{ clientOrderId: 'q1', disclosedQuantity: 2 }, PAPER_MESSAGES.disclosed],
      [{ clientOrderId: 'q-1' }, PAPER_MESSAGES.invalid('tag')],
      [{ clientOrderId: 'x'.repeat(21) }, PAPER_MESSAGES.invalid('tag')],
      [{ clientOrderId: 'q1', instrumentToken: 256_265 }, PAPER_MESSAGES.notTradable],
    ];
    for (const [over, message] of cases) {
      const e = await refusal(h.broker.place(request(over)));
      expect([e.outcome, e.message]).toEqual(['rejected', message]);
    }
    expect(await h.broker.orders()).toEqual([]);
    expect(h.take()).toEqual([]);
    // The sequence was not used up by the refusals.
    expect(await h.broker.place(request({ clientOrderId: 'q1' }))).toBe('P000000000001');
  });
});

describe('expiry', () => {
  it('TTL orders are cancelled after their minutes; DAY orders at the change of the IST date', async () => {
    h.market.prime(RELIANCE, { lastPrice: 10_000, asks: [[10_005, 5]] });
    h.market.prime(INFY, { lastPrice: 15_000, asks: [[15_005, 5]] });
    const ttl = await h.broker.place(
      request({ clientOrderId: 'q1', validity: 'TTL', validityTtl: 2, price: 9_000 }),
    );
    const day = await h.broker.place(
      request({ clientOrderId: 'q2', instrumentToken: INFY, tradingsymbol: 'INFY', price: 14_000 }),
    );
    h.take();
    h.clock += 119_999;
    h.market.set(RELIANCE, {});
    expect(h.story()).toEqual([]);
    h.clock += 1;
    h.market.set(RELIANCE, {});
    expect(h.story()).toEqual([`${ttl} CANCELLED 0/1`]);
    // 18:30 UTC is midnight IST: the next day's first call expires yesterday's DAY order.
    h.clock = Date.UTC(2026, 0, 5, 18, 30);
    const orders = await h.broker.orders();
    expect(h.story()).toEqual([`${day} CANCELLED 0/1`]);
    expect(orders.find((o) => o.orderId === day)).toMatchObject({
      status: 'CANCELLED',
      reason: PAPER_MESSAGES.dayEnd,
    });
    // The TTL order of yesterday that did not change today is not in today's book.
    expect(orders.map((o) => o.orderId)).toEqual([day]);
  });
});

describe('positions and margins', () => {
  it('net per instrument and product, FIFO average of the open quantity; funds from the fills', async () => {
    h.market.prime(RELIANCE, {
      lastPrice: 10_000,
      bids: [[9_990, 1_000]],
      asks: [
        [10_000, 10],
        [10_011, 1_000],
      ],
    });
    const buy = (id: string, quantity: number): Promise<string> =>
      h.broker.place(request({ clientOrderId: id, orderType: 'MARKET', price: 0, quantity }));
    await buy('a', 20); // 10 @ 10000, 10 @ 10011
    await h.broker.place(
      request({ clientOrderId: 'b', side: 'SELL', orderType: 'MARKET', price: 0, quantity: 15 }),
    );
    // Open: 5 @ 10011. Realised: 10 x (9990 - 10000) + 5 x (9990 - 10011) = -205 paise.
    expect(await h.broker.positions()).toEqual([
      expect.objectContaining({ quantity: 5, averagePrice: 10_011 }),
    ]);
    expect(await h.broker.margins()).toEqual({
      equity: { availableCash: 100_000_000 - 205, utilised: 50_055, net: 100_000_000 - 205 - 50_055 },
      commodity: null,
    });
  });
});

describe('restart', () => {
  it('reopening the database rebuilds the book: orders, fills, resting orders keep working', async () => {
    h.market.prime(RELIANCE, {
      lastPrice: 10_000,
      volume: 1_000,
      bids: [[9_990, 200]],
      asks: [
        [10_000, 10],
        [10_005, 10],
      ],
    });
    const market = await h.broker.place(
      request({ clientOrderId: 'q1', orderType: 'MARKET', price: 0, quantity: 30 }),
    );
    const limit = await h.broker.place(request({ clientOrderId: 'q2', price: 9_990, quantity: 50 }));
    const stop = await h.broker.place(
      request({
        clientOrderId: 'q3',
        side: 'SELL',
        orderType: 'SL',
        price: 9_900,
        triggerPrice: 9_950,
        quantity: 5,
      }),
    );
    h.market.set(RELIANCE, { lastPrice: 9_990, volume: 1_150 });
    const before = await h.broker.orders();
    const trades = await h.broker.trades();
    expect(before.map((o) => [o.status, o.filledQuantity])).toEqual([
      ['OPEN', 20],
      ['OPEN', 0],
      ['TRIGGER PENDING', 0],
    ]);
    // As after a SIGKILL: the old connection is never closed (its broker only stops listening).
    const old = h.db;
    h.broker.dispose();
    h.open();
    expect(h.db).not.toBe(old);
    expect(await h.broker.orders()).toEqual(before);
    expect(await h.broker.trades()).toEqual(trades);
    expect(await h.broker.orderTrades(market)).toHaveLength(2);
    // The queue position survived (50 of 200 ahead left), and the market protection of the MARKET order.
    h.take();
    // The first update is the new broker's baseline of traded volume; 10205 is beyond the protection.
    h.market.set(RELIANCE, { lastPrice: 9_990, volume: 1_150, asks: [[10_205, 100]] });
    expect(h.story()).toEqual([]);
    h.market.set(RELIANCE, { lastPrice: 9_990, volume: 1_210 });
    expect(h.story()).toEqual([`${limit} 10@9990`, `${limit} OPEN 10/50`]);
    h.market.set(RELIANCE, { lastPrice: 9_940, volume: 1_211, bids: [[9_935, 50]] });
    expect(h.story()).toEqual([
      `${limit} 40@9990`,
      `${limit} COMPLETE 50/50`,
      `${stop} OPEN 0/5`,
      `${stop} 5@9935`,
      `${stop} COMPLETE 5/5`,
    ]);
    // Ids carry on from the stored sequence.
    expect(await h.broker.place(request({ clientOrderId: 'q4', price: 1 }))).toBe('P000000000004');
    expect((await h.broker.trades()).map((t) => t.tradeId).at(-1)).toBe('PT000000000005');
    old.close();
  });
});

describe('listeners', () => {
  it('a throwing listener does not stop the others; a listener may call the broker', async () => {
    h.market.prime(RELIANCE, { lastPrice: 10_000, asks: [[10_005, 5]] });
    h.broker.onOrder(() => {
      throw new Error('boom');
    });
    const seen: string[] = [];
    h.broker.onOrder((r) => {
      seen.push(r.status);
      if (r.status === 'OPEN') void h.broker.cancel(r.orderId, 'regular');
    });
    await h.broker.place(request({ clientOrderId: 'q1', price: 9_000 }));
    await Promise.resolve();
    await Promise.resolve();
    expect(seen).toEqual(['OPEN', 'CANCELLED']);
    expect(h.logged.some((l) => l.includes('boom'))).toBe(true);
  });

  it('after dispose every call is refused and nothing is pushed', async () => {
    h.broker.dispose();
    expect((await refusal(h.broker.orders())).message).toBe(PAPER_MESSAGES.closed);
  });
});

describe('the database', () => {
  it('is the engine database with the paper tables (migration 7); a file without them is refused', () => {
    expect(h.db.appliedMigrations().find((m) => m.version === 7)).toMatchObject({ name: 'paper broker' });
    const old = openEngineDatabase({
      file: path.join(dir, 'v6.db'),
      migrations: ENGINE_MIGRATIONS.slice(0, 6),
    });
    try {
      expect(() => new PaperBroker({ db: old, market: h.market, now: () => 0 })).toThrow(/migration 7/);
    } finally {
      old.close();
    }
  });

  it('writes a state change in one transaction before reporting it; a failed write changes nothing', async () => {
    h.market.prime(RELIANCE, { lastPrice: 10_000, volume: 0, bids: [[9_990, 10]], asks: [[10_005, 10]] });
    const id = await h.broker.place(request({ clientOrderId: 'q1', price: 9_990, quantity: 5 }));
    h.take();
    // Make every write fail: the trade below cannot be recorded, so it does not happen.
    h.db.sql.exec(
      "CREATE TRIGGER no_trades BEFORE INSERT ON paper_trades BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    h.market.set(RELIANCE, { lastPrice: 9_985, volume: 10 });
    expect(h.story()).toEqual([]);
    expect(h.logged.at(-1)).toMatch(/not applied: .*disk full/);
    expect(await h.order(id)).toMatchObject({ status: 'OPEN', filledQuantity: 0 });
    const stored = h.db.sql.prepare('SELECT status, filled_quantity FROM paper_orders').get();
    expect(stored).toEqual({ status: 'OPEN', filled_quantity: 0 });
    const e = await refusal(h.broker.place(request({ clientOrderId: 'q2', orderType: 'MARKET', price: 0 })));
    expect(e.outcome).toBe('rejected');
    expect((await h.broker.orders()).map((o) => o.orderId)).toEqual([id]);
    // Writable again: the next update fills it.
    h.db.sql.exec('DROP TRIGGER no_trades');
    h.market.set(RELIANCE, { lastPrice: 9_980, volume: 20 });
    expect(h.story()).toEqual([`${id} 5@9990`, `${id} COMPLETE 5/5`]);
  });
});
