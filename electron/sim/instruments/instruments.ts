// The local exchange's instruments: the hand-written files in assets/instruments/ are validated here
// and expanded into Kite-shaped records, with the derivatives (futures, weekly and monthly option
// chains) generated relative to a trading date. Pure: the caller reads the files (see loadInstruments).
import { z } from 'zod';
import {
  currencyExpiry,
  dayNumber,
  dayOfMonthExpiry,
  formatCalendarDate,
  monthlyCode,
  monthlyExpiry,
  parseCalendarDate,
  weeklyCode,
  weeklyExpiry,
} from './expiry';
import type { CalendarDate } from './expiry';

/** Kite's segment ids: the low byte of an `instrument_token`. */
export const SEGMENT_ID = {
  NSE: 1,
  NFO: 2,
  CDS: 3,
  BSE: 4,
  BFO: 5,
  BCD: 6,
  MCX: 7,
  INDICES: 9,
} as const;

/** Exchanges whose instruments the simulator lists. */
export type Exchange = 'NSE' | 'BSE' | 'NFO' | 'CDS' | 'MCX';

/** Kite's `instrument_type` column. */
export type InstrumentType = 'EQ' | 'FUT' | 'CE' | 'PE';

/**
 * One instrument. The snake_case fields are Kite's instruments CSV columns, except that every price
 * (`last_price`, `strike`, `tick_size`) is an integer in the wire unit (price x `priceDivisor`), not
 * rupees. The camelCase fields are the exchange's own rules for the contract.
 */
export interface Instrument {
  readonly instrument_token: number;
  readonly exchange_token: number;
  readonly tradingsymbol: string;
  readonly name: string;
  /** Previous close, wire unit (the simulator's opening reference price). */
  readonly last_price: number;
  /** `YYYY-MM-DD`, or '' for equities and indices. */
  readonly expiry: string;
  /** Wire unit; 0 unless an option. */
  readonly strike: number;
  /** Wire unit; 0 for indices. */
  readonly tick_size: number;
  /** 1 for equities; 0 for indices. */
  readonly lot_size: number;
  readonly instrument_type: InstrumentType;
  /** `NSE`, `BSE`, `NFO-FUT`, `NFO-OPT`, `CDS-FUT`, `MCX-FUT` or `INDICES`. */
  readonly segment: string;
  readonly exchange: Exchange;
  /** 100 for paise; 10,000,000 for CDS. */
  readonly priceDivisor: number;
  /** Largest quantity one order may carry (exchange freeze quantity; Kite's 1,00,000 for equity). */
  readonly freezeQuantity: number;
  /** Lowest price an order may carry (lower circuit / price band), wire unit, on the tick. */
  readonly lowerCircuit: number;
  /** Highest price an order may carry (upper circuit / price band), wire unit, on the tick. */
  readonly upperCircuit: number;
  /** False for indices. */
  readonly tradable: boolean;
}

/** `(exchange_token << 8) | segment`, computed without 32-bit overflow. */
export function instrumentToken(exchangeToken: number, segmentId: number): number {
  return exchangeToken * 256 + segmentId;
}

const wireInt = z.number().int().positive();

/** assets/instruments/nseEquities.json */
export const equitiesFileSchema = z.array(
  z.strictObject({
    symbol: z.string().regex(/^[A-Z0-9&-]{1,20}$/),
    name: z.string().min(1),
    exchangeToken: wireInt.max(0xffffff),
    previousClose: wireInt,
    tickSize: z.union([z.literal(1), z.literal(5)]),
    bandPercent: z.union([z.literal(2), z.literal(5), z.literal(10), z.literal(20)]),
    bseScripCode: wireInt.max(0xffffff).optional(),
  }),
);

/** assets/instruments/indices.json */
export const indicesFileSchema = z.array(
  z.strictObject({
    tradingsymbol: z.string().min(1),
    name: z.string().min(1),
    exchangeToken: wireInt.max(0xffffff),
    previousClose: wireInt,
  }),
);

