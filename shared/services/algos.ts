import { z } from 'zod';
import { defineService } from '../rpc/service';
import { OrderViewSchema, ProductSchema, SideSchema } from './orders';

// The `algos` service: orders the engine works for the trader as a parent with child orders (a
// bracket, an iceberg, a TWAP, a VWAP). Every child is an ordinary order of the `orders` service (journaled, checked
// by risk, in the order stream) whose `parentId` is the algorithm's id. Prices are integers in the
// instrument's wire unit (price x `priceDivisor`), quantities are units, times epoch ms.

const token = z.number().int().positive().max(0xffff_ffff);
const price = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const quantity = z.number().int().positive().max(10_000_000);
const ticks = z.number().int().positive().max(100_000);

/** An exit level of a bracket: an absolute price, or ticks away from the entry's average fill. */
export const BracketLevelSchema = z.union([z.object({ price }).strict(), z.object({ ticks }).strict()]);
export type BracketLevel = z.infer<typeof BracketLevelSchema>;

/**
 * A bracket: an entry and, as it fills, a target (LIMIT) and a stop (SL-M; SL for options, which
 * exchanges do not take SL-M for) on the filled quantity that cancel each other: a fill of one
 * reduces the other by as much, in the same turn as the fill is learnt of.
 */
export const BracketSpecSchema = z
  .object({
    kind: z.literal('bracket'),
    instrumentToken: token,
    side: SideSchema,
    quantity,
    product: ProductSchema,
    entry: z
      .object({
        orderType: z.enum(['LIMIT', 'MARKET', 'SL', 'SL-M']),
        price: price.optional(),
        triggerPrice: price.optional(),
      })
      .strict(),
    /** Where the position is closed at a profit: above the entry for a buy, below for a sell. */
    target: BracketLevelSchema,
    /** The stop's trigger: below the entry for a buy, above for a sell. */
    stop: BracketLevelSchema,
    /** The stop follows the best price since the entry at this distance (never away from it). */
    trail: z
      .union([z.object({ ticks }).strict(), z.object({ percent: z.number().positive().max(50) }).strict()])
      .optional(),
    /** The stop moves to the entry's average price once the price is this many ticks in profit. */
    breakEvenTicks: ticks.optional(),
  })
  .strict();
export type BracketSpec = z.infer<typeof BracketSpecSchema>;

/**
 * An iceberg: a limit order shown a leg at a time; the next leg goes in when the last one has
 * filled. Legs are whole lots, at most the exchange's freeze quantity.
 */
export const IcebergSpecSchema = z
  .object({
    kind: z.literal('iceberg'),
    instrumentToken: token,
    side: SideSchema,
    quantity,
    product: ProductSchema,
    /** The limit price of every leg. */
    price,
    /** Units per leg (a multiple of the lot size); or `legs`, the number of legs. Exactly one. */
    legQuantity: quantity.optional(),
    legs: z.number().int().min(2).max(50).optional(),
    /** Each leg's size varies at random by up to a fifth (whole lots), so the legs do not look alike. */
    randomise: z.boolean().default(false),
  })
  .strict();
export type IcebergSpec = z.infer<typeof IcebergSpecSchema>;

/** The window and limits a TWAP and a VWAP share. */
const scheduled = {
  instrumentToken: token,
  side: SideSchema,
  quantity,
  product: ProductSchema,
  /** When the window opens, epoch ms (default: now); at most a day ahead. */
  startAt: z.number().int().positive().optional(),
  /** The window's length: 10 s to a session (6 h 15 min). */
  durationSeconds: z.number().int().min(10).max(22_500),
  /** Limit-or-better: a buy's child never pays above it, a sell's never gets below it. None: at the touch. */
  limitPrice: price.optional(),
  /** The most of the market's traded volume since the start its fills and working orders may be, in (0, 1]. None: no cap. */
  participation: z.number().positive().max(1).optional(),
};

/**
 * A TWAP: the window cut into `slices` equal intervals, one slice per interval sent at a jittered
 * moment in it. A slice goes in at the near touch (a buy at the bid) and is moved to the far touch
 * when it has not filled after a while; a shortfall (the cap, the limit) is caught up by the next
 * slices (`catchUp`). What is unfilled when the window ends is cancelled (status EXPIRED).
 */
export const TwapSpecSchema = z
  .object({
    kind: z.literal('twap'),
    ...scheduled,
    slices: z.number().int().min(2).max(500),
    /** How far into its interval a slice may move, as a fraction of it, 0 to 0.9. */
    jitter: z.number().min(0).max(0.9).default(0.3),
    /** Whether a later slice also sends what earlier ones could not (default); else only its own. */
    catchUp: z.boolean().default(true),
  })
  .strict();
