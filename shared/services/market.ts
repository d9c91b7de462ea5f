import { z } from 'zod';
import { defineService } from '../rpc/service';

// The `market` service: instruments, live quotes and depth, bars and history. Prices are integers
// in the instrument's wire unit (price x `priceDivisor`: 100 for most segments, 1e7 for CDS); the
// renderer divides at the edge. Times are epoch ms (UTC); the exchange's day is IST.

const token = z.number().int().positive().max(0xffff_ffff);

/** What a trader needs to know of an instrument to find it, show it and size an order for it. */
export const InstrumentInfoSchema = z.object({
  instrumentToken: z.number().int(),
  exchange: z.string(),
  tradingsymbol: z.string(),
  name: z.string(),
  /** EQ, FUT, CE, PE, or INDEX for an index (which cannot be traded). */
  instrumentType: z.enum(['EQ', 'FUT', 'CE', 'PE', 'INDEX']),
  segment: z.string(),
  /** `YYYY-MM-DD`, or '' for equities and indices. */
  expiry: z.string(),
  /** Wire units; 0 unless an option. */
  strike: z.number().int(),
  /** Wire units; 0 for an index. */
  tickSize: z.number().int().nonnegative(),
  lotSize: z.number().int().nonnegative(),
  priceDivisor: z.number().int().positive(),
  /** Largest quantity one order may carry, when known. */
  freezeQuantity: z.number().int().positive().nullable(),
  /** Previous close, wire units (from the instruments dump). */
  lastPrice: z.number().int(),
});
export type InstrumentInfo = z.infer<typeof InstrumentInfoSchema>;

/** How much of the feed an instrument gets: last price, quote (OHLC, volume, best bid/ask), or full (5-level depth, OI). */
export const FeedModeSchema = z.enum(['ltp', 'quote', 'full']);
export type FeedMode = z.infer<typeof FeedModeSchema>;

/** One price level of the book. */
export const DepthLevelSchema = z.object({
  price: z.number().int(),
  quantity: z.number().int().nonnegative(),
  orders: z.number().int().nonnegative(),
});
export type DepthLevel = z.infer<typeof DepthLevelSchema>;

/** The latest of an instrument, as the feed last told it. */
export const QuoteSchema = z.object({
  instrumentToken: z.number().int(),
  lastPrice: z.number().int(),
  lastQuantity: z.number().int().nonnegative(),
  averagePrice: z.number().int(),
  /** The day's traded volume. */
  volume: z.number().int().nonnegative(),
  open: z.number().int(),
  high: z.number().int(),
  low: z.number().int(),
  /** Previous close. */
  close: z.number().int(),
  bidPrice: z.number().int(),
  bidQuantity: z.number().int().nonnegative(),
  askPrice: z.number().int(),
  askQuantity: z.number().int().nonnegative(),
  /** Total quantity bid / offered in the book. */
  totalBuyQuantity: z.number().int().nonnegative(),
  totalSellQuantity: z.number().int().nonnegative(),
  oi: z.number().int().nonnegative(),
  /** Epoch ms of the last trade and of the exchange's stamp on this tick; 0 when unknown. */
  lastTradeTime: z.number().int().nonnegative(),
  exchangeTime: z.number().int().nonnegative(),
  /** When the engine received it, epoch ms (for tick-to-screen latency). */
  receivedAt: z.number().int().nonnegative(),
});
export type Quote = z.infer<typeof QuoteSchema>;

/** The 5-level book of one instrument. */
export const DepthSchema = z.object({
  instrumentToken: z.number().int(),
  bids: z.array(DepthLevelSchema),
  asks: z.array(DepthLevelSchema),
  exchangeTime: z.number().int().nonnegative(),
  receivedAt: z.number().int().nonnegative(),
});
export type Depth = z.infer<typeof DepthSchema>;

/** Bar intervals: 1 s to a day; intraday bars are aligned to 09:15 IST as Kite's candles are. */
export const BarIntervalSchema = z.enum(['1s', '1m', '3m', '5m', '15m', '30m', '1h', '1d']);
export type BarInterval = z.infer<typeof BarIntervalSchema>;

/** A candle: its start (epoch ms; a day bar starts at 00:00 IST), integer prices, volume, OI. */
export const CandleSchema = z.object({
  time: z.number().int(),
  open: z.number().int(),
  high: z.number().int(),
  low: z.number().int(),
  close: z.number().int(),
  volume: z.number().int().nonnegative(),
  oi: z.number().int().nonnegative(),
});
export type Candle = z.infer<typeof CandleSchema>;

