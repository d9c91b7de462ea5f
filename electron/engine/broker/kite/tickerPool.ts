/**
 * Up to three ticker connections behind one subscribe/unsubscribe surface (Kite allows 3
 * WebSocket connections per api_key and 3000 instruments on each: kite-protocol.md section 6).
 * The pool owns the TickDecoder that writes the QuoteBoard; its connections share it.
 */
import type { QuoteBoard } from '../../../../native/quoteBoard';
import type { Disposable } from '../../../../shared/disposable';
import type { TickMode } from '../../../../shared/kite/tickPacket';
import { TickDecoder } from './decode';
import type { TickListener } from './decode';
import { KiteTickerClient, MAX_INSTRUMENTS_PER_CONNECTION } from './stream';
import type {
  KiteTickerClientOptions,
  OrderUpdateEvent,
  TickerConnectionState,
  TickerNotice,
  TickerProblem,
} from './stream';

/** Connections one api_key may hold (Kite: 3). */
export const MAX_TICKER_CONNECTIONS = 3;

/** Recent order-update texts remembered to drop the copies other connections deliver. */
const ORDER_DEDUPE_WINDOW = 256;

export interface KiteTickerPoolOptions extends Omit<
  KiteTickerClientOptions,
  'decoder' | 'maxInstruments' | 'name'
> {
  /** The board the decoder writes; the pool is its single writer. */
  readonly board: QuoteBoard;
  /** After each packet is written (see TickListener). */
  readonly onTick?: TickListener;
  /** Default MAX_TICKER_CONNECTIONS. */
  readonly maxConnections?: number;
  /** Default MAX_INSTRUMENTS_PER_CONNECTION. */
  readonly maxInstrumentsPerConnection?: number;
}

/** The pool as the status bar shows it: a summary and each connection. Plain data. */
export interface TickerPoolState {
  /**
   * The worst connection: `reconnecting` if any is, else `connecting` if any is, else `open`;
   * `closed` once disposed.
   */
  readonly status: TickerConnectionState['status'];
  /** The highest attempt count among the connections. */
  readonly attempt: number;
  /** The soonest reconnect among the connections waiting for one, ms; else null. */
  readonly nextDelayMs: number | null;
  readonly connections: readonly TickerConnectionState[];
}

/** A notice, with the index of the connection that received it. */
export interface PoolNotice extends TickerNotice {
  readonly connection: number;
}

/** A problem, with the index of the connection that had it (-1 for the pool's own). */
export interface PoolProblem {
  readonly connection: number;
  readonly problem: TickerProblem;
}

/**
 * Subscriptions spread over at most `maxConnections` connections. The first connection starts at
 * once, even with nothing subscribed, because order updates arrive over the ticker too. A new
 * instrument goes to the least-loaded running connection with room; another connection is started
 * only when all running ones are full (connections are scarce: three per api_key, shared with any
 * other app of the same key).
 *
 * Every connection receives every order update; the pool delivers each distinct update text once.
 *
 * Threading: one thread (the engine's), which is also the board's writer. Allocation: as
 * KiteTickerClient; the per-tick path (decode -> board -> onTick) allocates nothing.
 */
export class KiteTickerPool implements Disposable {
  readonly decoder: TickDecoder;
  private readonly options: KiteTickerPoolOptions;
  private readonly maxConnections: number;
  private readonly perConnection: number;
  private readonly clients: KiteTickerClient[] = [];
  private readonly owner = new Map<number, KiteTickerClient>();
  private readonly stateListeners = new Set<(state: TickerPoolState) => void>();
  private readonly orderListeners = new Set<(update: OrderUpdateEvent) => void>();
  private readonly noticeListeners = new Set<(notice: PoolNotice) => void>();
  private readonly problemListeners = new Set<(problem: PoolProblem) => void>();
  private readonly recentOrders = new Set<string>();
  private readonly recentOrderRing: (string | undefined)[] = new Array<string | undefined>(
    ORDER_DEDUPE_WINDOW,
  );
  private recentOrderNext = 0;
  private stateValue: TickerPoolState;
  private accessToken: string;
  private disposed = false;