export type TwapSpec = z.infer<typeof TwapSpecSchema>;

/**
 * A VWAP: the order spread along the instrument's intraday volume curve (its per-minute share of
 * the day's volume, averaged over `historyDays` past sessions of 1-minute history) restricted to the
 * window, with the TWAP's pricing, cap and end. Without history the curve is flat (its phase says).
 */
export const VwapSpecSchema = z
  .object({
    kind: z.literal('vwap'),
    ...scheduled,
    historyDays: z.number().int().min(1).max(20).default(10),
  })
  .strict();
export type VwapSpec = z.infer<typeof VwapSpecSchema>;

/** Above: the value is at or above the level; below: at or below. */
const direction = z.enum(['above', 'below']);
/** The bar intervals a condition is read on (closed bars). */
export const ConditionIntervalSchema = z.enum(['1m', '3m', '5m', '15m', '30m', '1h']);

/** When a conditional order fires. */
export const ConditionSchema = z.discriminatedUnion('on', [
  /** The last traded price reaches `price` (from the other side: not met when it starts). */
  z.object({ on: z.literal('price'), direction, price }).strict(),
  /**
   * The last traded price leaves a range: at or below `below` (a stop, for a long position's exit)
   * or at or above `above` (a target). Inside it when it starts. Taken with `then.type 'oco'`: the
   * order of the side it left by, and never the other (as a GTT: Kite's two-leg, OCO).
   */
  z.object({ on: z.literal('range'), below: price, above: price }).strict(),
  /** At a moment (epoch ms, in the future, within a week). */
  z.object({ on: z.literal('time'), at: z.number().int().positive() }).strict(),
  /** A bar of `interval` closes at or beyond `price`. */
  z.object({ on: z.literal('barClose'), interval: ConditionIntervalSchema, direction, price }).strict(),
  /**
   * An indicator of the closes of `interval` bars crosses `value` at a bar's close (from the other
   * side: a value already beyond it waits for it to come back and cross). SMA and EMA values are
   * in wire units; RSI's 0 to 100.
   */
  z
    .object({
      on: z.literal('indicator'),
      indicator: z.enum(['sma', 'ema', 'rsi']),
      period: z.number().int().min(2).max(200),
      interval: ConditionIntervalSchema,
      direction,
      value: z.number().positive().max(Number.MAX_SAFE_INTEGER),
    })
    .strict(),
]);
export type Condition = z.infer<typeof ConditionSchema>;

/**
 * A conditional order: when `condition` is met, it places an order or starts a bracket (as the
 * `then` says), worked as this algorithm's children. It waits in the engine, so only while the app
 * runs; `gtt: true` sends a price condition with a LIMIT order (or a range with LIMIT legs) to the
 * broker as a Kite GTT instead (single, or two-leg), which lives on while the app is closed. Unmet by `expiresAt` (default: the session's close), it
 * ends EXPIRED.
 */
export const ConditionalSpecSchema = z
  .object({
    kind: z.literal('conditional'),
    instrumentToken: token,
    side: SideSchema,
    quantity,
    product: ProductSchema,
    condition: ConditionSchema,
    then: z.discriminatedUnion('type', [
      z
        .object({
          type: z.literal('order'),
          orderType: z.enum(['LIMIT', 'MARKET', 'SL', 'SL-M']),
          price: price.optional(),
          triggerPrice: price.optional(),
        })
        .strict(),
      /** One order for each way out of a `range`: LIMIT at `belowPrice` or `abovePrice`, or MARKET. */
      z
        .object({
          type: z.literal('oco'),
          orderType: z.enum(['LIMIT', 'MARKET']),
          belowPrice: price.optional(),
          abovePrice: price.optional(),
        })
        .strict(),
      z
        .object({
          type: z.literal('bracket'),
          entry: BracketSpecSchema.shape.entry,
          target: BracketLevelSchema,
          stop: BracketLevelSchema,
          trail: BracketSpecSchema.shape.trail,
          breakEvenTicks: BracketSpecSchema.shape.breakEvenTicks,
        })
        .strict(),
    ]),
    expiresAt: z.number().int().positive().optional(),
    gtt: z.boolean().default(false),
  })
  .strict();
export type ConditionalSpec = z.infer<typeof ConditionalSpecSchema>;

