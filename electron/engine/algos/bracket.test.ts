import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RpcError } from '../../../shared/rpc/errors';
import type { AlgoSpecInput, AlgoView } from '../../../shared/services/algos';
import { createClientOrderIdSource } from '../oms/clientOrderId';
import { OrderManager } from '../oms/orderManager';
import { OrderRateLimiter } from '../risk/orderRate';
import { PreTradeRisk } from '../risk/preTrade';
import { openEngineDatabase } from '../store';
import type { EngineDatabase } from '../store';
import { AlgoStore } from '../store/algoStore';
import { OrderJournal } from '../store/orderJournal';
import { StandInBroker } from '../testing/standInBroker';
import { INFY } from '../testing/testInstruments';
import { until } from '../testing/until';
import { AlgoEngine } from './algoEngine';
import { MAX_STOP_MOVES, TRAIL_INTERVAL_MS } from './bracket';

// Brackets over the real OMS (validation, risk, the SQLite journal) with a stand-in broker whose
// order updates the test pushes, one at a time, so that what the bracket sends in answer to each can
// be checked exactly, and in the same turn: the OCO's cancel or resize of the other exit must be on
// the wire when the push that reported the fill returns, before any later event (a tick) is handled.

const TOKEN = INFY.instrumentToken;

let dir: string;
let db: EngineDatabase;
let oms: OrderManager;
let algos: AlgoEngine;
let broker: StandInBroker;
let last = 150_000;
let clock = 1_000_000;
const priceListeners = new Set<() => void>();
const logLines: string[] = [];

async function start(maxQuantity?: number, existing?: StandInBroker): Promise<void> {
  broker = existing ?? new StandInBroker(INFY);
  const journal = new OrderJournal(db, Date.now);
  const ids = createClientOrderIdSource(Date.now(), Math.random);
  journal.startRun(ids.runPrefix);
  const rate = new OrderRateLimiter();
  oms = new OrderManager({
    journal,
    instrument: (t) => (t === TOKEN ? INFY : undefined),
    lastPrice: () => last,
    risk: new PreTradeRisk(
      {
        global: maxQuantity === undefined ? {} : { maxQuantity },
        fatFingerBasisPoints: 500,
        duplicateWindowMs: 1_000,
      },
      rate,
    ),
    rate,
    riskState: () => 'ACTIVE',
    ids,
    now: Date.now,
    log: (l) => logLines.push(l),
    pollMs: 600_000,
  });
  algos = new AlgoEngine({
    oms,
    store: new AlgoStore(db),
    instrument: (t) => (t === TOKEN ? INFY : undefined),
    lastPrice: () => last,
    watch: (_token, listener) => {
      priceListeners.add(listener);
      return { dispose: () => priceListeners.delete(listener) };
    },
    runPrefix: ids.runPrefix,
    now: () => clock,
    random: () => 0.5,
    log: (l) => logLines.push(l),
    stepMs: 60_000,
  });
  await oms.attach(broker.venue(), 'test:T1');
  await until('reconciled', () => (oms.reconciliationState.state === 'ok' ? true : undefined));
}

/** A new last price, told to the bracket as a tick would. */
function tick(price: number): void {
  last = price;
  for (const l of priceListeners) l();
}

const algo = (id: string): AlgoView => {
  const a = algos.get(id);
  if (a === undefined) throw new Error(`no algo ${id}`);
  return a;
};

/** A market buy of 100 with a target at 1,510.00 and a stop at 1,490.00 unless `more` says otherwise. */
const bracket = (more: Partial<AlgoSpecInput & { kind: 'bracket' }> = {}): AlgoSpecInput => ({
  kind: 'bracket',
  instrumentToken: TOKEN,
  side: 'BUY',
  quantity: 100,
  product: 'MIS',
  entry: { orderType: 'MARKET' },
  target: { price: 151_000 },
  stop: { price: 149_000 },
  ...more,
});

