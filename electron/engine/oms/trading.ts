/**
 * The engine's trading side, wired: the order journal, the OMS, pre-trade risk with its shared rate
 * limiter, the trading state (kill switch, daily loss limit), the venue of the session's mode, and
 * the `orders`, `portfolio` and `risk` services.
 */
import { randomInt } from 'node:crypto';
import { DisposableStore } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import type { Settings } from '../../../shared/services/settings';
import type { RiskLimits, RiskStatus } from '../../../shared/services/risk';
import { RiskLimitsSchema } from '../../../shared/services/risk';
import type { MarketData } from '../market/marketData';
import { KiteVenue } from '../broker/kite/kiteVenue';
import type { BrokerConnection } from '../session/brokerSession';
import { OrderRateLimiter } from '../risk/orderRate';
import { PreTradeRisk } from '../risk/preTrade';
import { RiskGovernor } from '../risk/governor';
import type { GovernorAction } from '../risk/governor';
import { RpcError } from '../../../shared/rpc/errors';
import type { EngineDatabase } from '../store';
import { OrderJournal } from '../store/orderJournal';
import { intentLogFileFor } from '../store/intentLog';
import { createClientOrderIdSource } from './clientOrderId';
import { OrderManager } from './orderManager';
import type { OrderVenue } from './venue';
import { PreTradeData } from './preTradeData';
import { StopLosses } from './stopLosses';
import { PositionStopStore } from '../store/positionStops';
import { AlgoStore } from '../store/algoStore';
import type { BarInterval } from '../../../shared/services/market';
import { AlgoEngine } from '../algos/algoEngine';
import type { GttBroker } from '../algos/algo';
import { Router } from '../algos/router';
import { preTradeLimits } from './services';
import type { RiskControls } from './services';

export interface TradingOptions {
  readonly database: EngineDatabase;
  readonly market: MarketData;
  /** The session's connections (null when it ends). */
  readonly onConnection: (listener: (c: BrokerConnection | null) => void) => Disposable;
  readonly settings: {
    get(): Promise<Settings>;
    set(patch: { riskLimits: RiskLimits }): Promise<Settings>;
    onChanged(listener: (s: Settings) => void): Disposable;
  };
  readonly initialLimits: RiskLimits;
  /** Builds the paper broker's venue for a paper session (default: orders go to Kite). */
  readonly paperVenue?: (c: BrokerConnection) => OrderVenue;
  readonly now: () => number;
  readonly log: (line: string) => void;
  readonly pollMs?: number;
  readonly unknownGraceMs?: number;
  /** The stale-feed breaker's threshold (default: the governor's, 15 s). */
  readonly staleFeedMs?: number;
}

/** The OMS and its risk controls, ready to serve. */
export class Trading implements Disposable, RiskControls {
  private readonly store = new DisposableStore();
  readonly oms: OrderManager;
  readonly journal: OrderJournal;
  private readonly rate = new OrderRateLimiter();
  private limitsValue: RiskLimits;
  /** The trading state: kill switch, daily loss limit, circuit breakers; most restrictive wins. */
  readonly governor: RiskGovernor;
  private readonly statusListeners = new Set<(s: RiskStatus) => void>();
  private venue: OrderVenue | undefined;
  private gttBroker: GttBroker | undefined;
  /** Stop-losses kept on positions. */
  readonly stops: StopLosses;
  /** Brackets and icebergs: parents whose children go through this OMS. */
  readonly algos: AlgoEngine;
  /** NSE/BSE smart order routing over the OMS. */
  readonly router: Router;
  /** The session's circuit bands and margins (per connection). */
  private data: PreTradeData | undefined;
  /** Instruments the stale-feed breaker was last told have working orders. */
  private watchedFeeds = new Set<number>();
  /** Whether exchange time is compared with ours: against Kite (paper, live), not the local exchange, whose clock may run fast (`--speed`). */
  private checkClock = false;
  private lastExchangeReceivedAt = 0;

