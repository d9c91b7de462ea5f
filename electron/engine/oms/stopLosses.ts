/**
 * Stop-losses kept by the engine on positions (issue 6, risk: "local stop-losses on positions"). A
 * stop watches its instrument's last price (MarketData.watch: after each tick, at most every 50 ms)
 * and, when the price reaches it, exits the position through the OMS (`exit`: the position's working
 * orders cancelled, then a market order with market protection), so the exit passes the same
 * validation, risk and journal as any order. Rules: risk/positionStops.ts.
 *
 * - Stored per account in SQLite before it is acted on or reported (store/positionStops.ts), so a
 *   restart keeps them; they are watched again when the session attaches.
 * - One-shot: a triggered stop does not fire again. An exit that was refused (risk HALTED, no
 *   session) leaves the stop `refused`, tried again every 5 s while the price stays beyond it.
 * - A stop whose position is closed or turned is dropped (`removed`, with the reason).
 *
 * Stops live in the engine: they act only while it runs and has market data. The stop is not at the
 * broker; a GTT (issue 8) is the one that survives the app being closed.
 */
import type { Disposable } from '../../../shared/disposable';
import { RpcError } from '../../../shared/rpc/errors';
import type { Product } from '../../../shared/services/orders';
import type { PositionStopView } from '../../../shared/services/risk';
import type { Instrument } from '../market/instruments';
import { stopDecision, stopRefusal } from '../risk/positionStops';
import type { PositionStopStore } from '../store/positionStops';
import type { OrderManager } from './orderManager';

const RETRY_MS = 5_000;

export interface StopLossOptions {
  readonly store: PositionStopStore;
  readonly oms: OrderManager;
  readonly instrument: (token: number) => Instrument | undefined;
  readonly lastPrice: (token: number) => number;
  /** Calls `listener` after the instrument's ticks, keeping it in the feed meanwhile. */
  readonly watch: (token: number, listener: () => void) => Disposable;
  readonly now: () => number;
  readonly log: (line: string) => void;
}

const keyOf = (token: number, product: Product): string => `${token}:${product}`;

export class StopLosses implements Disposable {
  private readonly stops = new Map<string, PositionStopView>();
  private readonly watches = new Map<number, Disposable>();
  private readonly tried = new Map<string, number>();
  private readonly listeners = new Set<(s: PositionStopView) => void>();
  private account = '';
  private readonly portfolio: Disposable;

  constructor(private readonly o: StopLossOptions) {
    // A fill may close or turn a position: its stop goes.
    this.portfolio = o.oms.onPortfolio(() => {
      for (const s of [...this.stops.values()]) this.check(s.instrumentToken);
    });
  }

  /** Loads the account's stops and watches their instruments (a new session). */
  attach(account: string): void {
    this.detach();
    this.account = account;
    for (const s of this.o.store.load(account)) {
      this.stops.set(keyOf(s.instrumentToken, s.product), s);
      this.watchToken(s.instrumentToken);
    }
  }

  detach(): void {
    for (const w of this.watches.values()) w.dispose();
    this.watches.clear();
    this.stops.clear();
    this.tried.clear();
    this.account = '';
  }

  list(): PositionStopView[] {
    return [...this.stops.values()];
  }

  /** Sets or moves a position's stop. Throws `REJECTED` (details.code) and changes nothing when it cannot. */
  set(instrumentToken: number, product: Product, stopPrice: number): PositionStopView {
    if (this.account === '')
      throw new RpcError('REJECTED', 'Not logged in to a broker.', { code: 'NO_SESSION' });
    const i = this.o.instrument(instrumentToken);
    if (i === undefined)
      throw new RpcError('REJECTED', `No instrument ${instrumentToken} in today's list.`, {
        code: 'UNKNOWN_INSTRUMENT',
      });
    const position = this.o.oms.portfolio.quantity(instrumentToken, product);
    const format = (wire: number): string => (wire / i.priceDivisor).toFixed(decimals(i.priceDivisor));
    const refused = stopRefusal(stopPrice, this.o.lastPrice(instrumentToken), position, i.tickSize, format);
    if (refused !== null) throw new RpcError('REJECTED', refused.message, { code: refused.code });
    const now = this.o.now();
    const key = keyOf(instrumentToken, product);
    const before = this.stops.get(key);
    const stop: PositionStopView = {
      instrumentToken,
      exchange: i.exchange,
      tradingsymbol: i.tradingSymbol,
      priceDivisor: i.priceDivisor,
      product,
      stopPrice,
      direction: position > 0 ? 'long' : 'short',
      state: 'armed',
      message: '',
      exitClientOrderId: null,
      setAt: before?.state === 'armed' ? before.setAt : now,
      updatedAt: now,
    };
    this.save(stop);
    this.watchToken(instrumentToken);
    this.o.log(`stop-loss: ${i.tradingSymbol} ${product} ${stop.direction} at ${format(stopPrice)}`);
    return stop;
  }

