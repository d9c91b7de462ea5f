import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Price } from '../../../shared/domain/money';
import type { RpcError } from '../../../shared/rpc/errors';
import type { Instrument } from '../market/instruments';
import { OrderRateLimiter } from '../risk/orderRate';
import { PreTradeRisk } from '../risk/preTrade';
import { openEngineDatabase } from '../store';
import type { EngineDatabase } from '../store';
import { OrderJournal } from '../store/orderJournal';
import { stubVenue } from '../testing/stubVenue';
import { until } from '../testing/until';
import { createClientOrderIdSource } from './clientOrderId';
import { OrderManager } from './orderManager';
import { VenueError } from './venue';
import type { OrderVenue, VenueOrderReport, VenuePlaceRequest, VenuePosition, VenueTrade } from './venue';

// An exit above the freeze quantity, past what the local exchange lets a test build: its USDINR
// book is too thin to hold a position above the 10,000 freeze quantity (orders.exchange.test.ts
// exits a NIFTY option position in slices there, and sees the exchange name USDINR's freeze). The
// OMS runs for real (validation, risk, the order rate, the SQLite journal); the venue is an in-test
// stand-in that carries a position from yesterday and refuses an order above its freeze quantity
// with the local exchange's words (electron/sim/exchange/messages.ts), acknowledging the rest.

const TOKEN = 281_859;
const FREEZE = 10_000;

function usdinr(freezeQuantity: number | null): Instrument {
  return {
    instrumentToken: TOKEN,
    exchangeToken: TOKEN >> 8,
    tradingSymbol: 'USDINR26DECFUT',
    name: 'USDINR',
    lastPrice: 882_050_000 as Price,
    expiry: '2026-12-29',
    strike: 0 as Price,
    tickSize: 25_000,
    lotSize: 1,
    instrumentType: 'FUT',
    segment: 'CDS-FUT',
    exchange: 'CDS',
    priceDivisor: 10_000_000,
    freezeQuantity,
  };
}

let dir: string;
let db: EngineDatabase;
let sent: VenuePlaceRequest[];
let oms: OrderManager;

/** What the stand-in pushes as order updates and trades (a test decides when). */
let pushOrder: ((r: VenueOrderReport) => void) | undefined;
let pushTrade: ((t: VenueTrade) => void) | undefined;

async function start(
  carry: number,
  freezeQuantity: number | null,
  duplicateWindowMs = 1_000,
  venueOverrides: Partial<OrderVenue> = {},
): Promise<void> {
  const position: VenuePosition = {
    instrumentToken: TOKEN,
    exchange: 'CDS',
    tradingsymbol: 'USDINR26DECFUT',
    product: 'NRML',
    quantity: carry,
    overnightQuantity: carry,
    averagePrice: 880_000_000,
  };
  let id = 0;
  const venue = stubVenue({
    place: (r) => {
      sent.push(r);
      if (r.quantity > FREEZE)
        return Promise.reject(
          new VenueError(
            'rejected',
            `The order quantity ${r.quantity} is higher than the maximum quantity ${FREEZE} allowed per order for this contract. Reduce the quantity, use iceberg orders or set autoslice.`,
          ),
        );
      return Promise.resolve(`V${++id}`);
    },
    positions: () => Promise.resolve([position]),
    onOrder: (l) => {
      pushOrder = l;
      return { dispose: () => undefined };
    },
    onTrade: (l) => {
      pushTrade = l;
      return { dispose: () => undefined };
    },
    ...venueOverrides,
  });
  const journal = new OrderJournal(db, Date.now);
  const ids = createClientOrderIdSource(Date.now(), () => 0.5);
  journal.startRun(ids.runPrefix);
  const rate = new OrderRateLimiter();
  oms = new OrderManager({
    journal,
    instrument: (t) => (t === TOKEN ? usdinr(freezeQuantity) : undefined),
    lastPrice: () => 882_050_000,
    risk: new PreTradeRisk({ global: {}, fatFingerBasisPoints: 500, duplicateWindowMs }, rate),
    rate,
    riskState: () => 'ACTIVE',
    ids,
    now: Date.now,
    log: () => undefined,
    pollMs: 600_000,
  });
  await oms.attach(venue, 'test:T1');
  await until('reconciled', () => (oms.reconciliationState.state === 'ok' ? true : undefined));
  expect(oms.portfolio.quantity(TOKEN, 'NRML')).toBe(carry);
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'exit-slices-'));
  db = openEngineDatabase({ file: path.join(dir, 'engine.sqlite'), synchronous: 'NORMAL' });
  sent = [];
});

