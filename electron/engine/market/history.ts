// Historical candles: Kite's historical API behind a SQLite cache (historyCache.ts). A request is
// cut into the spans the cache does not hold yet ("gaps"), each gap into Kite's longest span per
// request for the interval, and the pieces are fetched oldest first, one after another. Pacing to
// Kite's 3 requests/s is the fetch's own (KiteRest's RequestPacer): a second limiter here would
// only add delay. Times are epoch-ms arithmetic; nothing reads the machine's time zone.
import { priceFromUnits } from '../../../shared/domain/money';
import { BrokerError } from '../broker/errors';
import type { Candle, CandleInterval } from '../broker/types';
import type { EngineDatabase } from '../store';
import { INTERVAL_MS, istDayStart } from './bars';
import type { BarAggregator, BarInterval, HistoryCandle } from './bars';
import { CandleCache } from './historyCache';
import type { TimeSpan } from './historyCache';

const DAY_MS = 86_400_000;
// Kite's `from` and `to` are whole seconds (`yyyy-mm-dd hh:mm:ss`), so every span the service asks
// for or records is cut on whole seconds: what is recorded is exactly what was asked.
const SECOND = 1_000;

/** Kite's interval for each bar interval; '1s' has none (Kite keeps no second candles). */
export const KITE_INTERVAL: Readonly<Record<BarInterval, CandleInterval | null>> = {
  '1s': null,
  '1m': 'minute',
  '3m': '3minute',
  '5m': '5minute',
  '15m': '15minute',
  '30m': '30minute',
  '1h': '60minute',
  '1d': 'day',
};

/**
 * The longest span one historical request may cover, days (kite-protocol.md 4.3, from Kite staff
 * on the forum; the local exchange refuses longer ones the same way).
 */
export const KITE_MAX_SPAN_DAYS: Readonly<Record<CandleInterval, number>> = {
  minute: 60,
  '3minute': 100,
  '5minute': 100,
  '10minute': 100,
  '15minute': 200,
  '30minute': 200,
  '60minute': 400,
  day: 2000,
};

/**
 * One historical request: the candles of `instrumentToken` whose start lies in `[fromMs, toMs]`
 * (both whole seconds, inclusive), oldest first. In production `KiteRest.historical`, which paces,
 * retries and rejects with a BrokerError.
 */
export type HistoryFetch = (
  instrumentToken: number,
  interval: CandleInterval,
  fromMs: number,
  toMs: number,
  options: { readonly oi: boolean },
) => Promise<Candle[]>;

/** What a `HistoryService` needs. */
export interface HistoryServiceOptions {
  readonly fetch: HistoryFetch;
  /** The engine's database (migration 2: the candle tables). */
  readonly db: EngineDatabase;
  /** Epoch ms. Decides which candles have closed, and so which spans may be recorded as complete. */
  readonly now: () => number;
  /**
   * How long after a candle ends its span may be recorded as complete, ms (default 60 000): Kite's
   * historical data lags the market by a little, and a candle read the instant it closed may miss
   * its last trades.
   */
  readonly settleMs?: number;
}

/** A fetch of one piece, in flight: requests that need its span wait for it instead of asking. */
interface Pending {
  readonly span: TimeSpan;
  readonly done: Promise<void>;
}

const floorSecond = (ms: number): number => Math.floor(ms / SECOND) * SECOND;
const ceilSecond = (ms: number): number => Math.ceil(ms / SECOND) * SECOND;

/** `want` less every span of `have` (which may overlap one another), oldest first. */
function subtract(want: TimeSpan, have: readonly TimeSpan[]): TimeSpan[] {
  const sorted = [...have].sort((a, b) => a.from - b.from);
  const out: TimeSpan[] = [];
  let from = want.from;
  for (const h of sorted) {
    if (h.to <= from) continue;
    if (h.from >= want.to) break;
    if (h.from > from) out.push({ from, to: h.from });
    from = Math.max(from, h.to);
    if (from >= want.to) break;
  }
  if (from < want.to) out.push({ from, to: want.to });
  return out;
}

