/**
 * What the pre-trade checks need that only the broker knows, fetched in the background and read
 * synchronously on the order path (which never waits on the network):
 *
 * - the day's circuit band of an instrument (Kite's `lower_circuit_limit` / `upper_circuit_limit`
 *   from `/quote`), asked once per instrument per IST day, when the OMS first holds the instrument
 *   or a ticket prices an order in it;
 * - the margin an order blocks per rupee of its value, in basis points, per instrument, product and
 *   side: learned from the broker's own calculator (`/margins/orders`) each time an order is priced
 *   (the ticket does so before sending) or placed;
 * - the margin available per segment: the broker's `net` from `/user/margins`, refreshed after
 *   fills and order changes and every 15 s, less what the orders sent since that answer was asked
 *   for will block (the broker's figure already counts the older ones).
 *
 * Until a figure is known the check it feeds is skipped rather than guessed (the broker checks
 * margin and circuits itself and rejects what breaks them); `status()` says what is known.
 *
 * Single-threaded: the engine's kernel thread only.
 */
import type { Disposable } from '../../../shared/disposable';
import { priceDivisor, segmentOfToken } from '../../../shared/domain/money';
import { formatIstDate } from '../../../shared/time/ist';
import type { Instrument } from '../market/instruments';
import type { Product, Side } from '../../../shared/services/orders';
import type { VenueMarginRequest, VenueSegmentMargins } from './venue';

/** A day's price band, wire units (inclusive). */
export interface CircuitBand {
  readonly lower: number;
  readonly upper: number;
}

/** Kite's margin segments: commodities apart, the rest is equity. */
export type MarginSegment = 'equity' | 'commodity';

export const marginSegmentOf = (exchange: string): MarginSegment =>
  exchange === 'MCX' ? 'commodity' : 'equity';

/** Where the figures come from (the session's broker). */
export interface PreTradeDataSource {
  /** The instrument's circuit band today; null when the broker has none for it. */
  circuitBand(instrument: Instrument): Promise<CircuitBand | null>;
  margins(): Promise<{ equity: VenueSegmentMargins | null; commodity: VenueSegmentMargins | null }>;
  orderMargin(request: VenueMarginRequest): Promise<number>;
}

interface Reservation {
  readonly segment: MarginSegment;
  readonly paise: number;
  /** Its place in sending order (a clock could give two orders and an ask the same millisecond). */
  readonly seq: number;
}

/** Refresh of the available margin at least this often while connected. */
const MARGIN_REFRESH_MS = 15_000;
/** A change (a fill, an order finishing) refreshes it after this quiet time. */
const MARGIN_SETTLE_MS = 250;
/** How long after an order a missing rate is asked for. */
const WANT_DELAY_MS = 50;

export class PreTradeData implements Disposable {
  private readonly bands = new Map<number, CircuitBand | null>();
  private bandDay = '';
  private readonly bandsAsked = new Set<number>();
  private readonly rates = new Map<string, number>();
  private readonly ratesAsked = new Set<string>();
  private available: { equity: number | null; commodity: number | null } | undefined;
  private availableAt = 0;
  private reservations: Reservation[] = [];
  private reservationSeq = 0;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly timer: ReturnType<typeof setInterval>;
  private disposed = false;

  constructor(
    private readonly source: PreTradeDataSource,
    private readonly now: () => number,
    private readonly log: (line: string) => void,
  ) {
    this.timer = setInterval(() => {
      void this.refreshMargins();
    }, MARGIN_REFRESH_MS);
    this.timer.unref();
    void this.refreshMargins();
  }

  // --- circuit bands ----------------------------------------------------------------------------

  /** The band known for today, or undefined (asks for it in the background). null: the broker has none. */
  band(instrument: Instrument): CircuitBand | null | undefined {
    this.rollDay();
    const b = this.bands.get(instrument.instrumentToken);
    if (b === undefined) void this.fetchBand(instrument);
    return b;
  }

  /** Fetches the band (once a day per instrument; a failed fetch may be asked again). */
  async fetchBand(instrument: Instrument): Promise<CircuitBand | null | undefined> {
    this.rollDay();
    const token = instrument.instrumentToken;
    if (this.bands.has(token)) return this.bands.get(token);
    if (this.bandsAsked.has(token)) return undefined;
    this.bandsAsked.add(token);
    const day = this.bandDay;
    try {
      const band = await this.source.circuitBand(instrument);
      if (this.disposed || day !== this.bandDay) return undefined;
      // A band of 0..0 (an index, a broker without circuits) is no band.
      const known = band !== null && band.upper > 0 && band.upper >= band.lower ? band : null;
      this.bands.set(token, known);
      return known;
    } catch (e) {
      this.log(`circuit band of ${instrument.tradingSymbol}: ${errorText(e)}`);
      return undefined;
    } finally {
      this.bandsAsked.delete(token);
    }
  }