/** assets/instruments/derivatives.json */
export const derivativesFileSchema = z.strictObject({
  indexDerivatives: z.array(
    z.strictObject({
      name: z.string().regex(/^[A-Z]+$/),
      index: z.string().min(1),
      lotSize: wireInt,
      freezeQuantity: wireInt,
      tickSize: wireInt,
      strikeStep: wireInt,
      strikesEachSide: z.number().int().min(15).max(100),
      weeklyOptions: z.boolean(),
      volatilityPercent: z.number().positive().max(200),
      futureBandPercent: z.number().positive().max(50),
      /** Options' band: the premium +- this percentage of the index (NSE sets option bands daily). */
      optionBandPercentOfSpot: z.number().positive().max(20),
      firstExchangeToken: wireInt.max(0xffffff - 1000),
    }),
  ),
  currencyFutures: z.array(
    z.strictObject({
      name: z.string().regex(/^[A-Z]+$/),
      exchangeToken: wireInt.max(0xffffff),
      previousClose: wireInt,
      tickSize: wireInt,
      lotSize: wireInt,
      freezeQuantity: wireInt,
      bandPercent: z.number().positive().max(50),
    }),
  ),
  commodityFutures: z.array(
    z.strictObject({
      name: z.string().regex(/^[A-Z]+$/),
      exchangeToken: wireInt.max(0xffffff),
      previousClose: wireInt,
      tickSize: wireInt,
      lotSize: wireInt,
      freezeQuantity: wireInt,
      bandPercent: z.number().positive().max(50),
      expiryDayOfMonth: z.number().int().min(1).max(28),
    }),
  ),
});

/** The parsed contents of the instrument files, before validation. */
export interface InstrumentFiles {
  readonly nseEquities: unknown;
  readonly indices: unknown;
  readonly derivatives: unknown;
}

/** Kite's per-order cap for equity (its message: "Maximum quantity per order for Equity is 1,00,000"). */
export const EQUITY_MAX_QUANTITY = 100_000;

/** Rounds a price to the tick: down, or up when `up`. */
export function toTick(price: number, tick: number, up: boolean): number {
  return (up ? Math.ceil(price / tick) : Math.floor(price / tick)) * tick;
}

/** A price band `reference +- percent`, on the tick, never below one tick. */
export function band(reference: number, percent: number, tick: number): { lower: number; upper: number } {
  const lower = Math.max(tick, toTick(Math.round((reference * (100 - percent)) / 100), tick, true));
  const upper = toTick(Math.round((reference * (100 + percent)) / 100), tick, false);
  return { lower, upper };
}

/**
 * Validates the instrument files (zod; throws a ZodError naming the bad field) and builds every
 * instrument for the trading day `tradingDate` (`YYYY-MM-DD`): equities on NSE (and BSE where a scrip
 * code is given), the indices, each index's current-month future and its option chains, the
 * currency and commodity futures. Throws on a duplicate token or symbol.
 */
