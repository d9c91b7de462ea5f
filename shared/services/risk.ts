import { z } from 'zod';
import { ProductSchema } from './orders';
import { defineService } from '../rpc/service';

// The `risk` service: the pre-trade limits (settings), the engine's trading state, the kill switch.
// Money is integer paise; quantities are units.

const limit = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** One instrument's own limits; the tighter of these and the global ones apply. */
export const InstrumentLimitsSchema = z
  .object({
    instrumentToken: z.number().int().positive(),
    maxQuantity: limit.optional(),
    maxValuePaise: limit.optional(),
    maxPosition: limit.optional(),
  })
  .strict();

/** Every limit. An absent limit is no limit; the defaults are a careful retail trader's. */
export const RiskLimitsSchema = z
  .object({
    /** Units per order. */
    maxOrderQuantity: limit.optional(),
    /** Paise per order (price x quantity). Default ₹10,00,000. */
    maxOrderValuePaise: limit.default(100_000_000),
    /** Largest absolute net position per instrument, in units, counting open orders on its side. */
    maxPosition: limit.optional(),
    /** Working orders across the account. Default 50. */
    maxOpenOrders: limit.default(50),
    /** A limit price further than this from the last price is refused, basis points. Default 500 (5%). */
    fatFingerBasisPoints: z.number().int().min(1).max(10_000).default(500),
    /**
     * A limit price within this many ticks of the last price is never a fat finger, so a cheap
     * option can be priced a few ticks through the market (5% of ₹1.25 is about one tick). Default 5.
     */
    fatFingerMinTicks: z.number().int().min(0).max(1_000).default(5),
    /** The same order (instrument, side, quantity, price) again within this many ms is refused. Default 1000; 0 = off. */
    duplicateWindowMs: z.number().int().min(0).max(60_000).default(1_000),
    /** The day's net P&L at or below minus this trips the kill switch. Default ₹25,000; 0 = off. */
    dailyLossLimitPaise: limit.default(2_500_000),
    /** Per-strategy defaults. */
    strategyMaxOrderQuantity: limit.optional(),
    strategyMaxOrderValuePaise: limit.optional(),
    strategyMaxPosition: limit.optional(),
    strategyMaxOpenOrders: limit.optional(),
    instruments: z.array(InstrumentLimitsSchema).max(500).default([]),
  })
  .strict();
export type RiskLimits = z.infer<typeof RiskLimitsSchema>;
export const RiskLimitsPatchSchema = RiskLimitsSchema.partial().strict();

/** The engine's trading state: ACTIVE, REDUCING (only orders that shrink a position), HALTED (none). */
export const RiskStateNameSchema = z.enum(['ACTIVE', 'REDUCING', 'HALTED']);

export const RiskStatusSchema = z.object({
  state: RiskStateNameSchema,
  /** Why (the kill switch, the daily loss limit, a circuit breaker), '' when ACTIVE. */
  reason: z.string(),
  since: z.number().int(),
  /** The day's net P&L, paise, and the limit it is held to (0: none). */
  dayNetPaise: z.number().int(),
  dailyLossLimitPaise: z.number().int().nonnegative(),
  openOrders: z.number().int().nonnegative(),
  /** Orders sent in the last second, minute and day, against 10, 400 and 5000. */
  ordersLastSecond: z.number().int().nonnegative(),
  ordersLastMinute: z.number().int().nonnegative(),
  ordersToday: z.number().int().nonnegative(),
});
export type RiskStatus = z.infer<typeof RiskStatusSchema>;

/**
 * A stop-loss the engine keeps on a position (not at the broker): when the last price reaches
 * `stopPrice` (at or below it for a long position, at or above for a short), the engine exits the
 * position with a market order (its working orders on it are cancelled first). One-shot; persisted.
 * Prices are wire units.
 */
export const PositionStopViewSchema = z.object({
  instrumentToken: z.number().int(),
  exchange: z.string(),
  tradingsymbol: z.string(),
  priceDivisor: z.number().int().positive(),
  product: ProductSchema,
  stopPrice: z.number().int().positive(),
  /** The position it protects, as it was when set; a stop is dropped when the position is closed or turns. */
  direction: z.enum(['long', 'short']),
  /**
   * `armed`: watching; `triggered`: the exit was sent (`exitClientOrderId`); `refused`: the price
   * reached it but the exit was refused (`message` says why: risk HALTED, no session), retried
   * every few seconds while the price stays beyond it; `removed`: cleared by the user, or dropped
   * because the position was closed or turned (`message` says which).
   */
  state: z.enum(['armed', 'triggered', 'refused', 'removed']),
  message: z.string(),
  exitClientOrderId: z.string().nullable(),
  setAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type PositionStopView = z.infer<typeof PositionStopViewSchema>;

const positionKey = {
  instrumentToken: z.number().int().positive().max(0xffff_ffff),
  product: ProductSchema,
};

/** The `risk` service. */
export const riskService = defineService(
  'risk',
  {
    limits: { params: z.undefined(), result: RiskLimitsSchema },
    /** Changes some limits (persisted); an invalid patch changes nothing. */
    setLimits: { params: RiskLimitsPatchSchema, result: RiskLimitsSchema },
    status: { params: z.undefined(), result: RiskStatusSchema },
    /** HALTED, then every working order cancelled. Resolves when the cancels are sent. */
    killSwitch: {
      params: z
        .object({ reason: z.string().max(200).default('kill switch') })
        .strict()
        .default({ reason: 'kill switch' }),
      result: z.object({ status: RiskStatusSchema, cancelled: z.array(z.string()) }),
      timeoutMs: 15_000,
    },
    /** Back to ACTIVE after a halt (refused while the daily loss limit is still breached). */
    reset: { params: z.undefined(), result: RiskStatusSchema },
    /** REDUCING: only orders that shrink a position. */
    reduceOnly: { params: z.undefined(), result: RiskStatusSchema },
    /**
     * Sets (or moves) the stop-loss on an open position. Refused (`REJECTED`, `details.code`) when
     * there is no position, the price is off the tick, or it is already reached by the last price.
     */
    setStopLoss: {
      params: z
        .object({ ...positionKey, stopPrice: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) })
        .strict(),
      result: PositionStopViewSchema,
    },
    /** Removes a position's stop-loss; `removed` false when it had none. */
    clearStopLoss: { params: z.object(positionKey).strict(), result: z.object({ removed: z.boolean() }) },
    /** The stop-losses of the session's account that are not removed. */
    stopLosses: { params: z.undefined(), result: z.object({ stops: z.array(PositionStopViewSchema) }) },
  },
  {
    onStatus: {
      params: z.undefined(),
      event: RiskStatusSchema,
      conflate: { intervalMs: 100, key: () => 's' },
    },
    /** Each stop-loss as it is set, moves, triggers or is removed. Opens with all of them. */
    onStopLoss: {
      params: z.undefined(),
      event: PositionStopViewSchema,
      conflate: { intervalMs: 100, key: (s: PositionStopView) => `${s.instrumentToken}:${s.product}` },
    },
  },
);