  private rollDay(): void {
    const day = formatIstDate(this.now());
    if (day === this.bandDay) return;
    this.bandDay = day;
    this.bands.clear();
  }

  // --- margin -----------------------------------------------------------------------------------

  /** Basis points of the order's value it blocks, or -1 when not known yet. */
  marginRate(instrumentToken: number, product: Product, side: Side): number {
    return this.rates.get(rateKey(instrumentToken, product, side)) ?? -1;
  }

  /**
   * Asks the broker what `request` would block, learns the rate from it, and answers it (paise).
   * Rejects as the broker does.
   */
  async orderMargin(request: VenueMarginRequest): Promise<number> {
    const paise = await this.source.orderMargin(request);
    this.learn(request, paise);
    return paise;
  }

  /** Learns the rate for an order the OMS is about to check without one (at most one ask at a time per key). */
  want(request: VenueMarginRequest): void {
    const key = rateKey(request.instrumentToken, request.product, request.side);
    if (this.rates.has(key) || this.ratesAsked.has(key) || request.price <= 0) return;
    this.ratesAsked.add(key);
    // Asked a little later: the order being placed now goes to the broker first.
    const t = setTimeout(() => {
      if (this.disposed) return;
      this.orderMargin(request).then(
        () => this.ratesAsked.delete(key),
        (e: unknown) => {
          this.ratesAsked.delete(key);
          this.log(`margin of ${request.tradingsymbol}: ${errorText(e)}`);
        },
      );
    }, WANT_DELAY_MS);
    t.unref();
  }

  private learn(r: VenueMarginRequest, paise: number): void {
    const value = valuePaise(r.price * r.quantity, r.instrumentToken);
    if (!(value > 0) || !Number.isFinite(paise) || paise < 0) return;
    // Rounded up: the check errs towards refusing what the broker might.
    this.rates.set(rateKey(r.instrumentToken, r.product, r.side), Math.ceil((paise * 10_000) / value));
  }

  /** The segment's available margin less what orders sent since will block; NaN when not known. */
  availableMargin(segment: MarginSegment): number {
    const a = this.available?.[segment];
    if (a === undefined || a === null) return Number.NaN;
    let reserved = 0;
    for (const r of this.reservations) if (r.segment === segment) reserved += r.paise;
    return a - reserved;
  }

  /** An order was sent that blocks `paise` (until the next answer from the broker counts it). */
  reserve(segment: MarginSegment, paise: number): void {
    if (paise > 0) this.reservations.push({ segment, paise, seq: this.reservationSeq++ });
    this.settle();
  }

  /** Something moved the funds (a fill, an order that finished): refresh soon. */
  settle(): void {
    if (this.disposed || this.settleTimer !== undefined) return;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      void this.refreshMargins();
    }, MARGIN_SETTLE_MS);
    this.settleTimer.unref();
  }

  /** Asks the broker for the available margin now (one request at a time; a call meanwhile asks again after it). */
  refreshMargins(): Promise<void> {
    if (this.refreshing !== undefined) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    const askedAt = this.now();
    const askedSeq = this.reservationSeq;
    this.refreshing = this.source
      .margins()
      .then(
        (m) => {
          if (this.disposed) return;
          this.available = { equity: m.equity?.net ?? null, commodity: m.commodity?.net ?? null };
          this.availableAt = askedAt;
          // The answer counts every order sent before it was asked for.
          this.reservations = this.reservations.filter((r) => r.seq >= askedSeq);
        },
        (e: unknown) => {
          this.log(`margins: ${errorText(e)}`);
        },
      )
      .finally(() => {
        this.refreshing = undefined;
        if (this.refreshAgain && !this.disposed) {
          this.refreshAgain = false;
          void this.refreshMargins();
        }
      });
    return this.refreshing;
  }

  /** When the available margin was last asked for (0: never answered). */
  get marginsAt(): number {
    return this.availableAt;
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    if (this.settleTimer !== undefined) clearTimeout(this.settleTimer);
  }
}

const rateKey = (token: number, product: Product, side: Side): string => `${token}:${product}:${side}`;

/** price x quantity (wire units) in paise; CDS and BCD carry more decimals. */
function valuePaise(wireValue: number, token: number): number {
  return (wireValue * 100) / priceDivisor(segmentOfToken(token));
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