export const AlgoSpecSchema = z.discriminatedUnion('kind', [
  BracketSpecSchema,
  IcebergSpecSchema,
  TwapSpecSchema,
  VwapSpecSchema,
  ConditionalSpecSchema,
]);
export type AlgoSpec = z.infer<typeof AlgoSpecSchema>;
export type AlgoSpecInput = z.input<typeof AlgoSpecSchema>;
export type AlgoKind = AlgoSpec['kind'];

/**
 * WORKING until it ends: COMPLETED (done as asked), CANCELLED (by the user, or a child cancelled
 * outside it), FAILED (a child rejected, an overfill), EXPIRED (a TWAP's or VWAP's window ended
 * before all of it filled: the rest was cancelled).
 */
export const AlgoStatusSchema = z.enum(['WORKING', 'COMPLETED', 'CANCELLED', 'FAILED', 'EXPIRED']);
export type AlgoStatus = z.infer<typeof AlgoStatusSchema>;

/** An algorithm as the engine works it. */
/**
 * How a TWAP or VWAP is doing against its benchmarks. Prices in wire units (floats where an average
 * is rarely whole); slippage in basis points of the benchmark, positive is worse for the trader (a
 * buy that paid more). Null where not known yet (no fill, no trade in the market since the start).
 */
export const AlgoBenchmarkSchema = z.object({
  /** The last price when the window opened (the mid when there was no trade). */
  arrivalPrice: z.number().int().nonnegative(),
  /** The market's volume-weighted price since the window opened, from its ticks; its volume. */
  intervalVwap: z.number().nonnegative().nullable(),
  marketVolume: z.number().int().nonnegative(),
  slippageArrivalBps: z.number().nullable(),
  slippageVwapBps: z.number().nullable(),
  /** The quantity the schedule wants done by now (what it is ahead or behind of). */
  scheduledQuantity: z.number().int().nonnegative(),
  startAt: z.number().int(),
  endAt: z.number().int(),
});
export type AlgoBenchmark = z.infer<typeof AlgoBenchmarkSchema>;

