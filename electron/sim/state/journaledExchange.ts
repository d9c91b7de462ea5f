// The exchange's state across restarts, by event sourcing: every command that changed the exchange is
// appended to a SQLite journal with the clock value it ran at, committed before its answer is
// returned and before its events reach the listener; on open, the day's journal is replayed through a
// fresh Exchange built from the same instruments, clock values and first order number, which rebuilds
// the same orders (ids included), trades, positions and books. See README.md.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Exchange } from '../exchange/exchange';
import type {
  ConvertPosition,
  ConvertResult,
  ExchangeEvent,
  ExchangeOrder,
  MarketStats,
  ModifyOrder,
  OrderResult,
  PlaceOrder,
  PlaceResult,
  Position,
} from '../exchange/types';
import type { Instrument } from '../instruments/instruments';
import type { OrderBook } from '../matching/orderBook';
import { ExchangeStateError, SCHEMA_VERSION, openStateDatabase } from './schema';
import type { Synchronous } from './schema';

/** What `openExchangeState` needs. */
export interface ExchangeStateOptions {
  /** The trading day (`YYYY-MM-DD`, IST) the instruments were built for. */
  readonly tradingDate: string;
  /** The day's instruments: the same list on every start of the day (checked by a hash). */
  readonly instruments: readonly Instrument[];
  /** Epoch ms, read once per command; replay uses the stored values instead. */
  readonly now: () => number;
  /**
   * Every event, in order, once its command is committed; also during replay (`replaying` true), so a
   * listener rebuilds what it keeps (and pushes nothing). Each event's `order` is a copy taken when
   * the event happened, so a listener may keep it; `at` is the clock value its command ran at.
   */
  readonly onEvent?: EventListener;
  /** Whether the session starts open, for a new day (default true). A stored day keeps its own. */
  readonly sessionOpen?: boolean;
  /** The first order number of a new day (default 1). A stored day keeps its own. */
  readonly firstOrderNumber?: number;
  /**
   * A file holding another trading day: `refuse` (default) throws OTHER_TRADING_DATE; `archive` marks
   * that day archived (its journal stays in the file, never replayed again) and starts this one empty.
   */
  readonly newDay?: 'refuse' | 'archive';
  /** FULL (default): a commit survives power loss. NORMAL: only process crashes (about 7x faster here). */
  readonly synchronous?: Synchronous;
  /** How long a locked file is waited for before SQLITE_BUSY (default 5000 ms). */
  readonly busyTimeoutMs?: number;
}

/**
 * Hears the exchange's events after their command is committed (or while the journal is replayed):
 * `at` is the clock value the command ran at. It may call back into the JournaledExchange.
 */
export type EventListener = (event: ExchangeEvent, replaying: boolean, at: number) => void;

/** The journal's command kinds. */
export type JournalKind =
  | 'place'
  | 'modify'
  | 'cancel'
  | 'openSession'
  | 'closeSession'
  | 'squareOffIntraday'
  | 'expireOrders'
  | 'convert'
  | 'marker';

/** A JSON value, for markers. */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

interface DayRow {
  trading_date: string;
  first_order_number: number;
  session_open: number;
  instruments_sha256: string;
}

interface JournalRow {
  seq: number;
  at: number;
  kind: string;
  args: string;
  result: string;
  events: number;
}

/**
 * The Exchange with its commands journaled to SQLite: the same commands and reads, plus `batch`,
 * markers and `close`. Single-threaded, like the Exchange. After a journal write fails (disk full,
 * read-only file) or the exchange throws, every further command throws JOURNAL_FAILED: the memory
 * may be ahead of the file, so the process must stop trading and restart from the file.
 */
export class JournaledExchange {
  /** The trading day this state holds. */
  readonly tradingDate: string;
  private readonly db: Database.Database;
  private readonly exchange: Exchange;
  private readonly hostNow: () => number;
  private readonly listener: EventListener | undefined;
  private readonly insert: Database.Statement<[string, number, string, string, string, number]>;
  /** The clock value the Exchange reads: the current command's. */
  private time = 0;
  /** The clock value of the command being run, delivered or replayed; undefined between commands. */
  private current: number | undefined;
  private busy = false;
  private replayed = false;
  private eventCount = 0;
  private pending: ExchangeEvent[] = [];
  private inBatch = false;
  private isReplaying = false;
  private failure: Error | null = null;
  private closed = false;
  private seq = 0;
  private last: number | undefined;
  private readonly markerValues = new Map<string, JsonValue>();

