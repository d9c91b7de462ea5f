/**
 * The engine's algorithms over the real OMS (validation, risk, the SQLite journal) with a stand-in
 * broker (standInBroker.ts) whose order updates a test pushes, and a clock, a quote and closed bars
 * the test moves: what each step sends, at what price and size, can be checked exactly. A stand-in
 * because these interleavings cannot be caused on demand against the local exchange; the exchange
 * tests (algos.exchange.test.ts) run the same algorithms against a real market.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AlgoView } from '../../../shared/services/algos';
import type { AlgoQuote } from '../algos/algo';
import { AlgoEngine } from '../algos/algoEngine';
import type { AlgoEngineOptions } from '../algos/algoEngine';
import type { Instrument } from '../market/instruments';
import { createClientOrderIdSource } from '../oms/clientOrderId';
import { OrderManager } from '../oms/orderManager';
import { OrderRateLimiter } from '../risk/orderRate';
import { PreTradeRisk } from '../risk/preTrade';
import { openEngineDatabase } from '../store';
import type { EngineDatabase } from '../store';
import { AlgoStore } from '../store/algoStore';
import { OrderJournal } from '../store/orderJournal';
import { StandInBroker } from './standInBroker';
import { until } from './until';

const PENDING = ['SENT', 'MODIFY_PENDING', 'CANCEL_PENDING'];

export class AlgoHarness {
  private dir = '';
  private db: EngineDatabase | undefined;
  oms!: OrderManager;
  algos!: AlgoEngine;
  broker!: StandInBroker;
  /** The engine's clock runs at the wall clock plus what the test has moved it by. */
  skew = 0;
  quote: AlgoQuote;
  readonly logLines: string[] = [];
  private readonly priceListeners = new Set<() => void>();
  private readonly barListeners = new Set<{ interval: string; listener: (close: number) => void }>();

  constructor(
    private readonly instrument: Instrument,
    private readonly initialQuote: AlgoQuote,
  ) {
    this.quote = initialQuote;
  }

  readonly now = (): number => Date.now() + this.skew;

  /** A fresh database and clock (beforeEach). */
  open(): void {
    this.dir = mkdtempSync(path.join(tmpdir(), 'algo-harness-'));
    this.db = openEngineDatabase({ file: path.join(this.dir, 'engine.sqlite'), synchronous: 'NORMAL' });
    this.skew = 0;
    this.quote = this.initialQuote;
    this.priceListeners.clear();
    this.barListeners.clear();
    this.logLines.length = 0;
  }

  /** Starts (or, with the broker of an earlier start, restarts) the OMS and the algorithm engine. */
  async start(
    existing?: StandInBroker,
    more: Pick<AlgoEngineOptions, 'minuteHistory' | 'barHistory' | 'gtt'> = {},
  ): Promise<void> {
    const db = this.db;
    if (db === undefined) throw new Error('open() first');
    const i = this.instrument;
    this.broker = existing ?? new StandInBroker(i);
    const journal = new OrderJournal(db, this.now);
    const ids = createClientOrderIdSource(this.now(), Math.random);
    journal.startRun(ids.runPrefix);
    const rate = new OrderRateLimiter();
    const log = (l: string) => this.logLines.push(l);
    this.oms = new OrderManager({
      journal,
      instrument: (t) => (t === i.instrumentToken ? i : undefined),
      lastPrice: () => this.quote.lastPrice,
      risk: new PreTradeRisk({ global: {}, fatFingerBasisPoints: 500, duplicateWindowMs: 1_000 }, rate),
      rate,
      riskState: () => 'ACTIVE',
      ids,
      now: this.now,
      log,
      pollMs: 600_000,
    });
    this.algos = new AlgoEngine({
      oms: this.oms,
      store: new AlgoStore(db),
      instrument: (t) => (t === i.instrumentToken ? i : undefined),
      lastPrice: () => this.quote.lastPrice,
      quote: () => this.quote,
      ...more,
      watch: (_token, listener) => {
        this.priceListeners.add(listener);
        return { dispose: () => this.priceListeners.delete(listener) };
      },
      watchBars: (_token, interval, listener) => {
        const entry = { interval, listener };
        this.barListeners.add(entry);
        return { dispose: () => this.barListeners.delete(entry) };
      },
      runPrefix: ids.runPrefix,
      now: this.now,
      random: () => 0.5,
      log,
      stepMs: 60_000,
    });
    await this.oms.attach(this.broker.venue(), 'test:T1');
    await until('reconciled', () => (this.oms.reconciliationState.state === 'ok' ? true : undefined));
  }

  /** Stops the engine (a restart keeps the database). */
  stop(): void {
    this.algos.dispose();
    this.oms.dispose();
  }

  /** Stops everything and removes the database (afterEach). */
  close(): void {
    this.stop();
    this.db?.close();
    this.db = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A new quote, told to the algorithms as a tick would. */
  tick(change: Partial<AlgoQuote>): void {
    this.quote = { ...this.quote, ...change };
    for (const l of this.priceListeners) l();
  }

  /** Moves the engine's clock and lets the algorithms step (a tick with an unchanged quote). */
  advance(ms: number): void {
    this.skew += ms;
    this.tick({});
  }

  /** Moves the clock and runs the engine's periodic step. */
  step(ms = 0): void {
    this.skew += ms;
    this.algos.stepWorking();
  }

  /** A bar of `interval` closes at `close`, told to whoever reads that interval. */
  bar(interval: string, close: number): void {
    for (const b of [...this.barListeners]) if (b.interval === interval) b.listener(close);
  }

  /** How many are reading bars of `interval` now. */
  barReaders(interval: string): number {
    return [...this.barListeners].filter((b) => b.interval === interval).length;
  }

  algo(id: string): AlgoView {
    const a = this.algos.get(id);
    if (a === undefined) throw new Error(`no algo ${id}`);
    return a;
  }

  /** Waits until the OMS has the broker's answer for every order sent (they leave SENT). */
  acked(): Promise<boolean> {
    return until('acknowledged', () => (this.oms.list().every((o) => o.state !== 'SENT') ? true : undefined));
  }

  /** Waits until no child has a request unanswered. */
  settled(): Promise<boolean> {
    return until('settled', () =>
      this.oms.list().every((o) => !PENDING.includes(o.state)) ? true : undefined,
    );
  }

  /** Reports the broker's view of the `n`th order after the modifies the OMS sent it (quantity, price). */
  reportModified(n: number, status: string, filled = 0): void {
    const mine = this.broker.modifies.filter((m) => m.orderId === `V${n}`);
    const quantity = mine.findLast((m) => m.quantity !== undefined)?.quantity;
    const price = mine.findLast((m) => m.price !== undefined)?.price;
    this.broker.report(n, status, filled, {
      ...(quantity === undefined ? {} : { quantity }),
      ...(price === undefined ? {} : { price }),
    });
  }

  /** The broker takes every modify the OMS has sent it and waits on (the order stays open with its fills). */
  async answerModifies(): Promise<void> {
    const answered = new Map<string, number>();
    await until('modifies answered', () => {
      for (const o of this.oms.list()) {
        if (o.state !== 'MODIFY_PENDING') continue;
        const n = this.broker.sent.findIndex((r) => r.clientOrderId === o.clientOrderId) + 1;
        const sent = this.broker.modifies.filter((m) => m.orderId === `V${n}`).length;
        if (sent === 0 || answered.get(o.clientOrderId) === sent) continue;
        answered.set(o.clientOrderId, sent);
        this.reportModified(n, 'OPEN', o.filledQuantity);
      }
      return this.oms.list().some((o) => PENDING.includes(o.state)) ? undefined : true;
    });
  }
}
