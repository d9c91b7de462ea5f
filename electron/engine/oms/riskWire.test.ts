import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Price } from '../../../shared/domain/money';
import type { Instrument } from '../market/instruments';
import { OrderRateLimiter } from '../risk/orderRate';
import { PreTradeRisk } from '../risk/preTrade';
import { openEngineDatabase } from '../store';
import { OrderJournal } from '../store/orderJournal';
import { createClientOrderIdSource } from './clientOrderId';
import { OrderManager } from './orderManager';
import { PreTradeData } from './preTradeData';
import { stubVenue } from '../testing/stubVenue';
import type { VenuePlaceRequest } from './venue';

// Risk at the wire (issue 6, acceptance 3): whatever orders are asked for, no order that breaks a
// limit reaches the venue. The OMS runs for real (validation, pre-trade risk, the SQLite journal);
// the venue is an in-test recorder that acknowledges every order and fills none, standing in for the
// exchange because the property is about what leaves the OMS, and a recorder sees every byte-worthy
// request with no timing in the way. The oracle re-checks each recorded order independently, in
// BigInt, against the limits and the orders sent before it. The circuit band and the margin check
// run on the OMS's real PreTradeData, fed by the recorder as Kite would answer: `/margins/orders`
// blocks 20% of an intraday order's value, and `/user/margins` counts every open order.

const LTP = 150_000; // Rs 1,500.00
const TICK = 5;
const TOKENS = [408_065, 2_953_217];
/** The circuit band: 10% either side of the last price (orders go up to 15% away). */
const BAND = { lower: LTP - 300 * TICK, upper: LTP + 300 * TICK };
/** Margin an MIS order blocks: 20% of its value (Zerodha's 5x), basis points. */
const MIS_BP = 2_000n;

function instrument(token: number): Instrument {
  return {
    instrumentToken: token,
    exchangeToken: token >> 8,
    tradingSymbol: `S${token}`,
    name: 'TEST',
    lastPrice: LTP as Price,
    expiry: '',
    strike: 0 as Price,
    tickSize: TICK,
    lotSize: 1,
    instrumentType: 'EQ',
    segment: 'NSE',
    exchange: 'NSE',
    priceDivisor: 100,
    freezeQuantity: null,
  };
}

interface Limits {
  maxQuantity: number;
  maxValuePaise: number;
  maxPosition: number;
  maxOpenOrders: number;
  bandBp: number;
  marginPaise: number;
}

const limitsArb = fc.record({
  maxQuantity: fc.integer({ min: 1, max: 500 }),
  maxValuePaise: fc.integer({ min: 100_000, max: 50_000_000 }),
  maxPosition: fc.integer({ min: 1, max: 800 }),
  maxOpenOrders: fc.integer({ min: 1, max: 12 }),
  bandBp: fc.integer({ min: 10, max: 2_000 }),
  marginPaise: fc.integer({ min: 0, max: 20_000_000 }),
});

/** The margin an MIS order blocks, paise (rounded up). */
function blocks(o: VenuePlaceRequest): bigint {
  const value = BigInt(o.orderType === 'MARKET' ? LTP : o.price) * BigInt(o.quantity);
  return (value * MIS_BP + 9_999n) / 10_000n;
}

const orderArb = fc.record({
  token: fc.constantFrom(...TOKENS),
  side: fc.constantFrom('BUY' as const, 'SELL' as const),
  quantity: fc.integer({ min: 1, max: 1_000 }),
  market: fc.boolean(),
  // Up to 15% away from the last price, on the tick.
  ticksAway: fc.integer({ min: -450, max: 450 }),
});

/** Whether `o` may be sent after `sent` (all resting, none filled) under `l`: the oracle. */
function allowed(o: VenuePlaceRequest, sent: readonly VenuePlaceRequest[], l: Limits): boolean {
  if (o.quantity > l.maxQuantity) return false;
  const price = BigInt(o.orderType === 'MARKET' ? LTP : o.price);
  if (price * BigInt(o.quantity) > BigInt(l.maxValuePaise)) return false;
  if (o.orderType !== 'MARKET') {
    const away = price > BigInt(LTP) ? price - BigInt(LTP) : BigInt(LTP) - price;
    if (away * 10_000n > BigInt(l.bandBp) * BigInt(LTP)) return false;
    if (o.price < BAND.lower || o.price > BAND.upper) return false;
  }
  // Flat and nothing filled: every order opens a position, and every open order blocks margin.
  const used = sent.reduce((a, s) => a + blocks(s), 0n);
  if (blocks(o) > BigInt(l.marginPaise) - used) return false;
  if (sent.length >= l.maxOpenOrders) return false;
  const same = sent.filter((s) => s.instrumentToken === o.instrumentToken && s.side === o.side);
  const open = same.reduce((a, s) => a + s.quantity, 0);
  // Flat account: the worst case is every open order on the side filling.
  return open + o.quantity <= l.maxPosition;
}