  /** Use `openExchangeState`. */
  constructor(db: Database.Database, day: DayRow, options: ExchangeStateOptions) {
    this.db = db;
    this.tradingDate = day.trading_date;
    this.hostNow = options.now;
    this.listener = options.onEvent;
    this.insert = db.prepare(
      'INSERT INTO journal (trading_date, at, kind, args, result, events) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.exchange = new Exchange({
      instruments: options.instruments,
      // One clock value per command, so a replay can give the exchange exactly what it read.
      now: () => this.time,
      onEvent: (e) => {
        this.eventCount++;
        // The listener hears of a command only after it is committed; the order is copied now
        // because the Exchange keeps changing the same record during the command.
        if (this.listener !== undefined) this.pending.push({ ...e, order: copyOrder(e.order) });
      },
      sessionOpen: day.session_open === 1,
      firstOrderNumber: day.first_order_number,
    });
  }

  // ---- commands ----------------------------------------------------------------------------------

  /** Places an order (Exchange.placeOrder), journaled before the answer returns. */
  placeOrder(p: PlaceOrder): PlaceResult {
    return this.run('place', p, () => this.exchange.placeOrder(p));
  }

  /** Modifies a pending order (Exchange.modifyOrder), journaled before the answer returns. */
  modifyOrder(orderId: string, m: ModifyOrder): OrderResult {
    return this.run('modify', { orderId, m }, () => this.exchange.modifyOrder(orderId, m));
  }

  /** Cancels a pending order (Exchange.cancelOrder), journaled before the answer returns. */
  cancelOrder(orderId: string): OrderResult {
    return this.run('cancel', { orderId }, () => this.exchange.cancelOrder(orderId));
  }

  /** Exchange.openSession, journaled. */
  openSession(): void {
    this.run('openSession', null, () => {
      this.exchange.openSession();
      return null;
    });
  }

  /** Exchange.closeSession, journaled. */
  closeSession(): void {
    this.run('closeSession', null, () => {
      this.exchange.closeSession();
      return null;
    });
  }

  /** Exchange.squareOffIntraday, journaled. */
  squareOffIntraday(): void {
    this.run('squareOffIntraday', null, () => {
      this.exchange.squareOffIntraday();
      return null;
    });
  }

  /** Exchange.expireOrders, journaled only when something expired (it runs every second). */
  expireOrders(): void {
    this.run('expireOrders', null, () => {
      this.exchange.expireOrders();
      return null;
    });
  }

  /** Exchange.convertPosition, journaled when it succeeds (it emits no event). */
  convertPosition(c: ConvertPosition): ConvertResult {
    return this.run(
      'convert',
      c,
      () => this.exchange.convertPosition(c),
      (r) => r.ok,
    );
  }

  /**
   * Exchange.forget: drops a finished order from memory. Not journaled: it changes no trading state,
   * and no later command names a finished order. A replay brings such orders back; `forgetFinished`
   * sweeps them again.
   */
  forget(orderId: string): boolean {
    return this.exchange.forget(orderId);
  }

  /** Forgets every finished order of the accounts `which` selects (after a replay). Returns how many. */
  forgetFinished(which: (account: string) => boolean): number {
    let n = 0;
    for (const o of this.exchange.orders()) if (which(o.account) && this.exchange.forget(o.order_id)) n++;
    return n;
  }

  /** Orders held in memory. */
  get orderCount(): number {
    return this.exchange.orderCount;
  }

  /**
   * Records a value outside the exchange under `name` (e.g. `market`: the simulator's seed and
   * simulated time), committed like a command; `marker(name)` returns the last one, also after a
   * restart. The exchange's state does not depend on markers.
   */
  mark(name: string, value: JsonValue): void {
    this.usable();
    if (this.busy) throw new ExchangeStateError('BAD_OPTIONS', 'mark called from inside a command');
    const at = this.hostNow();
    this.write(at, 'marker', encode({ name, value }), 'null', 0);
    this.markerValues.set(name, value);
    this.last = at;
  }

  /**
   * Runs `fn` with its commands in one SQLite transaction: one commit (one fsync) for all of them,
   * e.g. a step of the synthetic market. Their events are delivered as each command finishes, before
   * the commit, so nothing done inside may be acknowledged outside the process until `batch`
   * returns. If `fn` throws, the commands it ran are still committed (they did change the exchange).
   */
  batch<T>(fn: () => T): T {
    this.usable();
    if (this.inBatch) return fn();
    this.inBatch = true;
    this.db.exec('BEGIN IMMEDIATE');
    let result: T;
    try {
      result = fn();
    } finally {
      this.inBatch = false;
      try {
        this.db.exec('COMMIT');
      } catch (e) {
        this.fail(e);
      }
    }
    return result;
  }

  // ---- reads (the Exchange's) --------------------------------------------------------------------

  /** Whether the session is open. */
  get sessionOpen(): boolean {
    return this.exchange.sessionOpen;
  }

  /** True while the journal is being replayed on open (listeners: rebuild, do not push). */
  get replaying(): boolean {
    return this.isReplaying;
  }

  /** The clock value of the command being run or replayed, else the host's clock. */
  now(): number {
    return this.current ?? this.hostNow();
  }

  /** The clock value of the last journaled command or marker of the day, or undefined for none. */
  get lastTime(): number | undefined {
    return this.last;
  }

  /** The journal sequence number of the last command or marker written or replayed (0 = none). */
  get lastSeq(): number {
    return this.seq;
  }

  /** The last value recorded under `name` by `mark`, or undefined. */
  marker(name: string): JsonValue | undefined {
    return this.markerValues.get(name);
  }

  /** An order by id (the last state), or undefined. */
  order(orderId: string): ExchangeOrder | undefined {
    return this.exchange.order(orderId);
  }

  /** Every order, oldest first. */
  orders(): ExchangeOrder[] {
    return this.exchange.orders();
  }

  /** An account's positions. */
  positions(account: string): Position[] {
    return this.exchange.positions(account);
  }

  /** Every account's positions. */
  allPositions(): Position[] {
    return this.exchange.allPositions();
  }

  /** The last traded price of an instrument, or undefined before its book exists. */
  lastPrice(instrumentToken: number): number | undefined {
    return this.exchange.lastPrice(instrumentToken);
  }

  /** Today's trading in an instrument, or undefined before its book exists. */
  marketStats(instrumentToken: number): MarketStats | undefined {
    return this.exchange.marketStats(instrumentToken);
  }

  /** An instrument's book, for reading depth. Changing it directly bypasses the journal: do not. */
  book(exchange: string, tradingsymbol: string): OrderBook | undefined {
    return this.exchange.book(exchange, tradingsymbol);
  }

  /** Closes the file (a checkpoint folds the WAL back in). Further commands throw CLOSED. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  // ---- inside ------------------------------------------------------------------------------------

  /** Replays the stored day. Called once, by `openExchangeState`, before any command. */
  replay(rows: Iterable<JournalRow>): void {
    if (this.replayed) throw new ExchangeStateError('BAD_OPTIONS', 'the journal was already replayed');
    this.replayed = true;
    this.isReplaying = true;
    try {
      for (const row of rows) {
        this.seq = row.seq;
        this.last = row.at;
        if (row.kind === 'marker') {
          const m = decode(row.args) as { name: string; value: JsonValue };
          this.markerValues.set(m.name, m.value);
          continue;
        }
        this.time = row.at;
        this.current = row.at;
        this.eventCount = 0;
        let result: unknown;
        try {
          result = this.dispatch(row.kind, decode(row.args));
        } catch (e) {
          throw new ExchangeStateError('REPLAY_DIVERGED', `journal entry ${row.seq} (${row.kind}) threw`, {
            cause: e,
          });
        }
        const got = encode(result);
        if (got !== row.result || this.eventCount !== row.events) {
          throw new ExchangeStateError(
            'REPLAY_DIVERGED',
            `journal entry ${row.seq} (${row.kind}) replayed as ${got} with ${this.eventCount} events; ` +
              `it was ${row.result} with ${row.events}. Did the exchange's rules change mid-day?`,
          );
        }
        this.deliver();
      }
    } finally {
      this.isReplaying = false;
      this.current = undefined;
    }
  }

  private dispatch(kind: string, args: unknown): unknown {
    const a = args as { orderId: string; m: ModifyOrder };
    switch (kind) {
      case 'place':
        return this.exchange.placeOrder(args as PlaceOrder);
      case 'modify':
        return this.exchange.modifyOrder(a.orderId, a.m);
      case 'cancel':
        return this.exchange.cancelOrder(a.orderId);
      case 'openSession':
        this.exchange.openSession();
        return null;
      case 'closeSession':
        this.exchange.closeSession();
        return null;
      case 'squareOffIntraday':
        this.exchange.squareOffIntraday();
        return null;
      case 'expireOrders':
        this.exchange.expireOrders();
        return null;
      case 'convert':
        return this.exchange.convertPosition(args as ConvertPosition);
      default:
        throw new ExchangeStateError('REPLAY_DIVERGED', `unknown journal kind ${kind}`);
    }
  }

  /**
   * Runs one command at one clock value, journals it if it changed anything, then delivers its
   * events and returns its answer. A refused command (an error, no events, no session change)
   * changed nothing and is not written.
   */
  private run<R>(
    kind: JournalKind,
    args: unknown,
    command: () => R,
    changed: (result: R) => boolean = () => false,
  ): R {
    this.usable();
    // The Exchange's listener never runs inside a command here (events wait for the commit), so
    // this only catches a caller that re-enters from a clock or an argument getter.
    if (this.busy) throw new ExchangeStateError('BAD_OPTIONS', `${kind} called from inside a command`);
    const at = this.hostNow();
    const outer = this.current;
    this.time = at;
    this.current = at;
    this.eventCount = 0;
    this.pending = [];
    const wasOpen = this.exchange.sessionOpen;
    let result: R;
    this.busy = true;
    try {
      result = command();
    } catch (e) {
      // The exchange may be half-way through the command: memory can no longer be trusted.
      this.current = outer;
      this.fail(e);
    } finally {
      this.busy = false;
    }
    try {
      if (this.eventCount > 0 || this.exchange.sessionOpen !== wasOpen || changed(result)) {
        this.write(at, kind, encode(args), encode(result), this.eventCount);
        this.last = at;
      }
      this.deliver();
    } finally {
      this.current = outer;
    }
    return result;
  }

  private write(at: number, kind: JournalKind, args: string, result: string, events: number): void {
    try {
      const info = this.insert.run(this.tradingDate, at, kind, args, result, events);
      this.seq = Number(info.lastInsertRowid);
    } catch (e) {
      this.fail(e);
    }
  }

  private deliver(): void {
    if (this.listener === undefined || this.pending.length === 0) return;
    const events = this.pending;
    const at = this.time;
    this.pending = [];
    for (const e of events) this.listener(e, this.isReplaying, at);
  }

  private usable(): void {
    if (this.closed) throw new ExchangeStateError('CLOSED', 'the exchange state is closed');
    if (this.failure !== null) {
      throw new ExchangeStateError(
        'JOURNAL_FAILED',
        'an earlier command could not be journaled; restart from the state file',
        { cause: this.failure },
      );
    }
  }

  private fail(e: unknown): never {
    this.failure = e instanceof Error ? e : new Error(String(e));
    this.pending = [];
    throw new ExchangeStateError('JOURNAL_FAILED', `the exchange state stopped: ${this.failure.message}`, {
      cause: e,
    });
  }
}