  constructor(options: KiteTickerPoolOptions) {
    this.options = options;
    this.accessToken = options.accessToken;
    this.maxConnections = Math.min(options.maxConnections ?? MAX_TICKER_CONNECTIONS, MAX_TICKER_CONNECTIONS);
    this.perConnection = Math.min(
      options.maxInstrumentsPerConnection ?? MAX_INSTRUMENTS_PER_CONNECTION,
      MAX_INSTRUMENTS_PER_CONNECTION,
    );
    if (this.maxConnections < 1 || this.perConnection < 1) throw new RangeError('a pool needs room');
    this.decoder = new TickDecoder(
      options.board,
      options.onTick === undefined ? {} : { onTick: options.onTick },
    );
    this.stateValue = { status: 'connecting', attempt: 0, nextDelayMs: null, connections: [] };
    this.start();
  }

  get state(): TickerPoolState {
    return this.stateValue;
  }

  /** Calls `listener` now with the current state, then on every change of any connection. */
  onState(listener: (state: TickerPoolState) => void): Disposable {
    this.stateListeners.add(listener);
    this.call(listener, this.stateValue, 'pool state listener');
    return { dispose: () => this.stateListeners.delete(listener) };
  }

  /** Each distinct order update once, from whichever connection delivered it first. */
  onOrderUpdate(listener: (update: OrderUpdateEvent) => void): Disposable {
    this.orderListeners.add(listener);
    return { dispose: () => this.orderListeners.delete(listener) };
  }

  onNotice(listener: (notice: PoolNotice) => void): Disposable {
    this.noticeListeners.add(listener);
    return { dispose: () => this.noticeListeners.delete(listener) };
  }

  onProblem(listener: (problem: PoolProblem) => void): Disposable {
    this.problemListeners.add(listener);
    return { dispose: () => this.problemListeners.delete(listener) };
  }

  /** Instruments subscribed across the connections. */
  get size(): number {
    return this.owner.size;
  }

  /** Instruments the pool can hold. */
  get capacity(): number {
    return this.maxConnections * this.perConnection;
  }

  /** Running connections. */
  get connectionCount(): number {
    return this.clients.length;
  }

  /** The mode `token` streams in, or undefined. */
  /** When the connection carrying `token` last received a frame; 0 when none carries it. */
  lastFrameAt(token: number): number {
    return this.owner.get(token)?.lastFrameTime ?? 0;
  }

  modeOf(token: number): TickMode | undefined {
    return this.owner.get(token)?.modeOf(token);
  }

  /** Which connection (index) holds `token`, or -1. */
  connectionOf(token: number): number {
    const c = this.owner.get(token);
    return c === undefined ? -1 : this.clients.indexOf(c);
  }

  /**
   * Subscribes `tokens` in `mode`; subscribed ones change mode. Throws a RangeError, changing
   * nothing, when the pool cannot hold them all, a token is invalid, or the board is full.
   */
  subscribe(tokens: readonly number[], mode: TickMode): void {
    if (this.disposed) throw new Error('ticker pool is disposed');
    const unique = [...new Set(tokens)];
    const fresh = unique.filter((t) => !this.owner.has(t));
    if (this.owner.size + fresh.length > this.capacity) {
      throw new RangeError(
        `the ticker holds at most ${this.capacity} instruments (${this.owner.size} subscribed, ${fresh.length} more asked)`,
      );
    }
    for (const t of unique) {
      if (!Number.isInteger(t) || t <= 0 || t > 0xffffffff)
        throw new RangeError(`not an instrument_token: ${t}`);
    }
    const board = this.decoder.board;
    const needRows = fresh.filter((t) => this.decoder.rowOf(t) < 0).length;
    if (board.rows + needRows > board.capacity) {
      throw new RangeError(`the quote board has room for ${board.capacity - board.rows} more instruments`);
    }
    // Existing tokens change mode where they are; new ones are placed, then sent per connection.
    const perClient = new Map<KiteTickerClient, number[]>();
    const add = (c: KiteTickerClient, t: number): void => {
      const list = perClient.get(c);
      if (list === undefined) perClient.set(c, [t]);
      else list.push(t);
    };
    for (const t of unique) {
      const c = this.owner.get(t);
      if (c !== undefined) add(c, t);
    }
    const planned = new Map<KiteTickerClient, number>();
    const load = (c: KiteTickerClient): number => c.size + (planned.get(c) ?? 0);
    for (const t of fresh) {
      let best: KiteTickerClient | undefined;
      for (const c of this.clients) {
        if (load(c) < this.perConnection && (best === undefined || load(c) < load(best))) best = c;
      }
      best ??= this.start();
      planned.set(best, (planned.get(best) ?? 0) + 1);
      this.owner.set(t, best);
      add(best, t);
    }
    for (const [c, list] of perClient) c.subscribe(list, mode);
  }

