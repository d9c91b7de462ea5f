import { z } from 'zod';
import { defineService } from '../rpc/service';
import { ProductSchema, SideSchema } from './orders';

// The `algos` service: orders the engine works for the trader as a parent with child orders (a
// bracket, an iceberg). Every child is an ordinary order of the `orders` service (journaled, checked
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

export const AlgoSpecSchema = z.discriminatedUnion('kind', [BracketSpecSchema, IcebergSpecSchema]);
export type AlgoSpec = z.infer<typeof AlgoSpecSchema>;
export type AlgoSpecInput = z.input<typeof AlgoSpecSchema>;
export type AlgoKind = AlgoSpec['kind'];

/** WORKING until it ends: COMPLETED (done as asked), CANCELLED (by the user, or a child cancelled outside it), FAILED (a child rejected, an overfill). */
export const AlgoStatusSchema = z.enum(['WORKING', 'COMPLETED', 'CANCELLED', 'FAILED']);
export type AlgoStatus = z.infer<typeof AlgoStatusSchema>;

/** An algorithm as the engine works it. */
export const AlgoViewSchema = z.object({
  algoId: z.string(),
  kind: z.enum(['bracket', 'iceberg']),
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
    /** An iceberg's limit (its working leg is modified), a bracket's entry limit while it works. */
    price: price.optional(),
    /** An iceberg's total (at least what is filled and working). */
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

/** The `algos` service. */
export const algosService = defineService(
  'algos',
  {
    /** Validates, records the algorithm, then places its first child (refused: nothing is left working). */
    start: { params: AlgoSpecSchema, result: z.object({ algo: AlgoViewSchema }), timeoutMs: 15_000 },
    modify: { params: ModifyAlgoSchema, result: z.object({ algo: AlgoViewSchema }), timeoutMs: 15_000 },
    /** Cancels its working children and ends it; a bracket's position is left as it is (exit it with `orders.exit`). */
    cancel: { params: byId, result: z.object({ algo: AlgoViewSchema }), timeoutMs: 15_000 },
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
