/**
 * Our KiteTicker: one WebSocket connection to Kite's ticker (or the local exchange's), on `ws`.
 * It exists because the official client keeps its socket in module globals and calls
 * `process.exit(1)` when it gives up (kite-protocol.md section 9). This one:
 *
 * - remembers every subscription with its mode and sends them all again after every connect (Kite
 *   keeps none across connections);
 * - reconnects forever with capped exponential backoff and jitter, on injected timers and random;
 * - drops a connection that has been silent (no frame, heartbeats included) for `staleAfterMs` and
 *   reconnects: a stalled feed looks open to TCP;
 * - decodes binary frames straight into the QuoteBoard through a TickDecoder;
 * - delivers order-update text frames, and surfaces `error` / `message` frames and its own
 *   problems (refused frames, bad text, stalls, listener throws) instead of dropping them;
 * - never throws out of a socket callback and never exits the process.
 *
 * Several connections (Kite allows 3 per api_key, 3000 instruments each) are spread by
 * KiteTickerPool (tickerPool.ts).
 */
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import type { Disposable } from '../../../../shared/disposable';
import type { TickMode } from '../../../../shared/kite/tickPacket';
import { realTimers } from '../../../../shared/rpc/timers';
import type { Timers } from '../../../../shared/rpc/timers';
import { MAX_FRAME_BYTES } from './decode';
import type { MalformedReason, TickDecoder } from './decode';

/** Instruments one connection may subscribe to (Kite: 3000). */
export const MAX_INSTRUMENTS_PER_CONNECTION = 3000;

/** Kite's read timeout: its client, and ours, presume a connection dead after 5 s of silence. */
export const DEFAULT_STALE_AFTER_MS = 5_000;

/** Delays between connection attempts: `initialMs x 2^(failures-1)`, capped, then jittered. */
export interface TickerBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** First retry within 0.25-0.5 s; never more than 30 s apart (the official client: 1 s, then 2^n s up to 60). */
export const DEFAULT_TICKER_BACKOFF: TickerBackoff = { initialMs: 500, maxMs: 30_000 };

/**
 * The wait before the attempt after `failures` consecutive failures (>= 1): the capped exponential
 * delay `d`, jittered into [d/2, d) by `random()` in [0, 1) ("equal jitter": connections dropped
 * together do not come back together, and none comes back at once in a tight loop).
 */
export function backoffDelay(failures: number, random: () => number, backoff: TickerBackoff): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const capped = Math.min(backoff.maxMs, backoff.initialMs * 2 ** exponent);
  return Math.round(capped / 2 + (capped / 2) * Math.min(Math.max(random(), 0), 1));
}

/** What the status bar shows about one connection. Plain data; a new object per change. */
export interface TickerConnectionState {
  readonly status: 'connecting' | 'open' | 'reconnecting' | 'closed';
  /** Consecutive failed or dropped connections (0 once a connection has received a frame). */
  readonly attempt: number;
  /** While `reconnecting`: the wait before the next attempt, ms; otherwise null. */
  readonly nextDelayMs: number | null;
  /** Why the last connection ended or the last attempt failed; null if none has. */
  readonly lastError: string | null;
  /** When this state began (ms since the epoch, on the injected clock). */
  readonly since: number;
  /** Connections opened so far. */
  readonly connects: number;
}

/** A text frame other than an order update: `error`, `message`, or anything else Kite sends (`instruments_meta`, ...). */
export interface TickerNotice {
  readonly type: string;
  readonly data: unknown;
}

/** Something went wrong on our side of the feed; reported, never thrown. */
export type TickerProblem =
  | { readonly kind: 'malformedFrame'; readonly reason: MalformedReason; readonly bytes: number }
  | { readonly kind: 'badText'; readonly text: string }
  | { readonly kind: 'stale'; readonly silentMs: number }
  | { readonly kind: 'socketError'; readonly message: string }
  /**
   * The upgrade was answered with an HTTP status instead: 403 means the api_key or access_token was
   * refused (a new login is needed: `setAccessToken`), 429 too many connections for the key.
   * Reconnecting goes on with backoff either way.
   */
  | { readonly kind: 'rejected'; readonly status: number }
  | { readonly kind: 'listenerError'; readonly where: string; readonly error: unknown };