export function buildInstruments(files: InstrumentFiles, tradingDate: string): Instrument[] {
  const date = parseCalendarDate(tradingDate);
  const equities = equitiesFileSchema.parse(files.nseEquities);
  const indices = indicesFileSchema.parse(files.indices);
  const derivatives = derivativesFileSchema.parse(files.derivatives);
  const out: Instrument[] = [];

  for (const e of equities) {
    const { lower, upper } = band(e.previousClose, e.bandPercent, e.tickSize);
    const common = {
      tradingsymbol: e.symbol,
      name: e.name,
      last_price: e.previousClose,
      expiry: '',
      strike: 0,
      tick_size: e.tickSize,
      lot_size: 1,
      instrument_type: 'EQ' as const,
      priceDivisor: 100,
      freezeQuantity: EQUITY_MAX_QUANTITY,
      lowerCircuit: lower,
      upperCircuit: upper,
      tradable: true,
    };
    out.push({
      ...common,
      instrument_token: instrumentToken(e.exchangeToken, SEGMENT_ID.NSE),
      exchange_token: e.exchangeToken,
      segment: 'NSE',
      exchange: 'NSE',
    });
    if (e.bseScripCode !== undefined) {
      out.push({
        ...common,
        instrument_token: instrumentToken(e.bseScripCode, SEGMENT_ID.BSE),
        exchange_token: e.bseScripCode,
        segment: 'BSE',
        exchange: 'BSE',
      });
    }
  }

  const indexClose = new Map<string, number>();
  for (const i of indices) {
    indexClose.set(i.tradingsymbol, i.previousClose);
    out.push({
      instrument_token: instrumentToken(i.exchangeToken, SEGMENT_ID.INDICES),
      exchange_token: i.exchangeToken,
      tradingsymbol: i.tradingsymbol,
      name: i.name,
      last_price: i.previousClose,
      expiry: '',
      strike: 0,
      tick_size: 0,
      lot_size: 0,
      instrument_type: 'EQ',
      segment: 'INDICES',
      exchange: 'NSE',
      priceDivisor: 100,
      freezeQuantity: 0,
      lowerCircuit: 0,
      upperCircuit: 0,
      tradable: false,
    });
  }

  for (const u of derivatives.indexDerivatives) {
    const spot = indexClose.get(u.index);
    if (spot === undefined) throw new RangeError(`${u.name}: no index named ${u.index} in indices.json`);
    let token = u.firstExchangeToken;
    const monthly = monthlyExpiry(date);
    const future = futurePrice(spot, date, monthly, u.tickSize);
    const fb = band(future, u.futureBandPercent, u.tickSize);
    out.push({
      instrument_token: instrumentToken(token, SEGMENT_ID.NFO),
      exchange_token: token++,
      tradingsymbol: `${u.name}${monthlyCode(monthly)}FUT`,
      name: u.name,
      last_price: future,
      expiry: formatCalendarDate(monthly),
      strike: 0,
      tick_size: u.tickSize,
      lot_size: u.lotSize,
      instrument_type: 'FUT',
      segment: 'NFO-FUT',
      exchange: 'NFO',
      priceDivisor: 100,
      freezeQuantity: u.freezeQuantity,
      lowerCircuit: fb.lower,
      upperCircuit: fb.upper,
      tradable: true,
    });
    const chains: { expiry: CalendarDate; code: string }[] = [];
    if (u.weeklyOptions) {
      const w = weeklyExpiry(date);
      chains.push({ expiry: w, code: weeklyCode(w) });
    }
    chains.push({ expiry: monthly, code: monthlyCode(monthly) });
    const atm = Math.round(spot / u.strikeStep) * u.strikeStep;
    for (const chain of chains) {
      const years = Math.max(1, dayNumber(chain.expiry) - dayNumber(date)) / 365;
      for (let k = -u.strikesEachSide; k <= u.strikesEachSide; k++) {
        const strike = atm + k * u.strikeStep;
        for (const type of ['CE', 'PE'] as const) {
          const premium = Math.max(
            u.tickSize,
            toTick(blackScholes(type, spot, strike, years, u.volatilityPercent / 100), u.tickSize, false),
          );
          // NSE sets option bands daily from a theoretical price; premium +- a slice of the index keeps
          // the book's level array small (levels cost about 20 bytes each).
          const reach = Math.round((spot * u.optionBandPercentOfSpot) / 100);
          const lower = Math.max(u.tickSize, toTick(premium - reach, u.tickSize, true));
          const upper = toTick(premium + reach, u.tickSize, false);
          out.push({
            instrument_token: instrumentToken(token, SEGMENT_ID.NFO),
            exchange_token: token++,
            tradingsymbol: `${u.name}${chain.code}${strike / 100}${type}`,
            name: u.name,
            last_price: premium,
            expiry: formatCalendarDate(chain.expiry),
            strike,
            tick_size: u.tickSize,
            lot_size: u.lotSize,
            instrument_type: type,
            segment: 'NFO-OPT',
            exchange: 'NFO',
            priceDivisor: 100,
            freezeQuantity: u.freezeQuantity,
            lowerCircuit: lower,
            upperCircuit: upper,
            tradable: true,
          });
        }
      }
    }
  }

  for (const c of derivatives.currencyFutures) {
    const expiry = currencyExpiry(date);
    const b = band(c.previousClose, c.bandPercent, c.tickSize);
    out.push({
      instrument_token: instrumentToken(c.exchangeToken, SEGMENT_ID.CDS),
      exchange_token: c.exchangeToken,
      tradingsymbol: `${c.name}${monthlyCode(expiry)}FUT`,
      name: c.name,
      last_price: c.previousClose,
      expiry: formatCalendarDate(expiry),
      strike: 0,
      tick_size: c.tickSize,
      lot_size: c.lotSize,
      instrument_type: 'FUT',
      segment: 'CDS-FUT',
      exchange: 'CDS',
      priceDivisor: 10_000_000,
      freezeQuantity: c.freezeQuantity,
      lowerCircuit: b.lower,
      upperCircuit: b.upper,
      tradable: true,
    });
  }

  for (const c of derivatives.commodityFutures) {
    const expiry = dayOfMonthExpiry(date, c.expiryDayOfMonth);
    const b = band(c.previousClose, c.bandPercent, c.tickSize);
    out.push({
      instrument_token: instrumentToken(c.exchangeToken, SEGMENT_ID.MCX),
      exchange_token: c.exchangeToken,
      tradingsymbol: `${c.name}${monthlyCode(expiry)}FUT`,
      name: c.name,
      last_price: c.previousClose,
      expiry: formatCalendarDate(expiry),
      strike: 0,
      tick_size: c.tickSize,
      lot_size: c.lotSize,
      instrument_type: 'FUT',
      segment: 'MCX-FUT',
      exchange: 'MCX',
      priceDivisor: 100,
      freezeQuantity: c.freezeQuantity,
      lowerCircuit: b.lower,
      upperCircuit: b.upper,
      tradable: true,
    });
  }

  const tokens = new Set<number>();
  const symbols = new Set<string>();
  for (const i of out) {
    const key = `${i.exchange}:${i.tradingsymbol}`;
    if (tokens.has(i.instrument_token))
      throw new RangeError(`duplicate instrument_token ${i.instrument_token}`);
    if (symbols.has(key)) throw new RangeError(`duplicate symbol ${key}`);
    tokens.add(i.instrument_token);
    symbols.add(key);
  }
  return out;
}