afterEach(() => {
  oms.dispose();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const refusalOf = (p: Promise<unknown>): Promise<RpcError | undefined> =>
  p.then(
    () => undefined,
    (e: unknown) => e as RpcError,
  );

describe('exit above the freeze quantity', () => {
  it('not known: the whole exit is refused, the exchange names 10000, the rest goes in slices of it', async () => {
    await start(25_001, null);
    const orders = await oms.exit(TOKEN, 'NRML');
    expect(orders.map((o) => [o.side, o.quantity, o.state])).toEqual([
      ['SELL', 25_001, 'REJECTED'],
      ['SELL', 10_000, 'ACCEPTED'],
      ['SELL', 10_000, 'ACCEPTED'],
      ['SELL', 5_001, 'ACCEPTED'],
    ]);
    // What reached the wire: one refused order, then exactly the position, none above the freeze.
    expect(sent.map((r) => r.quantity)).toEqual([25_001, 10_000, 10_000, 5_001]);
    // Known from then on: an order above it is refused before the wire, with the slicing suggestion.
    const refused = await oms
      .place({
        instrumentToken: TOKEN,
        side: 'BUY',
        quantity: 10_001,
        orderType: 'MARKET',
        product: 'NRML',
        variety: 'regular',
        validity: 'DAY',
      })
      .then(
        () => undefined,
        (e: unknown) => e as RpcError,
      );
    expect(refused?.details).toEqual({
      code: 'FREEZE_QUANTITY',
      suggestion: 'Slice it into 2 orders of at most 10000 (an iceberg).',
    });
    expect(sent).toHaveLength(4);
  });

  it('known: 25 equal slices go at the 10 a second the broker allows, none refused as a duplicate', async () => {
    await start(25 * FREEZE, FREEZE);
    const started = Date.now();
    const orders = await oms.exit(TOKEN, 'NRML');
    expect(orders).toHaveLength(25);
    expect(orders.every((o) => o.quantity === FREEZE && o.state === 'ACCEPTED')).toBe(true);
    expect(sent.reduce((a, r) => a + r.quantity, 0)).toBe(25 * FREEZE);
    // 25 orders under 10/s need two waits for the window; the exit sat them out, not refused them.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
  }, 15_000);

  it('asked twice at once, the second exit is refused while the first is sent', async () => {
    await start(2 * FREEZE, FREEZE);
    const [first, second] = await Promise.allSettled([oms.exit(TOKEN, 'NRML'), oms.exit(TOKEN, 'NRML')]);
    expect(first.status === 'fulfilled' && first.value.map((o) => o.quantity)).toEqual([FREEZE, FREEZE]);
    expect(second.status === 'rejected' && (second.reason as RpcError)).toMatchObject({
      message: 'An exit of this position is already being sent.',
      details: { code: 'DUPLICATE_ORDER' },
    });
    expect(sent.map((r) => r.quantity)).toEqual([FREEZE, FREEZE]);
    // Asked again just after: the first exit's orders are still working (the stand-in never
    // reports on them), so the exit waits for them, then refuses: nothing more reaches the wire.
    const again = await refusalOf(oms.exit(TOKEN, 'NRML'));
    expect(again?.details).toMatchObject({ code: 'ORDERS_WORKING' });
    expect(again?.message).toMatch(/2 orders on the position did not end in 3 s/);
    expect(sent).toHaveLength(2);
  }, 10_000);
});

/** The broker's report of `r` (sent as the OMS's `n`th order, broker id `V<n>`) in `status`. */
function report(
  r: VenuePlaceRequest,
  n: number,
  status: string,
  filledQuantity: number,
  at: number,
): VenueOrderReport {
  return {
    orderId: `V${n}`,
    tag: r.clientOrderId,
    status,
    instrumentToken: TOKEN,
    exchange: 'CDS',
    tradingsymbol: 'USDINR26DECFUT',
    side: r.side,
    orderType: r.orderType,
    product: r.product,
    variety: 'regular',
    validity: 'DAY',
    quantity: r.quantity,
    filledQuantity,
    price: r.price,
    triggerPrice: 0,
    averagePrice: filledQuantity > 0 ? 882_050_000 : 0,
    reason: null,
    orderTime: at,
    updateTime: at,
  };
}

/** A sell limit of 100 above the market, resting on the position. */
const RESTING_SELL = {
  instrumentToken: TOKEN,
  side: 'SELL',
  quantity: 100,
  orderType: 'LIMIT',
  price: 882_250_000,
  product: 'NRML',
  variety: 'regular',
  validity: 'DAY',
} as const;

describe('an exit sized only when nothing on the position can still change it', () => {
  it('right after an exit the broker reported filled, before its trade arrives: nothing more is sold', async () => {
    // No duplicate guard: it is not what stops the second exit here.
    await start(500, FREEZE, 0);
    const [first] = await oms.exit(TOKEN, 'NRML');
    expect(first?.quantity).toBe(500);
    const r = sent[0]!;
    pushOrder?.(report(r, 1, 'COMPLETE', 500, Date.now()));
    await until('reported COMPLETE', () =>
      oms.list().some((o) => o.state === 'COMPLETE') ? true : undefined,
    );
    // The position still reads 500 (no trade yet); the broker's report says it is flat.
    expect(oms.portfolio.quantity(TOKEN, 'NRML')).toBe(500);
    expect(await oms.exit(TOKEN, 'NRML')).toEqual([]);
    expect(sent).toHaveLength(1);
    // The trade arrives: the position takes it in, and still nothing more is sold.
    pushTrade?.({
      tradeId: 'T1',
      orderId: 'V1',
      instrumentToken: TOKEN,
      exchange: 'CDS',
      tradingsymbol: 'USDINR26DECFUT',
      side: 'SELL',
      product: 'NRML',
      quantity: 500,
      price: 882_050_000,
      time: Date.now(),
    });
    await until('flat', () => (oms.portfolio.quantity(TOKEN, 'NRML') === 0 ? true : undefined));
    expect(await oms.exit(TOKEN, 'NRML')).toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it('an exit partly filled then cancelled, trades not in yet: the next exit sells only the rest', async () => {
    await start(500, FREEZE, 0);
    await oms.exit(TOKEN, 'NRML');
    pushOrder?.(report(sent[0]!, 1, 'CANCELLED', 200, Date.now()));
    await until('reported CANCELLED', () =>
      oms.list().some((o) => o.state === 'CANCELLED') ? true : undefined,
    );
    const orders = await oms.exit(TOKEN, 'NRML');
    expect(orders.map((o) => [o.side, o.quantity])).toEqual([['SELL', 300]]);
  });

  it('a working order on the position is cancelled and the exit waits for its cancel to be confirmed', async () => {
    let cancels = 0;
    await start(500, FREEZE, 0, {
      cancel: () => {
        cancels++;
        // The broker confirms by an order update a little later.
        setTimeout(() => {
          pushOrder?.(report(sent[0]!, 1, 'CANCELLED', 0, Date.now()));
        }, 150);
        return Promise.resolve();
      },
    });
    const limit = await oms.place(RESTING_SELL);
    pushOrder?.(report(sent[0]!, 1, 'OPEN', 0, Date.now()));
    await until('OPEN', () =>
      oms.list().some((o) => o.clientOrderId === limit.clientOrderId && o.state === 'OPEN')
        ? true
        : undefined,
    );
    const started = Date.now();
    const orders = await oms.exit(TOKEN, 'NRML');
    expect(cancels).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(orders.map((o) => [o.side, o.quantity, o.orderType])).toEqual([['SELL', 500, 'MARKET']]);
    expect(sent.map((r) => r.quantity)).toEqual([100, 500]);
  });

  it('an order whose cancel is never confirmed refuses the exit after the wait, and nothing is sent', async () => {
    await start(500, FREEZE, 0);
    await oms.place(RESTING_SELL);
    pushOrder?.(report(sent[0]!, 1, 'OPEN', 0, Date.now()));
    await until('OPEN', () => (oms.list().some((o) => o.state === 'OPEN') ? true : undefined));
    const started = Date.now();
    const refused = await refusalOf(oms.exit(TOKEN, 'NRML'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
    expect(refused?.details).toEqual({ code: 'ORDERS_WORKING' });
    expect(refused?.message).toMatch(
      /^Exit USDINR26DECFUT NRML: nothing was sent; an order on the position did not end in 3 s \(q\w+ CANCEL_PENDING\)\. Exit again once it ends\.$/,
    );
    expect(sent).toHaveLength(1);
  }, 10_000);
});