  constructor(private readonly o: TradingOptions) {
    this.limitsValue = o.initialLimits;
    this.governor = new RiskGovernor(
      o.now,
      {
        dailyLossLimitPaise: o.initialLimits.dailyLossLimitPaise,
        ...(o.staleFeedMs === undefined ? {} : { staleFeedMs: o.staleFeedMs }),
      },
      (e) => {
        o.log(`risk listener: ${String(e)}`);
      },
    );
    this.journal = new OrderJournal(o.database, o.now, intentLogFileFor(o.database.file));
    const { recovered, damaged, tornBytes } = this.journal.recovery;
    if (recovered.length > 0)
      o.log(
        `journal: ${recovered.length} order(s) recovered from the intent log as SENT: ${recovered.join(', ')}`,
      );
    for (const d of damaged)
      o.log(`journal: intent log ${d}; reconciliation will import that order by its tag`);
    if (tornBytes > 0)
      o.log(`journal: intent log ended in ${tornBytes} bytes of an unfinished write (never sent)`);
    // A run prefix no earlier run used (the nonce makes a clash within one millisecond unlikely; the
    // journal refuses a repeat, and a new nonce is drawn).
    const random = (): number => randomInt(2 ** 31) / 2 ** 31;
    let ids = createClientOrderIdSource(o.now(), random);
    for (let attempt = 0; ; attempt++) {
      try {
        this.journal.startRun(ids.runPrefix);
        // Made durable at once (NORMAL syncs at checkpoints): a tag with this prefix is ours.
        o.database.idleCheckpoint();
        break;
      } catch (e) {
        if (attempt >= 5) throw e;
        ids = createClientOrderIdSource(o.now(), random);
      }
    }
    this.oms = this.store.add(
      new OrderManager({
        journal: this.journal,
        instrument: (token) => o.market.instruments?.byToken(token),
        lastPrice: (token) => o.market.lastPrice(token),
        retain: (token) => {
          const i = o.market.instruments?.byToken(token);
          if (i !== undefined) void this.data?.fetchBand(i);
          return o.market.retain([token], 'quote');
        },
        preTradeData: () => this.data,
        risk: new PreTradeRisk(preTradeLimits(this.limitsValue), this.rate),
        rate: this.rate,
        riskState: () => this.governor.state,
        onJournalError: (e) => {
          // Never trade without a journal (reliability.md 3): halt and cancel what is working.
          this.act(
            this.governor.kill(
              `The order journal cannot be written: ${e instanceof Error ? e.message : String(e)}`,
            ),
          );
        },
        onAnomaly: (kind, clientOrderId) => {
          this.act(
            kind === 'reject'
              ? this.governor.onReject(clientOrderId)
              : this.governor.onUnknown(clientOrderId),
          );
        },
        ids,
        now: o.now,
        log: o.log,
        ...(o.pollMs === undefined ? {} : { pollMs: o.pollMs }),
        ...(o.unknownGraceMs === undefined ? {} : { unknownGraceMs: o.unknownGraceMs }),
      }),
    );
    // The kill switch cancels every working order, but one still in flight (sent, not yet
    // acknowledged) cannot be cancelled yet: whatever opens while trading is halted is cancelled
    // as it opens.
    this.store.add(
      this.oms.onOrder((v) => {
        if (this.governor.state !== 'HALTED') return;
        if (v.state !== 'OPEN' && v.state !== 'TRIGGER_PENDING' && v.state !== 'AMO_QUEUED') return;
        this.oms.cancel(v.clientOrderId).catch((e: unknown) => {
          o.log(
            `kill switch: ${v.clientOrderId} could not be cancelled: ${e instanceof Error ? e.message : String(e)}`,
          );
        });
      }),
    );
    this.stops = this.store.add(
      new StopLosses({
        store: new PositionStopStore(o.database),
        oms: this.oms,
        instrument: (token) => o.market.instruments?.byToken(token),
        lastPrice: (token) => o.market.lastPrice(token),
        watch: (token, listener) => o.market.watch(token, listener),
        now: o.now,
        log: o.log,
      }),
    );
    this.algos = this.store.add(
      new AlgoEngine({
        oms: this.oms,
        store: new AlgoStore(o.database),
        instrument: (token) => o.market.instruments?.byToken(token),
        lastPrice: (token) => o.market.lastPrice(token),
        quote: (token) => o.market.quote(token),
        minuteHistory: (token, from, to) => o.market.candles(token, '1m', from, to),
        barHistory: (token, interval, from, to) => o.market.candles(token, interval as BarInterval, from, to),
        watchBars: (token, interval, listener) =>
          o.market.watchBars(token, interval as BarInterval, (b) => {
            listener(b.close);
          }),
        watch: (token, listener) => o.market.watch(token, listener),
        gtt: () => this.gttBroker,
        runPrefix: ids.runPrefix,
        now: o.now,
        random,
        log: o.log,
      }),
    );
    this.router = this.store.add(
      new Router({
        instrument: (token) => o.market.instruments?.byToken(token),
        bySymbol: (exchange, symbol) => o.market.instruments?.bySymbol(exchange, symbol),
        depth: (token) => o.market.depth(token),
        lastPrice: (token) => o.market.lastPrice(token),
        freshAt: (token) => o.market.freshAt(token),
        retain: (tokens, mode) => o.market.retain(tokens, mode),
        place: (p) => this.oms.place(p),
        now: o.now,
      }),
    );
    this.store.add(
      o.onConnection((c) => {
        this.venue?.dispose();
        this.venue = undefined;
        // GTTs live at the broker: Kite live and the local exchange (paper's orders never reach one).
        this.gttBroker =
          c === null || c.mode === 'paper'
            ? undefined
            : {
                place: (r) => c.rest.placeGtt(r),
                get: (id) => c.rest.gtt(id),
                list: () => c.rest.gtts(),
                remove: (id) => c.rest.deleteGtt(id),
              };
        this.data?.dispose();
        this.data = undefined;
        if (c === null) {
          this.stops.detach();
          this.oms.detach();
          return;
        }
        const venue =
          c.mode === 'paper' && o.paperVenue !== undefined
            ? o.paperVenue(c)
            : new KiteVenue(c.rest, c.pool, o.log);
        this.venue = venue;
        this.checkClock = c.mode !== 'sim';
        this.data = new PreTradeData(
          {
            circuitBand: async (i) => {
              const key = `${i.exchange}:${i.tradingSymbol}`;
              const q = (await c.rest.quote([key])).get(key);
              return q === undefined ? null : { lower: q.lowerCircuitLimit, upper: q.upperCircuitLimit };
            },
            margins: () => venue.margins(),
            orderMargin: (r) => venue.orderMargin(r),
          },
          o.now,
          o.log,
        );
        void this.oms.attach(venue, c.account);
        this.stops.attach(c.account);
      }),
    );
    this.store.add(
      o.settings.onChanged((s) => {
        if (JSON.stringify(s.riskLimits) === JSON.stringify(this.limitsValue)) return;
        this.limitsValue = s.riskLimits;
        this.oms.setRisk(new PreTradeRisk(preTradeLimits(s.riskLimits), this.rate));
        this.act(this.governor.setDailyLossLimit(s.riskLimits.dailyLossLimitPaise));
        this.emitStatus();
      }),
    );
    // The daily loss limit, checked whenever fills or prices move the P&L.
    this.store.add(
      this.oms.onPortfolio(() => {
        this.checkLoss();
        // A fill moved the funds.
        this.data?.settle();
      }),
    );
    this.store.add(
      this.governor.onChange(() => {
        this.emitStatus();
      }),
    );
    const timer = setInterval(() => {
      this.checkLoss();
      this.checkFeed();
      this.act(this.governor.check());
      this.emitStatus();
    }, 1_000);
    timer.unref();
    this.store.add({
      dispose: () => {
        clearInterval(timer);
      },
    });
    this.store.add(
      this.oms.onOrder(() => {
        this.emitStatus();
      }),
    );
  }