/** Waits until the OMS has the broker's answer for every order sent (they leave SENT). */
const acked = () =>
  until('acknowledged', () => (oms.list().every((o) => o.state !== 'SENT') ? true : undefined));

/** Starts a bracket and fills its entry of `filled` at 1,500.00; its exits are reported resting. */
async function filledBracket(spec: AlgoSpecInput = bracket(), filled = 100): Promise<string> {
  const { algoId } = algos.start(spec);
  await acked();
  broker.report(1, filled === 100 ? 'COMPLETE' : 'OPEN', filled);
  await acked();
  broker.report(2, 'OPEN');
  broker.report(3, 'TRIGGER PENDING');
  return algoId;
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bracket-'));
  db = openEngineDatabase({ file: path.join(dir, 'engine.sqlite'), synchronous: 'NORMAL' });
  last = 150_000;
  clock = 1_000_000;
  priceListeners.clear();
  logLines.length = 0;
});

afterEach(() => {
  algos.dispose();
  oms.dispose();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a bracket over the OMS', () => {
  it('places the entry, then on its fill a target and a stop of the filled quantity', async () => {
    await start();
    const { algoId, status } = algos.start(bracket());
    expect(status).toBe('WORKING');
    expect(broker.sent.map((r) => [r.side, r.orderType, r.quantity])).toEqual([['BUY', 'MARKET', 100]]);
    expect(oms.list()[0]?.parentId).toBe(algoId);
    await acked();
    broker.report(1, 'COMPLETE', 100);
    // In the same turn as the fill was reported.
    expect(
      broker.sent.slice(1).map((r) => [r.side, r.orderType, r.quantity, r.price, r.triggerPrice]),
    ).toEqual([
      ['SELL', 'LIMIT', 100, 151_000, 0],
      ['SELL', 'SL-M', 100, 0, 149_000],
    ]);
    expect(algo(algoId)).toMatchObject({
      filledQuantity: 100,
      averagePrice: 150_000,
      targetPrice: 151_000,
      stopPrice: 149_000,
    });
    expect(algo(algoId).children).toHaveLength(3);
  });

  it('a partial target fill reduces the stop, and the rest of it cancels the stop, each in the turn it is reported', async () => {
    await start();
    const id = await filledBracket();
    broker.report(2, 'OPEN', 40);
    // Before anything else runs: the stop is cut to the 60 still open.
    expect(broker.modifies).toEqual([{ orderId: 'V3', variety: 'regular', exchange: 'NSE', quantity: 60 }]);
    expect(broker.cancels).toEqual([]);
    broker.report(3, 'TRIGGER PENDING', 0, { quantity: 60 });
    broker.report(2, 'COMPLETE', 100);
    expect(broker.cancels).toEqual(['V3']);
    await acked();
    broker.report(3, 'CANCELLED', 0);
    expect(algo(id)).toMatchObject({ status: 'COMPLETED', exitedQuantity: 100, filledQuantity: 100 });
    expect(broker.sent).toHaveLength(3);
  });

  it('the stop filling cancels the target in the same turn', async () => {
    await start();
    const id = await filledBracket();
    broker.report(3, 'COMPLETE', 100);
    expect(broker.cancels).toEqual(['V2']);
    await acked();
    broker.report(2, 'CANCELLED', 0);
    expect(algo(id).status).toBe('COMPLETED');
  });

  it('a partial entry fill protects what filled, and the exits grow with the entry', async () => {
    await start();
    const id = await filledBracket(bracket({ entry: { orderType: 'LIMIT', price: 150_000 } }), 30);
    expect(broker.sent.slice(1).map((r) => r.quantity)).toEqual([30, 30]);
    broker.report(1, 'COMPLETE', 100);
    expect(broker.modifies.map((m) => [m.orderId, m.quantity])).toEqual([
      ['V2', 100],
      ['V3', 100],
    ]);
    expect(algo(id).phase).toMatch(/^100 open, exits working/);
  });

  it('an exit cancelled outside it (the kill switch, cancel all) ends it and nothing more is placed', async () => {
    await start();
    const id = await filledBracket();
    await oms.cancelAll();
    broker.report(2, 'CANCELLED');
    broker.report(3, 'CANCELLED');
    expect(algo(id).status).toBe('CANCELLED');
    expect(algo(id).reason).toMatch(/cancelled outside the bracket .*; 100 left open/);
    expect(broker.sent).toHaveLength(3);
  });

  it('a rejected stop fails it: the target is cancelled and the open position is named', async () => {
    await start();
    const id = await filledBracket();
    broker.report(3, 'REJECTED', 0, { reason: 'Trigger price is not valid' });
    expect(broker.cancels).toEqual(['V2']);
    broker.report(2, 'CANCELLED');
    expect(algo(id)).toMatchObject({ status: 'FAILED' });
    expect(algo(id).reason).toMatch(/rejected: Trigger price is not valid; 100 left open/);
  });

  it('exits at market when the price is already through the stop at the entry fill', async () => {
    await start();
    const { algoId } = algos.start(bracket());
    await acked();
    last = 148_800;
    broker.report(1, 'COMPLETE', 100);
    expect(broker.sent.slice(1).map((r) => [r.orderType, r.quantity])).toEqual([
      ['LIMIT', 100],
      ['MARKET', 100],
    ]);
    await acked();
    broker.report(2, 'OPEN');
    broker.report(3, 'COMPLETE', 100);
    expect(broker.cancels).toEqual(['V2']);
    broker.report(2, 'CANCELLED');
    expect(algo(algoId)).toMatchObject({ status: 'COMPLETED', exitedQuantity: 100 });
  });

  it('exit levels in ticks are set from the entry average at its first fill', async () => {
    await start();
    const id = await filledBracket(bracket({ target: { ticks: 40 }, stop: { ticks: 20 } }));
    // 1,500.00 + 40 x 0.05 and - 20 x 0.05.
    expect(algo(id)).toMatchObject({ targetPrice: 150_200, stopPrice: 149_900 });
    expect(broker.sent[1]?.price).toBe(150_200);
    expect(broker.sent[2]?.triggerPrice).toBe(149_900);
  });

  it(
    'trails the stop behind the best price, never back, at most once a second and a bounded number of times',
    { timeout: 10_000 },
    async () => {
      await start();
      const id = await filledBracket(bracket({ trail: { ticks: 10 } }));
      tick(150_200);
      // Best 1,502.00, less 10 ticks of 0.05: 1,501.50.
      expect(broker.modifies).toEqual([
        { orderId: 'V3', variety: 'regular', exchange: 'NSE', triggerPrice: 150_150 },
      ]);
      broker.report(3, 'TRIGGER PENDING', 0, { triggerPrice: 150_150 });
      clock += TRAIL_INTERVAL_MS;
      tick(150_100);
      expect(broker.modifies).toHaveLength(1);
      tick(150_300);
      expect(broker.modifies[1]?.triggerPrice).toBe(150_250);
      broker.report(3, 'TRIGGER PENDING', 0, { triggerPrice: 150_250 });
      // Within the second: the stop waits (the next tick after it moves it).
      tick(150_400);
      expect(broker.modifies).toHaveLength(2);
      clock += TRAIL_INTERVAL_MS;
      tick(150_400);
      expect(broker.modifies[2]?.triggerPrice).toBe(150_350);
      expect(algo(id).stopPrice).toBe(150_350);
      // Modifications count toward the broker's 10 orders a second: paced as a real trail would be.
      for (let k = 3; k < MAX_STOP_MOVES + 5; k++) {
        await new Promise((r) => setTimeout(r, 120));
        broker.report(3, 'TRIGGER PENDING', 0, { triggerPrice: algo(id).stopPrice });
        clock += TRAIL_INTERVAL_MS;
        tick(150_400 + k * 10);
      }
      // Capped: a modification the order rate refused is asked again at the next tick, so the
      // broker saw at most one per move; after the last move the stop stays however far the price goes.
      expect(logLines.some((l) => l.includes('trails no further'))).toBe(true);
      expect(broker.modifies.length).toBeLessThanOrEqual(MAX_STOP_MOVES);
      const capped = algo(id).stopPrice;
      clock += TRAIL_INTERVAL_MS;
      tick(152_000);
      expect(algo(id).stopPrice).toBe(capped);
    },
  );

  it('moves the stop to the entry price once the price is the given ticks in profit', async () => {
    await start();
    const id = await filledBracket(bracket({ breakEvenTicks: 20 }));
    tick(150_095);
    expect(broker.modifies).toEqual([]);
    tick(150_100);
    expect(broker.modifies).toEqual([
      { orderId: 'V3', variety: 'regular', exchange: 'NSE', triggerPrice: 150_000 },
    ]);
    expect(algo(id).stopPrice).toBe(150_000);
  });

  it('a trader moves the target and the stop; a stop above the target is refused', async () => {
    await start();
    const id = await filledBracket();
    algos.modify({ algoId: id, targetPrice: 151_500, stopPrice: 149_500 });
    expect(broker.modifies.map((m) => [m.orderId, m.price, m.triggerPrice])).toEqual([
      ['V2', 151_500, undefined],
      ['V3', undefined, 149_500],
    ]);
    const refused = (() => {
      try {
        algos.modify({ algoId: id, stopPrice: 152_000 });
        return undefined;
      } catch (e) {
        return e as RpcError;
      }
    })();
    expect(refused?.details).toEqual({ code: 'INVALID_ALGO' });
    expect(algo(id).stopPrice).toBe(149_500);
  });

  it('cancelled by the trader: its working orders are cancelled, the position is left as it is', async () => {
    await start();
    const id = await filledBracket();
    algos.cancel(id);
    expect(broker.cancels.sort()).toEqual(['V2', 'V3']);
    broker.report(2, 'CANCELLED');
    broker.report(3, 'CANCELLED');
    expect(algo(id)).toMatchObject({ status: 'CANCELLED', reason: 'cancelled by the trader' });
  });

  it('an entry refused by risk is refused to the caller, nothing sent; a bad spec records nothing', async () => {
    await start(50);
    const refused = (() => {
      try {
        algos.start(bracket());
        return undefined;
      } catch (e) {
        return e as RpcError;
      }
    })();
    expect(refused?.details).toMatchObject({ code: 'MAX_QUANTITY' });
    expect(broker.sent).toEqual([]);
    expect(algos.list().map((a) => a.status)).toEqual(['FAILED']);
    const bad = (() => {
      try {
        algos.start(bracket({ quantity: 10, target: { price: 149_000 }, stop: { price: 151_000 } }));
        return undefined;
      } catch (e) {
        return e as RpcError;
      }
    })();
    expect(bad?.details).toEqual({ code: 'INVALID_ALGO' });
    expect(bad?.message).toMatch(/target must be above its stop/);
    expect(algos.list()).toHaveLength(1);
  });

  it('is rebuilt after a restart from its row and its children, and sends nothing it had sent', async () => {
    await start();
    const id = await filledBracket();
    const before = algo(id);
    algos.dispose();
    oms.dispose();
    const sentBefore = broker.sent.length;
    const book = broker;
    // A new OMS and algorithm engine on the same database; the broker keeps its book.
    await start(undefined, book);
    await until('rebuilt', () => algos.get(id));
    expect(algo(id)).toMatchObject({
      status: 'WORKING',
      filledQuantity: 100,
      targetPrice: before.targetPrice,
      stopPrice: before.stopPrice,
      children: before.children,
    });
    expect(book.sent).toHaveLength(sentBefore);
    // It still works its OCO.
    book.report(2, 'COMPLETE', 100);
    expect(book.cancels).toEqual(['V3']);
  });
});