  /** Removes a position's stop; false when it had none. */
  clear(instrumentToken: number, product: Product): boolean {
    const s = this.stops.get(keyOf(instrumentToken, product));
    if (s === undefined) return false;
    this.remove(s, 'Removed by the user.');
    return true;
  }

  onChange(listener: (s: PositionStopView) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private watchToken(token: number): void {
    if (this.watches.has(token)) return;
    this.watches.set(
      token,
      this.o.watch(token, () => {
        this.check(token);
      }),
    );
  }

  /** Applies the rule to the instrument's stops at its last price. */
  private check(token: number): void {
    const ltp = this.o.lastPrice(token);
    for (const s of this.stops.values()) {
      if (s.instrumentToken !== token) continue;
      const position = this.o.oms.portfolio.quantity(token, s.product);
      if (s.state === 'triggered') {
        // Once its exit is known (the OMS answered), a stop whose position is closed goes.
        if (position === 0 && s.exitClientOrderId !== null)
          this.remove(s, `${s.message} The position is closed.`);
        continue;
      }
      const decision = stopDecision(s.direction, s.stopPrice, ltp, position);
      if (decision === 'drop')
        this.remove(s, position === 0 ? 'The position was closed.' : 'The position turned the other way.');
      else if (decision === 'trigger') this.fire(s, ltp);
    }
  }

  private fire(s: PositionStopView, ltp: number): void {
    const key = keyOf(s.instrumentToken, s.product);
    const now = this.o.now();
    if (s.state === 'refused' && now - (this.tried.get(key) ?? 0) < RETRY_MS) return;
    this.tried.set(key, now);
    const price = (ltp / s.priceDivisor).toFixed(decimals(s.priceDivisor));
    // Triggered before the exit is asked for: a tick meanwhile does not send a second one.
    const triggered: PositionStopView = {
      ...s,
      state: 'triggered',
      message: `Stop reached at ${price}: exiting.`,
      updatedAt: now,
    };
    this.save(triggered);
    this.o.log(`stop-loss: ${s.tradingsymbol} ${s.product} reached at ${price}; exiting`);
    this.o.oms.exit(s.instrumentToken, s.product).then(
      (orders) => {
        if (this.stops.get(key) !== triggered) return;
        const order = orders[0];
        const last = orders.at(-1);
        if (order === undefined || last === undefined) {
          this.remove(triggered, 'The position was already closed.');
          return;
        }
        // Above the freeze quantity the exit is several orders; it ended rejected when the last is.
        const rejected = last.state === 'REJECTED';
        this.save({
          ...triggered,
          // A rejected exit is tried again (every 5 s) while the price stays beyond the stop.
          state: rejected ? 'refused' : 'triggered',
          message: rejected
            ? `Stop reached at ${price}; the exit was rejected: ${last.reason}`
            : orders.length === 1
              ? `Stop reached at ${price}; exit order sent.`
              : `Stop reached at ${price}; exit sent as ${orders.length} orders (freeze quantity).`,
          exitClientOrderId: order.clientOrderId,
          updatedAt: this.o.now(),
        });
        // The exit may have filled already.
        this.check(s.instrumentToken);
      },
      (e: unknown) => {
        if (this.stops.get(key) !== triggered) return;
        const why = e instanceof Error ? e.message : String(e);
        this.o.log(`stop-loss: ${s.tradingsymbol} exit refused: ${why}`);
        this.save({
          ...triggered,
          state: 'refused',
          message: `Stop reached at ${price}, but the exit was refused: ${why}`,
          updatedAt: this.o.now(),
        });
      },
    );
  }

  private remove(s: PositionStopView, message: string): void {
    const key = keyOf(s.instrumentToken, s.product);
    this.save({ ...s, state: 'removed', message, updatedAt: this.o.now() });
    this.stops.delete(key);
    this.tried.delete(key);
    if (![...this.stops.values()].some((x) => x.instrumentToken === s.instrumentToken)) {
      this.watches.get(s.instrumentToken)?.dispose();
      this.watches.delete(s.instrumentToken);
    }
  }

  /** Stores, then keeps and reports. */
  private save(s: PositionStopView): void {
    this.o.store.save(this.account, s);
    if (s.state !== 'removed') this.stops.set(keyOf(s.instrumentToken, s.product), s);
    for (const l of this.listeners) l(s);
  }

  dispose(): void {
    this.detach();
    this.portfolio.dispose();
    this.listeners.clear();
  }
}

function decimals(divisor: number): number {
  return Math.max(2, Math.round(Math.log10(divisor)));
}