/** A live bar update: the forming bar (`closed: false`) or one that just closed. */
export const BarUpdateSchema = CandleSchema.extend({
  instrumentToken: z.number().int(),
  interval: BarIntervalSchema,
  closed: z.boolean(),
});
export type BarUpdate = z.infer<typeof BarUpdateSchema>;

/** Instrument search: a query as typed (symbol, name, "nifty dec 24000 ce"), with optional filters. */
export const SearchParamsSchema = z
  .object({
    query: z.string().max(64),
    exchange: z.string().max(8).optional(),
    instrumentType: z.enum(['EQ', 'FUT', 'CE', 'PE', 'INDEX']).optional(),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .strict();

const tokensParams = z.object({ instrumentTokens: z.array(token).min(1).max(500) }).strict();

/** The `market` service. */
export const marketService = defineService(
  'market',
  {
    /** Instruments matching a query, best first (exact symbol, then equities, near expiries). */
    search: {
      params: SearchParamsSchema,
      result: z.object({ instruments: z.array(InstrumentInfoSchema) }),
    },
    /** Instruments by token (unknown tokens are left out). */
    instruments: { params: tokensParams, result: z.object({ instruments: z.array(InstrumentInfoSchema) }) },
    /** Instruments by `EXCHANGE:TRADINGSYMBOL` (unknown keys are left out). */
    lookup: {
      params: z.object({ keys: z.array(z.string().max(64)).min(1).max(500) }).strict(),
      result: z.object({ instruments: z.array(InstrumentInfoSchema) }),
    },
    /**
     * Keeps instruments in the feed in at least `mode` for this connection until `unsubscribe` or
     * until the connection closes (streams subscribe what they show by themselves).
     */
    subscribe: {
      params: tokensParams.extend({ mode: FeedModeSchema }).strict(),
      result: z.object({ subscribed: z.array(z.number().int()) }),
    },
    unsubscribe: { params: tokensParams, result: z.object({ unsubscribed: z.array(z.number().int()) }) },
    /** The latest quotes the engine holds (none for an instrument that has not ticked yet). */
    quotes: { params: tokensParams, result: z.object({ quotes: z.array(QuoteSchema) }) },
    /**
     * The day's traded volume at each price (wire units, price order) as the engine counted it from
     * every tick since `since` (epoch ms; 0: nothing counted yet), up to its last tick, received at
     * `updatedAt` with day volume `dayVolume` (-1: none yet). The engine counts an instrument while
     * it is in the feed; what traded before it was subscribed is not in it. The ladder starts from
     * this and adds its quotes received after `updatedAt`.
     */
    volumeProfile: {
      params: z.object({ instrumentToken: token }).strict(),
      result: z.object({
        instrumentToken: z.number().int(),
        since: z.number().int().nonnegative(),
        dayVolume: z.number().int().min(-1),
        updatedAt: z.number().int().nonnegative(),
        levels: z.array(z.tuple([z.number().int(), z.number().int().positive()])).max(100_000),
      }),
    },
    /**
     * Candles of `[from, to]` (epoch ms): the broker's history (cached, paced to its limits), joined
     * with the live bars of today without a gap.
     */
    history: {
      params: z
        .object({
          instrumentToken: token,
          interval: BarIntervalSchema,
          from: z.number().int().nonnegative(),
          to: z.number().int().nonnegative(),
        })
        .strict()
        .refine((p) => p.to >= p.from, { message: '`to` must not be before `from`' }),
      result: z.object({ candles: z.array(CandleSchema) }),
      timeoutMs: 60_000,
    },
  },
  {
    /** Quotes of the instruments, conflated to the latest per instrument every 50 ms. */
    onQuotes: {
      params: tokensParams,
      event: QuoteSchema,
      conflate: { intervalMs: 50, key: (q: Quote) => String(q.instrumentToken) },
    },
    /** The 5-level book of one instrument, conflated every 50 ms. */
    onDepth: {
      params: z.object({ instrumentToken: token }).strict(),
      event: DepthSchema,
      conflate: { intervalMs: 50, key: (d: Depth) => String(d.instrumentToken) },
    },
    /** Live bars of one instrument and interval: the forming bar, and each bar as it closes. */
    onBars: {
      params: z.object({ instrumentToken: token, interval: BarIntervalSchema }).strict(),
      event: BarUpdateSchema,
      conflate: { intervalMs: 50, key: (b: BarUpdate) => `${b.time}:${b.closed ? 'c' : 'f'}` },
    },
  },
);