/** `span` cut into pieces of at most `maxMs`, oldest first. */
function pieces(span: TimeSpan, maxMs: number): TimeSpan[] {
  const out: TimeSpan[] = [];
  for (let from = span.from; from < span.to; from += maxMs)
    out.push({ from, to: Math.min(span.to, from + maxMs) });
  return out;
}

/**
 * A time before which every candle of `interval` had ended at `t`. Day candles start at 00:00 IST,
 * so all before today's are over. Intraday candles are aligned to the session open, which this does
 * not know (NSE 09:15, MCX 09:00, the local exchange's always-open day at 00:00): one interval back
 * is over whatever the grid.
 */
function closedBoundary(interval: CandleInterval, lengthMs: number, t: number): number {
  return interval === 'day' ? istDayStart(t) : floorSecond(t - lengthMs);
}

const dataError = (message: string): BrokerError =>
  new BrokerError('data', `historical: ${message}`, { endpoint: 'historical' });

/**
 * Checks an answer before it is recorded: integer prices and volumes, strictly increasing whole
 * times. What a fetch other than KiteRest (or a changed Kite) sends must not poison the cache.
 */
function checkAnswer(candles: readonly Candle[]): void {
  let last = Number.NEGATIVE_INFINITY;
  for (const c of candles) {
    const fields = [c.time, c.open, c.high, c.low, c.close, c.volume];
    if (!fields.every(Number.isSafeInteger) || (c.oi !== null && !Number.isSafeInteger(c.oi)))
      throw dataError(`candle at ${c.time} has a field that is not an integer`);
    if (c.time <= last) throw dataError(`candle at ${c.time} is not after the one before it`);
    last = c.time;
  }
}

/**
 * Historical candles for the engine: cached, gap-filled, chunked to Kite's limits, with concurrent
 * requests sharing fetches. One per database and broker session; engine thread only.
 *
 * What is recorded as fetched: every span asked for and answered, empty answers included, except
 * the part whose candles may still change: candles that had not closed (plus `settleMs`) when the
 * request was sent. That part is kept for reading but fetched again by the next request, so today's
 * candles keep growing while the closed past is asked for once.
 */
export class HistoryService {
  private readonly fetch: HistoryFetch;
  private readonly cache: CandleCache;
  private readonly now: () => number;
  private readonly settleMs: number;
  /** Per `token:interval`, the pieces being fetched. */
  private readonly pending = new Map<string, Set<Pending>>();

  constructor(options: HistoryServiceOptions) {
    this.fetch = options.fetch;
    this.cache = CandleCache.open(options.db);
    this.now = options.now;
    this.settleMs = options.settleMs ?? 60_000;
  }