  /** Sets the mode of subscribed `tokens`. */
  setMode(tokens: readonly number[], mode: TickMode): void {
    for (const [c, list] of this.group(tokens)) c.setMode(list, mode);
  }

  /** Unsubscribes `tokens`. Connections stay up (order updates need one; the others are cheap). */
  unsubscribe(tokens: readonly number[]): void {
    const groups = this.group(tokens);
    for (const t of tokens) this.owner.delete(t);
    for (const [c, list] of groups) c.unsubscribe(list);
  }

  /** A new access token for every connection's next connect, and for connections started later. */
  setAccessToken(accessToken: string): void {
    this.accessToken = accessToken;
    for (const c of this.clients) c.setAccessToken(accessToken);
  }

  /** Closes every connection. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const c of this.clients) c.dispose();
    this.publish();
    this.stateListeners.clear();
    this.orderListeners.clear();
    this.noticeListeners.clear();
    this.problemListeners.clear();
  }

  private group(tokens: readonly number[]): Map<KiteTickerClient, number[]> {
    const groups = new Map<KiteTickerClient, number[]>();
    for (const t of new Set(tokens)) {
      const c = this.owner.get(t);
      if (c === undefined) continue;
      const list = groups.get(c);
      if (list === undefined) groups.set(c, [t]);
      else list.push(t);
    }
    return groups;
  }

  private start(): KiteTickerClient {
    const index = this.clients.length;
    const {
      board: _board,
      onTick: _onTick,
      maxConnections: _m,
      maxInstrumentsPerConnection: _p,
      ...rest
    } = this.options;
    const client = new KiteTickerClient({
      ...rest,
      accessToken: this.accessToken,
      decoder: this.decoder,
      maxInstruments: this.perConnection,
      name: `ticker ${index + 1}`,
    });
    this.clients.push(client);
    client.onState(() => {
      this.publish();
    });
    client.onOrderUpdate((update) => {
      this.orderUpdate(update);
    });
    client.onNotice((notice) => {
      const n: PoolNotice = { ...notice, connection: index };
      for (const l of this.noticeListeners) this.call(l, n, 'notice listener');
    });
    client.onProblem((problem) => {
      this.problem(index, problem);
    });
    return client;
  }

  private orderUpdate(update: OrderUpdateEvent): void {
    if (this.recentOrders.has(update.raw)) return;
    const evicted = this.recentOrderRing[this.recentOrderNext];
    if (evicted !== undefined) this.recentOrders.delete(evicted);
    this.recentOrderRing[this.recentOrderNext] = update.raw;
    this.recentOrderNext = (this.recentOrderNext + 1) % ORDER_DEDUPE_WINDOW;
    this.recentOrders.add(update.raw);
    for (const l of this.orderListeners) this.call(l, update, 'order-update listener');
  }

  private publish(): void {
    const connections = this.clients.map((c) => c.state);
    const has = (s: TickerConnectionState['status']): boolean => connections.some((c) => c.status === s);
    const waits = connections.flatMap((c) => (c.nextDelayMs === null ? [] : [c.nextDelayMs]));
    this.stateValue = {
      status: this.disposed
        ? 'closed'
        : has('reconnecting')
          ? 'reconnecting'
          : has('connecting') || connections.length === 0
            ? 'connecting'
            : 'open',
      attempt: Math.max(0, ...connections.map((c) => c.attempt)),
      nextDelayMs: waits.length === 0 ? null : Math.min(...waits),
      connections,
    };
    for (const l of this.stateListeners) this.call(l, this.stateValue, 'pool state listener');
  }

  private problem(connection: number, problem: TickerProblem): void {
    const p: PoolProblem = { connection, problem };
    for (const l of this.problemListeners) {
      try {
        l(p);
      } catch (e) {
        this.options.log?.(`ticker pool: problem listener threw: ${String(e)}`);
      }
    }
  }

  private call<T>(listener: (value: T) => void, value: T, where: string): void {
    try {
      listener(value);
    } catch (e) {
      this.problem(-1, { kind: 'listenerError', where, error: e });
    }
  }
}