/**
 * The clock value of the last command or marker journaled for `tradingDate` in `file`, without
 * opening it for writing or replaying it; undefined when the file, or that day in it, does not exist.
 * The host reads it first so that a restarted simulated clock can resume where the journal stopped.
 */
export function peekStateLastTime(file: string, tradingDate: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version === 0 || version > SCHEMA_VERSION) return undefined;
    const row = db
      .prepare<[string], { at: number | null }>('SELECT MAX(at) AS at FROM journal WHERE trading_date = ?')
      .get(tradingDate);
    return row?.at ?? undefined;
  } finally {
    db.close();
  }
}

/**
 * Opens the exchange state in `file` (created if missing) for `options.tradingDate`: migrates the
 * schema, checks the day and its instruments, replays the day's journal through a fresh Exchange
 * (events go to `options.onEvent` with `replaying` true) and returns it ready for new commands.
 * Throws ExchangeStateError: NEWER_SCHEMA, OTHER_TRADING_DATE (unless `newDay: 'archive'`),
 * INSTRUMENTS_CHANGED, REPLAY_DIVERGED.
 */
export function openExchangeState(file: string, options: ExchangeStateOptions): JournaledExchange {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.tradingDate)) {
    throw new ExchangeStateError(
      'BAD_OPTIONS',
      `tradingDate must be YYYY-MM-DD (got ${options.tradingDate})`,
    );
  }
  const db = openStateDatabase(file, {
    ...(options.synchronous === undefined ? {} : { synchronous: options.synchronous }),
    ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
  });
  try {
    const sha = instrumentsHash(options.instruments);
    const day = currentDay(db, options, sha);
    const state = new JournaledExchange(db, day, options);
    state.replay(
      db
        .prepare<[string], JournalRow>(
          'SELECT seq, at, kind, args, result, events FROM journal WHERE trading_date = ? ORDER BY seq',
        )
        .iterate(day.trading_date),
    );
    return state;
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * The day to continue: the stored current one, else (with `newDay: 'archive'`) the requested day,
 * taken back out of the archive if the file had it, or started empty.
 */
function currentDay(db: Database.Database, options: ExchangeStateOptions, sha: string): DayRow {
  return db
    .transaction((): DayRow => {
      const select = db.prepare<[], DayRow>(
        'SELECT trading_date, first_order_number, session_open, instruments_sha256 FROM days WHERE archived_at IS NULL',
      );
      let day = select.get();
      if (day !== undefined && day.trading_date !== options.tradingDate) {
        if ((options.newDay ?? 'refuse') === 'refuse') {
          throw new ExchangeStateError(
            'OTHER_TRADING_DATE',
            `the state file holds trading day ${day.trading_date}, not ${options.tradingDate}; ` +
              'start with newDay "archive" to keep it in the file and begin the new day, or use another file',
          );
        }
        db.prepare('UPDATE days SET archived_at = ? WHERE trading_date = ?').run(
          options.now(),
          day.trading_date,
        );
        // Going back to a day the file already had (a test, a fixed clock) continues that day.
        db.prepare('UPDATE days SET archived_at = NULL WHERE trading_date = ?').run(options.tradingDate);
        day = select.get();
      }
      if (day === undefined) {
        day = {
          trading_date: options.tradingDate,
          first_order_number: options.firstOrderNumber ?? 1,
          session_open: (options.sessionOpen ?? true) ? 1 : 0,
          instruments_sha256: sha,
        };
        db.prepare(
          'INSERT INTO days (trading_date, first_order_number, session_open, instruments_sha256, created_at) VALUES (?, ?, ?, ?, ?)',
        ).run(
          day.trading_date,
          day.first_order_number,
          day.session_open,
          day.instruments_sha256,
          options.now(),
        );
      }
      if (day.instruments_sha256 !== sha) {
        throw new ExchangeStateError(
          'INSTRUMENTS_CHANGED',
          `the instruments of ${day.trading_date} differ from those the state was written with; ` +
            'replaying the journal over them would not rebuild the same state',
        );
      }
      return day;
    })
    .immediate();
}

/** The Kite-visible fields of an order, copied (the Exchange hands out its live internal record). */
export function copyOrder(o: ExchangeOrder): ExchangeOrder {
  return {
    order_id: o.order_id,
    parent_order_id: o.parent_order_id,
    account: o.account,
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    instrument_token: o.instrument_token,
    variety: o.variety,
    transaction_type: o.transaction_type,
    order_type: o.order_type,
    product: o.product,
    validity: o.validity,
    validity_ttl: o.validity_ttl,
    quantity: o.quantity,
    price: o.price,
    trigger_price: o.trigger_price,
    disclosed_quantity: o.disclosed_quantity,
    filled_quantity: o.filled_quantity,
    pending_quantity: o.pending_quantity,
    cancelled_quantity: o.cancelled_quantity,
    filled_value: o.filled_value,
    status: o.status,
    status_message: o.status_message,
    tag: o.tag,
    tags: [...o.tags],
    market_protection: o.market_protection,
    meta: o.meta.iceberg === undefined ? {} : { iceberg: { ...o.meta.iceberg } },
    order_timestamp: o.order_timestamp,
    exchange_update_timestamp: o.exchange_update_timestamp,
  };
}

function instrumentsHash(instruments: readonly Instrument[]): string {
  return createHash('sha256').update(JSON.stringify(instruments)).digest('hex');
}

// JSON with NaN and the infinities kept: a command's arguments must come back exactly as they went in.
function encode(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v,
  );
}

function decode(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && '$number' in v && Object.keys(v).length === 1) {
      return Number((v as { $number: string }).$number);
    }
    return v;
  });
}