/** Spot carried to expiry at 6.5% a year, on the tick. Float arithmetic: this is data generation. */
function futurePrice(spot: number, from: CalendarDate, expiry: CalendarDate, tick: number): number {
  const years = (dayNumber(expiry) - dayNumber(from)) / 365;
  return toTick(Math.round(spot * (1 + 0.065 * years)), tick, false);
}

/** Black-Scholes premium with a 6.5% rate, in the spot's unit. Float arithmetic: data generation. */
function blackScholes(type: 'CE' | 'PE', spot: number, strike: number, years: number, vol: number): number {
  const r = 0.065;
  const sd = vol * Math.sqrt(years);
  const d1 = (Math.log(spot / strike) + (r + (vol * vol) / 2) * years) / sd;
  const d2 = d1 - sd;
  const discounted = strike * Math.exp(-r * years);
  return type === 'CE'
    ? spot * normalCdf(d1) - discounted * normalCdf(d2)
    : discounted * normalCdf(-d2) - spot * normalCdf(-d1);
}

/** Abramowitz-Stegun 26.2.17. */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly =
    t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * poly;
  return x >= 0 ? 1 - tail : tail;
}

const CSV_HEADER =
  'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange';

/** Formats a wire-unit price as Kite's CSV writes it (rupees, no trailing zeros). */
export function formatPrice(wire: number, divisor: number): string {
  return String(wire / divisor);
}

/**
 * Kite's instruments dump: the exact header, CRLF line endings, no trailing newline (so the JS
 * client's Papaparse does not add a junk row). Allocates the whole text.
 */
export function instrumentsCsv(instruments: readonly Instrument[]): string {
  const lines = [CSV_HEADER];
  for (const i of instruments) {
    const quoted = i.name.includes(',') ? `"${i.name}"` : i.name;
    lines.push(
      [
        i.instrument_token,
        i.exchange_token,
        i.tradingsymbol,
        quoted,
        formatPrice(i.last_price, i.priceDivisor),
        i.expiry,
        formatPrice(i.strike, i.priceDivisor),
        formatPrice(i.tick_size, i.priceDivisor),
        i.lot_size,
        i.instrument_type,
        i.segment,
        i.exchange,
      ].join(','),
    );
  }
  return lines.join('\r\n');
}