  /**
   * Feeds the stale-feed and clock-skew breakers (once a second): how fresh the market data is on
   * each instrument with working orders, and the newest exchange time against our clock.
   */
  private checkFeed(): void {
    const working = this.oms.workingByInstrument();
    for (const token of this.watchedFeeds) if (!working.has(token)) this.governor.onWorkingOrders(token, 0);
    for (const [token, w] of working) {
      this.governor.onWorkingOrders(token, w.count, w.name);
      const fresh = this.o.market.freshAt(token);
      if (fresh > 0) this.governor.onFeed(token, fresh);
    }
    this.watchedFeeds = new Set(working.keys());
    if (!this.checkClock) return;
    const x = this.o.market.latestExchangeTime;
    if (x.exchangeMs <= 0 || x.receivedAt === this.lastExchangeReceivedAt) return;
    this.lastExchangeReceivedAt = x.receivedAt;
    // As of now: the exchange's clock has moved on since that tick was received.
    this.act(this.governor.onExchangeTime(x.exchangeMs + (this.o.now() - x.receivedAt)));
  }

  private checkLoss(): void {
    this.act(this.governor.onPnl(this.oms.portfolio.pnl(this.o.now()).net));
  }

  /** Carries out what the governor asks: a cancel-all when it halts. */
  private act(actions: readonly GovernorAction[]): void {
    for (const a of actions) {
      this.o.log(`risk: ${a.reason}: cancelling every working order`);
      void this.oms.cancelAll();
    }
  }