export interface KiteTickerClientOptions {
  /** The ticker root: `wss://ws.kite.trade/` live, or the local exchange's `ws://127.0.0.1:port/`. */
  readonly root: string;
  readonly apiKey: string;
  readonly accessToken: string;
  /**
   * Sees every binary frame before it is decoded (the raw-frame recorder). The frame is ws's own
   * buffer for this message: keep it (or copy it), but never write to it. Heartbeats included.
   */
  readonly onFrame?: (frame: Uint8Array, receivedAt: number) => void;
  /** Writes binary frames into the board. A pool's connections share one (they run on one thread). */
  readonly decoder: TickDecoder;
  /** Default MAX_INSTRUMENTS_PER_CONNECTION. */
  readonly maxInstruments?: number;
  readonly backoff?: TickerBackoff;
  /** Default DEFAULT_STALE_AFTER_MS. */
  readonly staleAfterMs?: number;
  /** An upgrade not answered in this long fails the attempt. Default 10 s. */
  readonly handshakeTimeoutMs?: number;
  readonly timers?: Timers;
  /** In [0, 1); default Math.random. Injected so a seed reproduces the reconnect schedule. */
  readonly random?: () => number;
  /** A name for log lines ("ticker 2"). */
  readonly name?: string;
  readonly log?: (line: string) => void;
}

/** Listeners of one event; a throwing listener is reported and does not stop the others. */
class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  constructor(
    private readonly where: string,
    private readonly onThrow: (where: string, error: unknown) => void,
  ) {}

  add(listener: (value: T) => void): Disposable {
    this.set.add(listener);
    return { dispose: () => this.set.delete(listener) };
  }

  fire(value: T): void {
    for (const l of this.set) {
      try {
        l(value);
      } catch (e) {
        this.onThrow(this.where, e);
      }
    }
  }

  clear(): void {
    this.set.clear();
  }
}

const CLOSE_GRACE_MS = 1_000;
const TEXT_SAMPLE_CHARS = 200;

function isToken(t: number): boolean {
  return Number.isInteger(t) && t > 0 && t <= 0xffffffff;
}

/**
 * One ticker connection and its subscriptions. It connects on construction and keeps connecting
 * until disposed.
 *
 * Threading: everything runs on the thread that made it (the socket callbacks included); it is
 * the decoder's board writer. Methods are not re-entrant from the tick listener (the decoder's).
 * Allocation: ticks allocate nothing here beyond what `ws` allocates per message; state changes,
 * text frames and subscription changes allocate.
 */
export class KiteTickerClient implements Disposable {
  private readonly options: KiteTickerClientOptions;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly backoff: TickerBackoff;
  private readonly staleAfterMs: number;
  private readonly maxInstruments: number;
  private readonly log: (line: string) => void;
  private readonly name: string;
  private readonly modes = new Map<number, TickMode>();
  private accessToken: string;
  private socket: WebSocket | undefined;
  private stateValue: TickerConnectionState;
  private failures = 0;
  /** The open socket has delivered a frame: the connection is proven and `failures` restarts. */
  private healthy = false;
  private lastFrameAt = 0;
  /** The current socket's last 'error' message, which explains the 'close' that follows it. */
  private lastSocketError: string | undefined = undefined;
  private retryTimer: unknown = undefined;
  private watchdogTimer: unknown = undefined;
  private disposed = false;
  private readonly stateListeners: Listeners<TickerConnectionState>;
  private readonly orderListeners: Listeners<OrderUpdateEvent>;
  private readonly noticeListeners: Listeners<TickerNotice>;
  private readonly problemListeners: Listeners<TickerProblem>;