describe('pre-trade risk at the wire', () => {
  it('no order that breaks a limit reaches the venue', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'risk-wire-'));
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(limitsArb, fc.array(orderArb, { minLength: 1, maxLength: 30 }), async (l, asks) => {
          const db = openEngineDatabase({ file: path.join(dir, `r${run++}.sqlite`), synchronous: 'NORMAL' });
          const sent: VenuePlaceRequest[] = [];
          let id = 0;
          const venue = stubVenue({
            place: (r) => {
              sent.push(r);
              return Promise.resolve(`V${++id}`);
            },
            margins: () => {
              const used = sent.reduce((a, s) => a + Number(blocks(s)), 0);
              const net = l.marginPaise - used;
              return Promise.resolve({
                equity: { net, availableCash: net, utilised: used },
                commodity: null,
              });
            },
            orderMargin: (r) => Promise.resolve(Math.ceil((r.price * r.quantity * Number(MIS_BP)) / 10_000)),
          });
          let now = 1_800_000_000_000;
          const rate = new OrderRateLimiter();
          const journal = new OrderJournal(db, () => now);
          const ids = createClientOrderIdSource(now, () => 0.5);
          journal.startRun(ids.runPrefix);
          const data = new PreTradeData(
            {
              circuitBand: () => Promise.resolve(BAND),
              margins: () => venue.margins(),
              orderMargin: (r) => venue.orderMargin(r),
            },
            () => now,
            () => undefined,
          );
          // What a ticket's pricing would have learned before: each instrument's band and rates.
          for (const t of TOKENS) {
            await data.fetchBand(instrument(t));
            for (const side of ['BUY', 'SELL'] as const)
              await data.orderMargin({
                instrumentToken: t,
                exchange: 'NSE',
                tradingsymbol: `S${t}`,
                side,
                orderType: 'LIMIT',
                product: 'MIS',
                variety: 'regular',
                quantity: 1,
                price: LTP,
                triggerPrice: 0,
              });
          }
          await data.refreshMargins();
          const oms = new OrderManager({
            preTradeData: () => data,
            journal,
            instrument: (t) => (TOKENS.includes(t) ? instrument(t) : undefined),
            lastPrice: () => LTP,
            risk: new PreTradeRisk(
              {
                global: {
                  maxQuantity: l.maxQuantity,
                  maxValuePaise: l.maxValuePaise,
                  maxPosition: l.maxPosition,
                },
                maxOpenOrders: l.maxOpenOrders,
                fatFingerBasisPoints: l.bandBp,
                duplicateWindowMs: 0,
              },
              rate,
            ),
            rate,
            riskState: () => 'ACTIVE',
            ids,
            now: () => now,
            log: () => undefined,
            pollMs: 600_000,
          });
          try {
            await oms.attach(venue, 'test:T1');
            for (const a of asks) {
              // 150 ms apart: the 10/s rate limit is not what this property is about.
              now += 150;
              const before = [...sent];
              const accepted = await oms
                .place({
                  instrumentToken: a.token,
                  side: a.side,
                  quantity: a.quantity,
                  orderType: a.market ? 'MARKET' : 'LIMIT',
                  product: 'MIS',
                  variety: 'regular',
                  validity: 'DAY',
                  ...(a.market ? {} : { price: LTP + a.ticksAway * TICK }),
                })
                .then(
                  () => true,
                  () => false,
                );
              if (accepted) {
                const last = sent[sent.length - 1];
                expect(last).toBeDefined();
                if (last !== undefined) expect(allowed(last, before, l)).toBe(true);
              } else {
                expect(sent).toHaveLength(before.length);
              }
            }
          } finally {
            data.dispose();
            oms.dispose();
            db.close();
          }
        }),
        { numRuns: 60 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