export const AlgoViewSchema = z.object({
  algoId: z.string(),
  kind: z.enum(['bracket', 'iceberg', 'twap', 'vwap', 'conditional']),
  status: AlgoStatusSchema,
  /** Where it is, in words: "entry working", "exits working (target 1,520.00, stop 1,490.00)", "leg 3 of 10". */
  phase: z.string(),
  /** Why it ended or what needs the trader's eye; '' when nothing. */
  reason: z.string(),
  instrumentToken: z.number().int(),
  exchange: z.string(),
  tradingsymbol: z.string(),
  priceDivisor: z.number().int().positive(),
  side: SideSchema,
  product: ProductSchema,
  quantity: z.number().int().positive(),
  /** Filled toward `quantity` (a bracket: its entry). */
  filledQuantity: z.number().int().nonnegative(),
  /** Average price of those fills, wire units, rounded; 0 before a fill. */
  averagePrice: z.number().int().nonnegative(),
  /** A bracket: the target's price and the stop's trigger now (after trailing), 0 before they are known; and how much its exits have closed. */
  targetPrice: z.number().int().nonnegative(),
  stopPrice: z.number().int().nonnegative(),
  exitedQuantity: z.number().int().nonnegative(),
  /** Client order ids of its children, oldest first. */
  children: z.array(z.string()),
  /** A TWAP's or VWAP's benchmarks; null for a bracket or an iceberg. */
  benchmark: AlgoBenchmarkSchema.nullable(),
  spec: AlgoSpecSchema,
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type AlgoView = z.infer<typeof AlgoViewSchema>;

/** A change to a working algorithm: only the fields given change. */
export const ModifyAlgoSchema = z
  .object({
    algoId: z.string().min(1).max(32),
    /** A bracket's target price / stop trigger (its exits are modified to match). */
    targetPrice: price.optional(),
    stopPrice: price.optional(),
    /** An iceberg's limit (its working leg is modified), a bracket's entry limit while it works, a TWAP's or VWAP's limit. */
    price: price.optional(),
    /** An iceberg's, TWAP's or VWAP's total (at least what is filled and working). */
    quantity: quantity.optional(),
  })
  .strict();
export type ModifyAlgo = z.infer<typeof ModifyAlgoSchema>;

/**
 * Why the engine refused an algorithm request (`REJECTED`, `details.code`); nothing changed. A start
 * can also be refused with an order refusal code (shared/services/orders.ts) of its first child.
 */
export const ALGO_REFUSAL_CODES = [
  /** The parameters do not make a working algorithm (a stop above a buy's target, a leg above the freeze quantity, ...). */
  'INVALID_ALGO',
  'UNKNOWN_ALGO',
  /** It has ended (or is ending): nothing to change. */
  'ALGO_ENDED',
  /** The change is not one this kind of algorithm takes now (say, a bracket's quantity). */
  'NOT_MODIFIABLE',
] as const;
export type AlgoRefusalCode = (typeof ALGO_REFUSAL_CODES)[number];

const byId = z.object({ algoId: z.string().min(1).max(32) }).strict();

/**
 * An equity order to route between NSE and BSE (either listing's token). A limit order is never
 * filled beyond `price`; a market order walks the chosen book.
 */
export const RouteRequestSchema = z
  .object({
    instrumentToken: token,
    side: SideSchema,
    quantity,
    product: ProductSchema,
    orderType: z.enum(['LIMIT', 'MARKET']),
    price: price.optional(),
  })
  .strict();
export type RouteRequest = z.infer<typeof RouteRequestSchema>;

/** One order of a route: on one exchange. Prices in that listing's wire units. */
export const RouteLegSchema = z.object({
  exchange: z.enum(['NSE', 'BSE']),
  instrumentToken: z.number().int(),
  tradingsymbol: z.string(),
  quantity: z.number().int().positive(),
  /** Through the visible depth, for display (may be fractional). */
  expectedAveragePrice: z.number().nonnegative(),
  /** Paise with charges: what a buy pays (a sell's is negative: minus what it receives). Lower is better. */
  expectedCostPaise: z.number().int(),
  /** How much of `quantity` the visible depth shows; the rest rests at the limit or walks further. */
  fromVisibleDepth: z.number().int().nonnegative(),
});
export type RouteLeg = z.infer<typeof RouteLegSchema>;

/** Where an order goes and why, in a trader's words, with what was seen on each exchange. */
export const RouteDecisionSchema = z.object({
  legs: z.array(RouteLegSchema),
  reason: z.string(),
  venues: z.array(
    z.object({
      exchange: z.enum(['NSE', 'BSE']),
      usable: z.boolean(),
      whyNot: z.string().optional(),
      visibleQuantity: z.number().int().nonnegative(),
      costAllOnIt: z.number().int().optional(),
    }),
  ),
  /** It went where it did because the better choice could not be used (or is listed on one exchange only). */
  fallback: z.boolean(),
  /** The exchanges it is listed on, NSE first. */
  listedOn: z.array(z.enum(['NSE', 'BSE'])),
  decidedAt: z.number().int(),
});
export type RouteDecision = z.infer<typeof RouteDecisionSchema>;

/** The `algos` service. */
export const algosService = defineService(
  'algos',
  {
    /** Validates, records the algorithm, then places its first child (refused: nothing is left working). */
    start: { params: AlgoSpecSchema, result: z.object({ algo: AlgoViewSchema }), timeoutMs: 15_000 },
    modify: { params: ModifyAlgoSchema, result: z.object({ algo: AlgoViewSchema }), timeoutMs: 15_000 },
    /** Cancels its working children and ends it; a bracket's position is left as it is (exit it with `orders.exit`). */
    cancel: { params: byId, result: z.object({ algo: AlgoViewSchema }), timeoutMs: 15_000 },
    /** Where an order would go between NSE and BSE now, and why (nothing is placed). */
    route: {
      params: RouteRequestSchema,
      result: z.object({ decision: RouteDecisionSchema }),
      timeoutMs: 5_000,
    },
    /**
     * Routes the order on the books as they are now and places its legs, each an ordinary order
     * (validation, risk, the journal). A refusal of the first leg is thrown (nothing placed); a
     * refusal of a later one is in `refused`, the legs placed before it stand.
     */
    placeRouted: {
      params: RouteRequestSchema,
      result: z.object({
        decision: RouteDecisionSchema,
        orders: z.array(OrderViewSchema),
        refused: z.array(z.object({ exchange: z.string(), quantity: z.number().int(), message: z.string() })),
      }),
      timeoutMs: 15_000,
    },
    /** Today's algorithms and any older one still working, newest first. */
    list: { params: z.undefined(), result: z.object({ algos: z.array(AlgoViewSchema) }) },
  },
  {
    /** Every algorithm as it changes (latest per algorithm, 50 ms at most). Opens with the list. */
    onAlgos: {
      params: z.undefined(),
      event: AlgoViewSchema,
      conflate: { intervalMs: 50, key: (a: AlgoView) => a.algoId },
    },
  },
);