  constructor(options: KiteTickerClientOptions) {
    const root = new URL(options.root);
    if (root.protocol !== 'ws:' && root.protocol !== 'wss:') {
      throw new TypeError(`ticker root must be ws: or wss: (got ${options.root})`);
    }
    this.options = options;
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? DEFAULT_TICKER_BACKOFF;
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    if (!(this.staleAfterMs > 0 && Number.isFinite(this.staleAfterMs))) {
      throw new RangeError(`staleAfterMs must be a positive number of ms (got ${this.staleAfterMs})`);
    }
    this.maxInstruments = options.maxInstruments ?? MAX_INSTRUMENTS_PER_CONNECTION;
    this.log = options.log ?? (() => undefined);
    this.name = options.name ?? 'ticker';
    this.accessToken = options.accessToken;
    const onThrow = (where: string, error: unknown): void => {
      this.listenerThrew(where, error);
    };
    this.stateListeners = new Listeners('state listener', onThrow);
    this.orderListeners = new Listeners('order-update listener', onThrow);
    this.noticeListeners = new Listeners('notice listener', onThrow);
    this.problemListeners = new Listeners('problem listener', (_where, error) => {
      // Reporting a problem about the problem listener would loop; the log is the end of the line.
      this.log(`${this.name}: problem listener threw: ${String(error)}`);
    });
    this.stateValue = this.stateOf('connecting', null, null, 0);
    this.open();
  }

  /** The current state. */
  get state(): TickerConnectionState {
    return this.stateValue;
  }

  /** Calls `listener` now with the current state, then on every change. */
  onState(listener: (state: TickerConnectionState) => void): Disposable {
    const d = this.stateListeners.add(listener);
    try {
      listener(this.stateValue);
    } catch (e) {
      this.listenerThrew('state listener', e);
    }
    return d;
  }

  /** Order updates (`{"type":"order","data":...}`): the parsed `data` and the frame's raw text. */
  onOrderUpdate(listener: (update: OrderUpdateEvent) => void): Disposable {
    return this.orderListeners.add(listener);
  }

  /** `error`, `message` and any other non-order text frames. */
  onNotice(listener: (notice: TickerNotice) => void): Disposable {
    return this.noticeListeners.add(listener);
  }

  /** Problems on our side: refused frames, bad text, stalls, socket errors, listener throws. */
  onProblem(listener: (problem: TickerProblem) => void): Disposable {
    return this.problemListeners.add(listener);
  }

  /** Instruments subscribed. */
  /**
   * When this connection last received a frame (ticks, heartbeats, text), on its timers' clock; 0
   * before the first. Kite sends an instrument's packet whenever it changes and a heartbeat each
   * second otherwise, so a recent frame means the last values received are still the current ones.
   */
  get lastFrameTime(): number {
    return this.lastFrameAt;
  }

  get size(): number {
    return this.modes.size;
  }

  /** Instruments this connection may hold. */
  get capacity(): number {
    return this.maxInstruments;
  }

  /** The mode `token` is subscribed in here, or undefined. */
  modeOf(token: number): TickMode | undefined {
    return this.modes.get(token);
  }

  /** Every subscribed token. Allocates. */
  tokens(): number[] {
    return [...this.modes.keys()];
  }

