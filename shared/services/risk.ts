import { z } from 'zod';
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
  },
  {
    onStatus: {
      params: z.undefined(),
      event: RiskStatusSchema,
      conflate: { intervalMs: 100, key: () => 's' },
    },
  },
);