  /**
   * The candles of one instrument whose start lies in `[fromMs, toMs]` (epoch ms, inclusive),
   * oldest first, with open interest (0 where Kite has none). Only the spans not already cached are
   * fetched; a range the cache holds makes no request. A '1s' range resolves to [] with no request:
   * Kite has no second candles (live 1 s bars come from the BarAggregator only). The part after
   * `now` is not asked for. Rejects with the fetch's BrokerError as it was thrown (a `data` one when
   * the answer does not check); pieces fetched before a failure stay cached, the failed one leaves
   * nothing behind. Allocates the result.
   */
  candles(instrumentToken: number, interval: BarInterval, fromMs: number, toMs: number): Promise<Candle[]> {
    const kiteInterval = KITE_INTERVAL[interval];
    if (!Number.isSafeInteger(instrumentToken) || instrumentToken <= 0)
      return Promise.reject(new BrokerError('input', `${instrumentToken} is not an instrument token`));
    if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs > toMs)
      return Promise.reject(new BrokerError('input', `from ${fromMs} to ${toMs} is not a time range`));
    if (kiteInterval === null) return Promise.resolve([]);
    // Every candle starts on a whole second (a minute, or 00:00 IST), so this loses none.
    const want: TimeSpan = {
      from: ceilSecond(fromMs),
      to: floorSecond(Math.min(toMs, this.now())) + SECOND,
    };
    if (want.from >= want.to) return Promise.resolve([]);
    return this.fill(instrumentToken, kiteInterval, INTERVAL_MS[interval], want);
  }

  private async fill(
    instrumentToken: number,
    interval: CandleInterval,
    lengthMs: number,
    want: TimeSpan,
  ): Promise<Candle[]> {
    const key = `${instrumentToken}:${interval}`;
    // From here to the last registration nothing awaits: the cache read and the registry are one
    // step, so a concurrent request sees either the recorded span or the fetch that will record it.
    const inFlight = this.pending.get(key) ?? new Set<Pending>();
    const shared = [...inFlight].filter((p) => p.span.from < want.to && p.span.to > want.from);
    const known = [...this.cache.covered(instrumentToken, interval, want), ...shared.map((p) => p.span)];
    const maxMs = KITE_MAX_SPAN_DAYS[interval] * DAY_MS;
    const own: Pending[] = [];
    let previous: Promise<void> = Promise.resolve();
    for (const gap of subtract(want, known)) {
      for (const span of pieces(gap, maxMs)) {
        // One after another: a failed piece stops the later ones (they reject with its error), and
        // the pacer sees this request's pieces in time order.
        const done = previous.then(() => this.fetchPiece(instrumentToken, interval, lengthMs, span));
        const entry: Pending = { span, done };
        inFlight.add(entry);
        this.pending.set(key, inFlight);
        const forget = (): void => {
          inFlight.delete(entry);
          if (inFlight.size === 0 && this.pending.get(key) === inFlight) this.pending.delete(key);
        };
        void done.then(forget, forget);
        own.push(entry);
        previous = done;
      }
    }
    const waits = [...shared, ...own].sort((a, b) => a.span.from - b.span.from);
    const outcomes = await Promise.allSettled(waits.map((p) => p.done));
    for (const o of outcomes) if (o.status === 'rejected') throw o.reason;
    return this.cache.read(instrumentToken, interval, want);
  }

  private async fetchPiece(
    instrumentToken: number,
    interval: CandleInterval,
    lengthMs: number,
    span: TimeSpan,
  ): Promise<void> {
    // Read before asking: a candle that closes while the request is on its way may be answered
    // still forming, so "closed" must mean closed when Kite was asked.
    const askedAt = this.now();
    const candles = await this.fetch(instrumentToken, interval, span.from, span.to - SECOND, { oi: true });
    checkAnswer(candles);
    const closedBefore = closedBoundary(interval, lengthMs, askedAt - this.settleMs);
    this.cache.store(instrumentToken, interval, span, candles, Math.min(span.to, closedBefore), this.now());
  }
}

/**
 * Joins history with the live bars of today: `history` (candles of `interval`, oldest first, as
 * `HistoryService.candles` returns them) then the aggregator's open bar, as one series with no gap
 * at the seam and no volume counted twice (`BarAggregator.mergeHistory` does the join and sets the
 * aggregator up so that the next tick adds only what traded after the history). For no gap, the
 * history must run up to now: ask `candles(..., from, now)`. The live bar keeps the OI of the candle
 * it joined; a bar only the feed knows has `oi` null (the quote carries the live OI). Throws a
 * RangeError if the aggregator does not keep `interval`. Allocates the result.
 */
export function joinLiveBars(
  history: readonly Candle[],
  aggregator: BarAggregator,
  interval: BarInterval,
): Candle[] {
  const oi = new Map<number, number | null>();
  const plain: HistoryCandle[] = history.map((c) => {
    oi.set(c.time, c.oi);
    return { start: c.time, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
  });
  return aggregator.mergeHistory(interval, plain).map((b) => ({
    time: b.start,
    open: priceFromUnits(b.open),
    high: priceFromUnits(b.high),
    low: priceFromUnits(b.low),
    close: priceFromUnits(b.close),
    volume: b.volume,
    oi: oi.get(b.start) ?? null,
  }));
}