  /**
   * Subscribes `tokens` in `mode` (tokens already subscribed change mode). Gives each a board row.
   * Throws a RangeError, changing nothing, for a token that is not a positive uint32, when the
   * connection would exceed its capacity, or when the board has no room.
   */
  subscribe(tokens: readonly number[], mode: TickMode): void {
    const fresh = [...new Set(tokens)].filter((t) => !this.modes.has(t));
    for (const t of tokens) if (!isToken(t)) throw new RangeError(`not an instrument_token: ${t}`);
    if (this.modes.size + fresh.length > this.maxInstruments) {
      throw new RangeError(
        `${this.name} holds at most ${this.maxInstruments} instruments (${this.modes.size} subscribed, ${fresh.length} more asked)`,
      );
    }
    const board = this.options.decoder.board;
    const needRows = fresh.filter((t) => this.options.decoder.rowOf(t) < 0).length;
    if (board.rows + needRows > board.capacity) {
      throw new RangeError(`the quote board has room for ${board.capacity - board.rows} more instruments`);
    }
    for (const t of fresh) this.options.decoder.ensureRow(t);
    const changed = [...new Set(tokens)].filter((t) => this.modes.get(t) !== mode);
    for (const t of changed) this.modes.set(t, mode);
    if (fresh.length > 0) this.send({ a: 'subscribe', v: fresh });
    if (changed.length > 0) this.send({ a: 'mode', v: [mode, changed] });
  }

  /** Sets the mode of subscribed `tokens` (others are ignored). */
  setMode(tokens: readonly number[], mode: TickMode): void {
    const changed = [...new Set(tokens)].filter((t) => {
      const m = this.modes.get(t);
      return m !== undefined && m !== mode;
    });
    for (const t of changed) this.modes.set(t, mode);
    if (changed.length > 0) this.send({ a: 'mode', v: [mode, changed] });
  }

  /** Unsubscribes `tokens` (their board rows stay, with their last values). */
  unsubscribe(tokens: readonly number[]): void {
    const gone = [...new Set(tokens)].filter((t) => this.modes.delete(t));
    if (gone.length > 0) this.send({ a: 'unsubscribe', v: gone });
  }

  /** The access token for the next connection (after a new login); the open one is not touched. */
  setAccessToken(accessToken: string): void {
    this.accessToken = accessToken;
  }

  /** Closes the connection and stops reconnecting. Idempotent. State becomes `closed`. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clearTimer('retry');
    this.clearTimer('watchdog');
    const ws = this.socket;
    this.socket = undefined;
    if (ws !== undefined) {
      if (ws.readyState === WebSocket.OPEN) {
        ws.close(1000, 'client closing');
        // A peer that never answers the close handshake would hold ws's own timer for 30 s.
        const grace = this.timers.setTimeout(() => {
          ws.terminate();
        }, CLOSE_GRACE_MS);
        ws.once('close', () => {
          this.timers.clearTimeout(grace);
        });
      } else {
        ws.terminate();
      }
    }
    this.setState(this.stateOf('closed', null, this.stateValue.lastError, 0));
    this.stateListeners.clear();
    this.orderListeners.clear();
    this.noticeListeners.clear();
    this.problemListeners.clear();
  }

  // ---- connection -----------------------------------------------------------------------------

  private url(): string {
    const url = new URL(this.options.root);
    url.searchParams.set('api_key', this.options.apiKey);
    url.searchParams.set('access_token', this.accessToken);
    // As the official client does: a distinct URL per attempt (kite-protocol.md section 7.1).
    url.searchParams.set('uid', String(this.timers.now()));
    return url.toString();
  }

  private open(): void {
    if (this.disposed) return;
    this.healthy = false;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url(), {
        handshakeTimeout: this.options.handshakeTimeoutMs ?? 10_000,
        maxPayload: MAX_FRAME_BYTES,
        perMessageDeflate: false,
        headers: { 'X-Kite-Version': '3' },
      });
    } catch (e) {
      this.failed(`cannot connect: ${String(e)}`);
      return;
    }
    this.socket = ws;
    ws.on('open', () => {
      this.guard('open', () => {
        if (ws === this.socket) this.opened();
      });
    });
    ws.on('message', (data, isBinary) => {
      // Not through guard(): that would allocate a closure per frame.
      if (ws !== this.socket) return;
      try {
        this.received(data, isBinary);
      } catch (e) {
        this.listenerThrew('message handler', e);
      }
    });
    // An error is always followed by a close; the close decides what happens next.
    ws.on('error', (error) => {
      this.guard('error', () => {
        if (ws !== this.socket) return;
        this.lastSocketError = error.message;
        // ws reports an HTTP answer to the upgrade only in this message's text.
        const rejected = /^Unexpected server response: (\d{3})$/.exec(error.message);
        if (rejected !== null) this.problem({ kind: 'rejected', status: Number(rejected[1]) });
        else this.problem({ kind: 'socketError', message: error.message });
      });
    });
    ws.on('close', (code, reason) => {
      this.guard('close', () => {
        if (ws !== this.socket) return;
        const why =
          this.lastSocketError ?? `closed (${code}${reason.length > 0 ? ` ${reason.toString()}` : ''})`;
        this.lastSocketError = undefined;
        this.socket = undefined;
        this.failed(why);
      });
    });
  }

  private opened(): void {
    this.lastFrameAt = this.timers.now();
    this.armWatchdog(this.staleAfterMs);
    this.resubscribe();
    this.setState(this.stateOf('open', null, this.stateValue.lastError, this.stateValue.connects + 1));
    this.log(`${this.name}: open, ${this.modes.size} instruments`);
  }

  /** Everything this connection holds, in its mode: subscribe once, then one `mode` per mode. */
  private resubscribe(): void {
    if (this.modes.size === 0) return;
    const byMode: Record<TickMode, number[]> = { ltp: [], quote: [], full: [] };
    for (const [t, m] of this.modes) byMode[m].push(t);
    this.send({ a: 'subscribe', v: [...this.modes.keys()] });
    for (const m of ['ltp', 'quote', 'full'] as const) {
      if (byMode[m].length > 0) this.send({ a: 'mode', v: [m, byMode[m]] });
    }
  }