  limits(): RiskLimits {
    return this.limitsValue;
  }

  async setLimits(patch: Partial<RiskLimits>): Promise<RiskLimits> {
    const next = RiskLimitsSchema.parse({ ...this.limitsValue, ...patch });
    // Compile before persisting: a limit risk refuses throws RangeError and nothing changes.
    new PreTradeRisk(preTradeLimits(next), this.rate);
    const s = await this.o.settings.set({ riskLimits: next });
    return s.riskLimits;
  }

  status(): RiskStatus {
    const now = this.o.now();
    const g = this.governor.status();
    return {
      state: g.state,
      reason: g.reason,
      since: g.since,
      dayNetPaise: this.oms.portfolio.pnl(now).net,
      dailyLossLimitPaise: this.limitsValue.dailyLossLimitPaise,
      openOrders: this.oms.openOrderCount,
      ordersLastSecond: this.rate.inWindow(now, 1_000),
      ordersLastMinute: this.rate.inWindow(now, 60_000),
      ordersToday: this.rate.inWindow(now, 86_400_000),
    };
  }

  /** HALTED, then every working order cancelled. */
  async kill(reason: string): Promise<string[]> {
    // The governor halts first (no new order passes risk from here), then every working order goes.
    this.governor.kill(reason);
    this.o.log(`kill switch: ${reason}`);
    return this.oms.cancelAll();
  }

  reset(): RiskStatus {
    const r = this.governor.reset();
    if (!r.ok) throw new RpcError('REJECTED', r.message, { code: 'HALTED' });
    return this.status();
  }

  reduceOnly(): RiskStatus {
    this.governor.reduceOnly('Reduce-only, set by the user');
    return this.status();
  }

  onStatus(listener: (s: RiskStatus) => void): Disposable {
    this.statusListeners.add(listener);
    return { dispose: () => this.statusListeners.delete(listener) };
  }

  private emitStatus(): void {
    if (this.statusListeners.size === 0) return;
    const s = this.status();
    for (const l of this.statusListeners) l(s);
  }

  dispose(): void {
    this.data?.dispose();
    this.venue?.dispose();
    this.store.dispose();
    this.journal.close();
    this.statusListeners.clear();
  }
}
