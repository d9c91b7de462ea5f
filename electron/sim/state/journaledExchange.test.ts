import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Exchange } from '../exchange/exchange';
import type { SessionTarget } from '../exchange/session';
import type { ExchangeEvent } from '../exchange/types';
import { loadInstruments } from '../instruments/loadInstruments';
import { openExchangeState } from './journaledExchange';
import type { ExchangeStateOptions, JournaledExchange } from './journaledExchange';
import { ExchangeStateError, SCHEMA_VERSION } from './schema';
import { DAY, START, infy, snapshot } from './testing/fixtures';

const INSTRUMENTS = loadInstruments(DAY);
const SYMBOLS = ['NSE:INFY', 'NFO:NIFTY25NOVFUT'];

let dir: string;
let file: string;
let now: number;
let open: JournaledExchange[];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'shrivenq-state-'));
  file = path.join(dir, 'exchange.db');
  now = START;
  open = [];
});

afterEach(() => {
  for (const x of open) x.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Events as plain data (the order copied), to compare a live run with its replay. */
function record(into: unknown[]): (e: ExchangeEvent) => void {
  return (e) => into.push(JSON.parse(JSON.stringify(e)));
}

function state(over: Partial<ExchangeStateOptions> = {}, at: string = file): JournaledExchange {
  const x = openExchangeState(at, { tradingDate: DAY, instruments: INSTRUMENTS, now: () => now, ...over });
  open.push(x);
  return x;
}

function reopen(x: JournaledExchange, over: Partial<ExchangeStateOptions> = {}): JournaledExchange {
  x.close();
  return state(over);
}

function orderId(r: { ok: true; order_id: string } | { ok: false }): string {
  if (!r.ok) throw new Error('refused');
  return r.order_id;
}

type Commands = Pick<
  JournaledExchange,
  | 'placeOrder'
  | 'modifyOrder'
  | 'cancelOrder'
  | 'openSession'
  | 'closeSession'
  | 'squareOffIntraday'
  | 'expireOrders'
>;

/** A day with resting orders, partial fills, a modify in and out of the queue, cancels, AMO, TTL. */
function tradeADay(x: Commands): void {
  const b1 = orderId(x.placeOrder(infy({ price: 154_000, quantity: 30 })));
  now += 1_000;
  const b2 = orderId(x.placeOrder(infy({ account: 'CD5678', price: 153_900, quantity: 20 })));
  now += 1_000;
  // Sells 25 into b1's 30: b1 partly filled.
  x.placeOrder(infy({ account: 'CD5678', transaction_type: 'SELL', price: 154_000, quantity: 25 }));
  now += 1_000;
  x.modifyOrder(b2, { price: 153_950 });
  now += 1_000;
  x.modifyOrder(b1, { quantity: 28 });
  now += 1_000;
  x.placeOrder(
    infy({ account: 'EF9012', transaction_type: 'SELL', order_type: 'MARKET', quantity: 10, price: 0 }),
  );
  now += 1_000;
  const stop = orderId(
    x.placeOrder(infy({ transaction_type: 'SELL', order_type: 'SL-M', trigger_price: 150_000, quantity: 5 })),
  );
  x.placeOrder(
    infy({
      price: 154_100,
      quantity: 5,
      validity: 'TTL',
      validity_ttl: 1,
      account: 'EF9012',
      product: 'MIS',
    }),
  );
  now += 1_000;
  x.placeOrder({
    account: 'AB1234',
    variety: 'regular',
    exchange: 'NFO',
    tradingsymbol: 'NIFTY25NOVFUT',
    transaction_type: 'BUY',
    order_type: 'LIMIT',
    quantity: 75,
    product: 'NRML',
    price: 2_600_000,
  });
  now += 1_000;
  // Autoslice: 1875 is above NIFTY's freeze quantity of 1800, so two slices; a sell of 1950, also sliced, takes both.
  const fut = {
    variety: 'regular',
    exchange: 'NFO',
    tradingsymbol: 'NIFTY25NOVFUT',
    order_type: 'LIMIT',
    product: 'NRML',
    price: 2_600_000,
  } as const;
  x.placeOrder({ ...fut, account: 'CD5678', transaction_type: 'BUY', quantity: 1875, autoslice: true });
  x.placeOrder({ ...fut, account: 'EF9012', transaction_type: 'SELL', quantity: 1950, autoslice: true });
  now += 1_000;
  // An iceberg of 3 legs of 10 that a seller fills leg after leg, and a cover order with its stop leg.
  x.placeOrder(
    infy({ variety: 'iceberg', price: 154_050, quantity: 30, iceberg_legs: 3, iceberg_quantity: 10 }),
  );
  x.placeOrder(infy({ account: 'CD5678', transaction_type: 'SELL', price: 154_050, quantity: 25 }));
  x.placeOrder(
    infy({
      account: 'EF9012',
      variety: 'co',
      product: 'MIS',
      price: 154_050,
      quantity: 5,
      trigger_price: 150_000,
    }),
  );
  x.placeOrder(infy({ account: 'CD5678', transaction_type: 'SELL', price: 154_050, quantity: 30 }));
  now += 1_000;
  x.cancelOrder(b2);
  x.cancelOrder(stop);
  now += 120_000;
  x.expireOrders();
  x.squareOffIntraday();
  x.closeSession();
  now += 1_000;
  x.placeOrder(infy({ variety: 'amo', price: 153_500 }));
  now += 1_000;
  x.openSession();
  now += 1_000;
  x.placeOrder(infy({ transaction_type: 'SELL', order_type: 'SL-M', trigger_price: 150_000, quantity: 5 }));
  // Far above the circuit: accepted, then REJECTED.
  x.placeOrder(infy({ price: 300_000 }));
}

describe('openExchangeState: the file', () => {
  it('is WAL with synchronous FULL, a busy timeout and the current schema, fresh and reopened', () => {
    for (let round = 0; round < 2; round++) {
      const x = state();
      x.close();
      const db = new Database(file, { readonly: true });
      try {
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      } finally {
        db.close();
      }
    }
    // The trap: a plain connection to this (already WAL) file gets better-sqlite3's NORMAL.
    const plain = new Database(file);
    expect(plain.pragma('synchronous', { simple: true })).toBe(1);
    plain.close();
    // The pragmas of the connection the state itself uses, on a reopened file.
    const x = state();
    const probe = (x as unknown as { db: Database.Database }).db;
    expect(probe.pragma('synchronous', { simple: true })).toBe(2);
    expect(probe.pragma('busy_timeout', { simple: true })).toBe(5_000);
    expect(probe.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('refuses a file from a newer schema and leaves it alone', () => {
    state().close();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => state()).toThrow(expect.objectContaining({ code: 'NEWER_SCHEMA' }));
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    check.close();
  });

  it('refuses another trading day unless told to archive it', () => {
    const x = state();
    x.placeOrder(infy());
    x.close();
    const other = (): JournaledExchange =>
      state({ tradingDate: '2025-11-25', instruments: loadInstruments('2025-11-25') });
    expect(other).toThrow(ExchangeStateError);
    expect(other).toThrow(/holds trading day 2025-11-24, not 2025-11-25/);
    const next = state({
      tradingDate: '2025-11-25',
      instruments: loadInstruments('2025-11-25'),
      newDay: 'archive',
    });
    expect(next.orders()).toEqual([]);
    next.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT trading_date, archived_at IS NOT NULL AS archived FROM days').all()).toEqual([
      { trading_date: '2025-11-24', archived: 1 },
      { trading_date: '2025-11-25', archived: 0 },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM journal WHERE trading_date = ?').get(DAY)).toEqual({ n: 1 });
    db.close();
    // Back to the first day: it comes out of the archive as it was.
    const back = state({ newDay: 'archive' });
    expect(back.orders()).toHaveLength(1);
  });

  it('refuses to replay over different instruments', () => {
    state().placeOrder(infy());
    open[0]?.close();
    const changed = INSTRUMENTS.map((i) => (i.tradingsymbol === 'INFY' ? { ...i, last_price: 150_000 } : i));
    expect(() => state({ instruments: changed })).toThrow(
      expect.objectContaining({ code: 'INSTRUMENTS_CHANGED' }),
    );
  });
});

describe('JournaledExchange', () => {
  it('has the Exchange API: commands, reads and the session clock target', () => {
    const x = state();
    const api: Pick<
      Exchange,
      | 'placeOrder'
      | 'modifyOrder'
      | 'cancelOrder'
      | 'openSession'
      | 'closeSession'
      | 'squareOffIntraday'
      | 'expireOrders'
      | 'sessionOpen'
      | 'order'
      | 'orders'
      | 'positions'
      | 'allPositions'
      | 'lastPrice'
      | 'marketStats'
      | 'book'
    > = x;
    const target: SessionTarget = x;
    expect(api.sessionOpen && target.sessionOpen).toBe(true);
  });

  it('rebuilds identical orders, trades, statuses, positions and books after a reopen', () => {
    const live: unknown[] = [];
    const liveTimes: number[] = [];
    const x = state({
      onEvent: (e, replaying, at) => {
        expect(replaying).toBe(false);
        liveTimes.push(at);
        record(live)(e);
      },
    });
    tradeADay(x);
    const end = now;
    const before = snapshot(x, SYMBOLS);
    // The varieties that make orders of their own are in the day too.
    expect(before.orders.filter((o) => o.tags.includes('autoslice'))).toHaveLength(4);
    expect(before.orders.filter((o) => o.variety === 'iceberg').length).toBeGreaterThanOrEqual(2);
    expect(before.orders.filter((o) => o.variety === 'co' && o.parent_order_id !== null)).toHaveLength(1);
    expect(before.orders.length).toBeGreaterThanOrEqual(8);
    expect(live.filter((e) => (e as ExchangeEvent).type === 'trade').length).toBeGreaterThan(4);
    expect(new Set(before.orders.map((o) => o.status))).toEqual(
      new Set(['OPEN', 'COMPLETE', 'CANCELLED', 'TRIGGER PENDING', 'REJECTED']),
    );

    const replayed: unknown[] = [];
    const flags = new Set<boolean>();
    now = START + 10_000_000; // the host clock at restart: replay must not read it
    const times: number[] = [];
    const y = reopen(x, {
      onEvent: (e, replaying, at) => {
        flags.add(replaying);
        times.push(at);
        replayed.push(JSON.parse(JSON.stringify(e)));
      },
    });
    expect([...flags]).toEqual([true]);
    expect(times).toEqual(liveTimes);
    expect(y.replaying).toBe(false);
    expect(snapshot(y, SYMBOLS)).toEqual(before);
    expect(replayed).toEqual(live);
    expect(y.lastTime).toBe(end);

    // New commands continue the order numbers.
    const last = before.orders.at(-1)?.order_id ?? '';
    const next = orderId(y.placeOrder(infy({ price: 153_000 })));
    expect(BigInt(next)).toBe(BigInt(last) + 1n);
  });

  it('matches a plain Exchange given the same commands at the same times', () => {
    const x = state();
    tradeADay(x);
    now = START;
    const plain = new Exchange({ instruments: INSTRUMENTS, now: () => now, onEvent: () => undefined });
    tradeADay(plain);
    expect(snapshot(x, SYMBOLS)).toEqual(snapshot(plain, SYMBOLS));
  });

  it('journals only what changed the exchange, and keeps markers', () => {
    const x = state();
    const seq = (): number => x.lastSeq;
    expect(x.placeOrder(infy({ price: 154_001 })).ok).toBe(false);
    expect(x.cancelOrder('nope').ok).toBe(false);
    x.expireOrders();
    x.openSession();
    expect(seq()).toBe(0);
    x.placeOrder(infy());
    expect(seq()).toBe(1);
    x.mark('market', { seed: 7, simTime: now });
    x.closeSession();
    expect(seq()).toBe(3);
    const y = reopen(x);
    expect(y.marker('market')).toEqual({ seed: 7, simTime: START });
    expect(y.sessionOpen).toBe(false);
    expect(y.lastSeq).toBe(3);
  });

  it('gives listeners the command time, after the commit', () => {
    const seen: [number, number][] = [];
    const x: JournaledExchange = state({
      onEvent: () => {
        const db = new Database(file, { readonly: true });
        const n = (db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n;
        db.close();
        seen.push([x.now(), n]);
      },
    });
    now = START + 5;
    x.placeOrder(infy());
    now = START + 9;
    expect(seen).toEqual([[START + 5, 1]]);
    expect(x.now()).toBe(START + 9);
  });

  it('commits a batch once and keeps what ran before a throw', () => {
    const x = state();
    expect(() =>
      x.batch(() => {
        x.placeOrder(infy());
        x.placeOrder(infy({ price: 153_000 }));
        throw new Error('market step failed');
      }),
    ).toThrow('market step failed');
    expect(x.lastSeq).toBe(2);
    const y = reopen(x);
    expect(y.orders()).toHaveLength(2);
  });

  it('stops, and loses nothing committed, when the journal cannot be written', () => {
    const x = state({ busyTimeoutMs: 10 });
    const kept = orderId(x.placeOrder(infy()));
    const blocker = new Database(file);
    blocker.exec('BEGIN IMMEDIATE');
    expect(() => x.placeOrder(infy({ price: 153_000 }))).toThrow(
      expect.objectContaining({ code: 'JOURNAL_FAILED' }),
    );
    expect(() => x.cancelOrder(kept)).toThrow(expect.objectContaining({ code: 'JOURNAL_FAILED' }));
    blocker.exec('ROLLBACK');
    blocker.close();
    const y = reopen(x);
    expect(y.orders().map((o) => o.order_id)).toEqual([kept]);
  });
});

// ---- replay property ------------------------------------------------------------------------------

type Action =
  | {
      kind: 'place';
      account: number;
      buy: boolean;
      type: 'LIMIT' | 'MARKET' | 'IOC' | 'SL' | 'SL-M' | 'TTL' | 'ICEBERG' | 'CO';
      offset: number;
      lots: number;
      mis: boolean;
    }
  | { kind: 'cancel'; pick: number }
  | { kind: 'modify'; pick: number; offset: number; lots: number }
  | { kind: 'session'; call: 'open' | 'close' | 'squareOff' | 'expire' }
  | { kind: 'wait'; ms: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('place' as const),
      account: fc.integer({ min: 0, max: 2 }),
      buy: fc.boolean(),
      type: fc.constantFrom(
        'LIMIT' as const,
        'LIMIT' as const,
        'LIMIT' as const,
        'MARKET' as const,
        'IOC' as const,
        'SL' as const,
        'SL-M' as const,
        'TTL' as const,
        'ICEBERG' as const,
        'CO' as const,
      ),
      offset: fc.integer({ min: -8, max: 8 }),
      lots: fc.integer({ min: 1, max: 6 }),
      mis: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('modify' as const),
      pick: fc.nat(),
      offset: fc.integer({ min: -8, max: 8 }),
      lots: fc.integer({ min: 1, max: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('session' as const),
      call: fc.constantFrom('open' as const, 'close' as const, 'squareOff' as const, 'expire' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 90_000 }) }),
  },
);

/** Runs the actions on `x`; the clock moves 1 ms per action plus the waits. */
function play(x: JournaledExchange, actions: readonly Action[]): void {
  const ids: string[] = [];
  const tick = 5; // INFY's tick, paise
  for (const a of actions) {
    now += 1;
    if (a.kind === 'wait') {
      now += a.ms;
    } else if (a.kind === 'session') {
      if (a.call === 'open') x.openSession();
      else if (a.call === 'close') x.closeSession();
      else if (a.call === 'squareOff') x.squareOffIntraday();
      else x.expireOrders();
    } else if (a.kind === 'place') {
      const last =
        x.lastPrice(INSTRUMENTS.find((i) => i.tradingsymbol === 'INFY')?.instrument_token ?? 0) ?? 154_080;
      const away = (1 + (Math.abs(a.offset) % 4)) * tick;
      const trigger = a.buy ? last + away : last - away;
      const stop = a.type === 'SL' || a.type === 'SL-M';
      const limit = 154_080 + a.offset * tick;
      if (a.type === 'ICEBERG' || a.type === 'CO') {
        const iceberg = a.type === 'ICEBERG';
        const r = x.placeOrder(
          infy({
            account: `AC${a.account}`,
            variety: iceberg ? 'iceberg' : 'co',
            transaction_type: a.buy ? 'BUY' : 'SELL',
            product: iceberg && !a.mis ? 'CNC' : 'MIS',
            price: limit,
            ...(iceberg
              ? { quantity: 3 * a.lots * 5, iceberg_legs: 3, iceberg_quantity: a.lots * 5 }
              : { quantity: a.lots * 5, trigger_price: limit + (a.buy ? -20 : 20) * tick }),
          }),
        );
        if (r.ok) ids.push(r.order_id);
        continue;
      }
      const r = x.placeOrder(
        infy({
          account: `AC${a.account}`,
          variety: x.sessionOpen ? 'regular' : 'amo',
          transaction_type: a.buy ? 'BUY' : 'SELL',
          order_type: a.type === 'IOC' || a.type === 'TTL' ? 'LIMIT' : a.type,
          quantity: a.lots * 5,
          product: a.mis ? 'MIS' : 'CNC',
          validity: a.type === 'IOC' ? 'IOC' : a.type === 'TTL' ? 'TTL' : 'DAY',
          ...(a.type === 'TTL' ? { validity_ttl: 1 } : {}),
          ...(stop ? { trigger_price: trigger } : {}),
          ...(a.type === 'MARKET' || a.type === 'SL-M'
            ? { price: 0, market_protection: 1 }
            : {
                price: a.type === 'SL' ? trigger + (a.buy ? 2 * tick : -2 * tick) : 154_080 + a.offset * tick,
              }),
        }),
      );
      if (r.ok) ids.push(r.order_id);
    } else if (ids.length > 0) {
      const id = ids[a.pick % ids.length] ?? '';
      if (a.kind === 'cancel') x.cancelOrder(id);
      else x.modifyOrder(id, { price: 154_080 + a.offset * tick, quantity: a.lots * 5 });
    }
  }
}

describe('JournaledExchange replay (seeded property)', () => {
  it('rebuilds the live order book, orders and positions from the journal of any command sequence', () => {
    let run = 0;
    let orders = 0;
    let trades = 0;
    // Iceberg legs after the first and cover stoploss legs: orders the exchange made by itself.
    let laterLegs = 0;
    fc.assert(
      fc.property(fc.array(actionArb, { minLength: 1, maxLength: 80, size: 'max' }), (actions) => {
        const at = path.join(dir, `p${run++}.db`);
        now = START;
        const live: unknown[] = [];
        const x = state({ onEvent: record(live), synchronous: 'NORMAL' }, at);
        play(x, actions);
        const before = snapshot(x, ['NSE:INFY']);
        orders += before.orders.length;
        laterLegs += before.orders.filter((o) => o.parent_order_id !== null).length;
        trades += live.filter((e) => (e as ExchangeEvent).type === 'trade').length;
        x.close();
        const replayed: unknown[] = [];
        const y = state({ onEvent: record(replayed), synchronous: 'NORMAL' }, at);
        expect(snapshot(y, ['NSE:INFY'])).toEqual(before);
        expect(replayed).toEqual(live);
        y.close();
      }),
      { seed: 20261124, numRuns: 150 },
    );
    // The sequences do trade: a property over an idle book would prove nothing.
    expect(orders).toBeGreaterThan(3_000);
    expect(trades).toBeGreaterThan(1_800);
    expect(laterLegs).toBeGreaterThan(200);
  }, 60_000);
});