  /** A connection ended or an attempt failed: wait, then try again. */
  private failed(why: string): void {
    this.clearTimer('watchdog');
    if (this.disposed) return;
    if (this.healthy) this.failures = 0;
    this.failures++;
    const delay = backoffDelay(this.failures, this.random, this.backoff);
    this.log(`${this.name}: ${why}; reconnecting in ${delay} ms (attempt ${this.failures})`);
    this.setState(this.stateOf('reconnecting', delay, why, this.stateValue.connects));
    this.clearTimer('retry');
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = undefined;
      this.guard('retry', () => {
        if (this.disposed) return;
        this.setState(this.stateOf('connecting', null, why, this.stateValue.connects));
        this.open();
      });
    }, delay);
  }

  private armWatchdog(ms: number): void {
    this.clearTimer('watchdog');
    this.watchdogTimer = this.timers.setTimeout(() => {
      this.watchdogTimer = undefined;
      this.guard('watchdog', () => {
        this.checkStale();
      });
    }, ms);
  }

  /**
   * One timer per connection, re-armed for the time left rather than reset on every frame (ticks
   * can arrive thousands of times a second; a timer per frame would cost more than the decode).
   */
  private checkStale(): void {
    const ws = this.socket;
    if (ws === undefined || this.disposed) return;
    const silent = this.timers.now() - this.lastFrameAt;
    if (silent < this.staleAfterMs) {
      this.armWatchdog(this.staleAfterMs - silent);
      return;
    }
    this.problem({ kind: 'stale', silentMs: silent });
    // No closing handshake: the peer is not answering. terminate() fires 'close' asynchronously;
    // detach first so that close is ignored and this decision stands.
    this.socket = undefined;
    ws.terminate();
    this.failed(`no frame for ${silent} ms`);
  }

  private received(data: RawData, isBinary: boolean): void {
    this.lastFrameAt = this.timers.now();
    if (!this.healthy) {
      this.healthy = true;
      this.failures = 0;
      if (this.stateValue.attempt !== 0 || this.stateValue.lastError !== null) {
        this.setState(this.stateOf('open', null, null, this.stateValue.connects));
      }
    }
    if (isBinary) {
      const frame = Array.isArray(data)
        ? Buffer.concat(data) // not with ws's default binaryType; kept for completeness
        : data instanceof ArrayBuffer
          ? new Uint8Array(data)
          : data;
      const onFrame = this.options.onFrame;
      if (onFrame !== undefined) {
        try {
          onFrame(frame, this.lastFrameAt);
        } catch (e) {
          this.listenerThrew('frame listener', e);
        }
      }
      const decoder = this.options.decoder;
      const stats = decoder.stats;
      const malformed = stats.malformed;
      const listenerErrors = stats.listenerErrors;
      decoder.decode(frame);
      // Two counter reads per frame keep the decoder free of references to us.
      if (stats.malformed !== malformed && stats.lastMalformed !== undefined) {
        this.problem({ kind: 'malformedFrame', reason: stats.lastMalformed, bytes: frame.byteLength });
      }
      if (stats.listenerErrors !== listenerErrors)
        this.listenerThrew('tick listener', stats.lastListenerError);
      return;
    }
    this.text(
      Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Array.isArray(data)
          ? Buffer.concat(data).toString('utf8')
          : Buffer.from(data).toString('utf8'),
    );
  }

  private text(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text) as unknown;
    } catch {
      this.problem({ kind: 'badText', text: text.slice(0, TEXT_SAMPLE_CHARS) });
      return;
    }
    if (
      typeof message !== 'object' ||
      message === null ||
      typeof (message as { type?: unknown }).type !== 'string'
    ) {
      this.problem({ kind: 'badText', text: text.slice(0, TEXT_SAMPLE_CHARS) });
      return;
    }
    const { type, data } = message as { type: string; data?: unknown };
    if (type === 'order') this.orderListeners.fire({ data, raw: text });
    else this.noticeListeners.fire({ type, data });
  }

  private send(message: unknown): void {
    const ws = this.socket;
    // Not open: the subscription is remembered and sent by resubscribe() on the next open.
    if (ws?.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify(message), (error) => {
      if (error instanceof Error) {
        this.problem({ kind: 'socketError', message: `send failed: ${error.message}` });
      }
    });
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private stateOf(
    status: TickerConnectionState['status'],
    nextDelayMs: number | null,
    lastError: string | null,
    connects: number,
  ): TickerConnectionState {
    return {
      status,
      attempt: status === 'open' && this.healthy ? 0 : this.failures,
      nextDelayMs,
      lastError,
      since: this.timers.now(),
      connects,
    };
  }

  private setState(state: TickerConnectionState): void {
    this.stateValue = state;
    this.stateListeners.fire(state);
  }

  private problem(p: TickerProblem): void {
    this.problemListeners.fire(p);
  }

  private listenerThrew(where: string, error: unknown): void {
    this.log(`${this.name}: ${where} threw: ${String(error)}`);
    this.problem({ kind: 'listenerError', where, error });
  }

  /** Runs a socket or timer callback's body: nothing escapes into ws or the event loop. */
  private guard(where: string, body: () => void): void {
    try {
      body();
    } catch (e) {
      this.log(`${this.name}: ${where} handler threw: ${String(e)}`);
      this.problem({ kind: 'listenerError', where: `${where} handler`, error: e });
    }
  }

  private clearTimer(which: 'retry' | 'watchdog'): void {
    const handle = which === 'retry' ? this.retryTimer : this.watchdogTimer;
    if (handle !== undefined) this.timers.clearTimeout(handle);
    if (which === 'retry') this.retryTimer = undefined;
    else this.watchdogTimer = undefined;
  }
}

/** An order update as it came: the frame's `data` (validate it before use) and the raw text. */
export interface OrderUpdateEvent {
  readonly data: unknown;
  readonly raw: string;
}
