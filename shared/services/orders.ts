import { z } from 'zod';
import { defineService } from '../rpc/service';

// The `orders` service: place, modify, cancel, cancel all, exit a position; the order and trade
// streams; the state of the start-up reconciliation. Prices are integers in the instrument's wire
// unit (price x `priceDivisor`), quantities are units (not lots), money is integer paise, times are
// epoch ms. Every order is journaled in the engine's SQLite database before anything is sent.

const token = z.number().int().positive().max(0xffff_ffff);
/** A wire-unit price: a whole number > 0 (`price x divisor`), checked against the tick size by the engine. */
const price = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const quantity = z.number().int().positive().max(10_000_000);

export const SideSchema = z.enum(['BUY', 'SELL']);
export type Side = z.infer<typeof SideSchema>;
export const OrderTypeSchema = z.enum(['MARKET', 'LIMIT', 'SL', 'SL-M']);
export type OrderType = z.infer<typeof OrderTypeSchema>;
export const ProductSchema = z.enum(['CNC', 'NRML', 'MIS', 'MTF']);
export type Product = z.infer<typeof ProductSchema>;
export const VarietySchema = z.enum(['regular', 'amo']);
export type Variety = z.infer<typeof VarietySchema>;
export const ValiditySchema = z.enum(['DAY', 'IOC', 'TTL']);
export type Validity = z.infer<typeof ValiditySchema>;

/** Our order states (the engine's lifecycle table, electron/engine/oms/orderLifecycle.ts). */
export const OrderStateSchema = z.enum([
  'PENDING_NEW',
  'SENT',
  'UNKNOWN',
  'ACCEPTED',
  'OPEN',
  'TRIGGER_PENDING',
  'AMO_QUEUED',
  'MODIFY_PENDING',
  'CANCEL_PENDING',
  'COMPLETE',
  'CANCELLED',
  'REJECTED',
]);
export type OrderStateName = z.infer<typeof OrderStateSchema>;

/** A new order. */
export const PlaceOrderSchema = z
  .object({
    instrumentToken: token,
    side: SideSchema,
    /** Units (a multiple of the lot size), at most the exchange's freeze quantity. */
    quantity,
    orderType: OrderTypeSchema,
    product: ProductSchema,
    variety: VarietySchema.default('regular'),
    validity: ValiditySchema.default('DAY'),
    /** Minutes, with validity TTL. */
    validityTtl: z.number().int().min(1).max(375).optional(),
    /** LIMIT and SL: a multiple of the tick size. */
    price: price.optional(),
    /** SL and SL-M. */
    triggerPrice: price.optional(),
    disclosedQuantity: z.number().int().nonnegative().optional(),
    /** MARKET and SL-M: a percentage in (0, 100], or -1 for the broker's automatic value (the default). */
    marketProtection: z.number().min(-1).max(100).optional(),
    /** The strategy placing it; absent for a manual order. */
    strategyId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/)
      .optional(),
  })
  .strict();
export type PlaceOrder = z.input<typeof PlaceOrderSchema>;

/** A change to a working order: only the fields given change. */
export const ModifyOrderSchema = z
  .object({
    clientOrderId: z.string().min(1).max(20),
    quantity: quantity.optional(),
    price: price.optional(),
    triggerPrice: price.optional(),
    orderType: OrderTypeSchema.optional(),
  })
  .strict();
export type ModifyOrder = z.input<typeof ModifyOrderSchema>;

/** Where an order came from. `external`: placed outside ShrivenQ (Kite web, another app), found at reconciliation. */
export const OrderSourceSchema = z.enum(['manual', 'strategy', 'external']);

/** An order as the engine knows it. */
export const OrderViewSchema = z.object({
  /** Our client order id, sent as Kite's `tag` (for an external order: `x` + the broker's order id). */
  clientOrderId: z.string(),
  brokerOrderId: z.string().nullable(),
  source: OrderSourceSchema,
  strategyId: z.string().nullable(),
  instrumentToken: z.number().int(),
  exchange: z.string(),
  tradingsymbol: z.string(),
  priceDivisor: z.number().int().positive(),
  side: SideSchema,
  orderType: OrderTypeSchema,
  product: ProductSchema,
  variety: z.string(),
  validity: z.string(),
  quantity: z.number().int().positive(),
  /** Wire units; 0 when the order has none. */
  price: z.number().int().nonnegative(),
  triggerPrice: z.number().int().nonnegative(),
  filledQuantity: z.number().int().nonnegative(),
  /** Average fill price in wire units, rounded; 0 before a fill. */
  averagePrice: z.number().int().nonnegative(),
  state: OrderStateSchema,
  /** Why it was rejected, or why the last modify or cancel was refused; '' when none. */
  reason: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  /** The algorithm (`algos` service: a bracket, an iceberg) this order is a child of; null for an order of its own. */
  parentId: z.string().nullable(),
});
export type OrderView = z.infer<typeof OrderViewSchema>;

/** One fill. */
export const TradeViewSchema = z.object({
  tradeId: z.string(),
  clientOrderId: z.string(),
  brokerOrderId: z.string(),
  instrumentToken: z.number().int(),
  exchange: z.string(),
  tradingsymbol: z.string(),
  priceDivisor: z.number().int().positive(),
  side: SideSchema,
  product: ProductSchema,
  quantity: z.number().int().positive(),
  price: z.number().int().positive(),
  /** Exchange time of the fill, epoch ms. */
  time: z.number().int(),
});
export type TradeView = z.infer<typeof TradeViewSchema>;

/**
 * Why the engine refused an order: the `details.code` of a `REJECTED` error. Nothing was journaled or
 * sent. The risk codes are risk/preTrade.ts's; the rest are checks of the order itself or of the engine.
 */
export const ORDER_REFUSAL_CODES = [
  // The order itself.
  'UNKNOWN_INSTRUMENT',
  'NOT_TRADABLE',
  'TICK_SIZE',
  'LOT_SIZE',
  'FREEZE_QUANTITY',
  'PRICE_BAND',
  'BAD_COMBINATION',
  'UNKNOWN_ORDER',
  'NOT_MODIFIABLE',
  // The engine.
  'NO_SESSION',
  'RECONCILING',
  'UNEXPLAINED',
  'JOURNAL',
  'MARGIN',
  /** An exit found orders on the position still working (or of unknown outcome) after cancelling them. */
  'ORDERS_WORKING',
  // Pre-trade risk.
  'HALTED',
  'REDUCING_ONLY',
  'INVALID_ORDER',
  'NO_LAST_PRICE',
  'FAT_FINGER',
  'MAX_QUANTITY',
  'MAX_VALUE',
  'MAX_POSITION',
  'MAX_OPEN_ORDERS',
  'STRATEGY_MAX_QUANTITY',
  'STRATEGY_MAX_VALUE',
  'STRATEGY_MAX_POSITION',
  'STRATEGY_MAX_OPEN_ORDERS',
  'DUPLICATE_ORDER',
  'ORDER_RATE',
] as const;
export type OrderRefusalCode = (typeof ORDER_REFUSAL_CODES)[number];

/** The `details` of a refused order request. `suggestion` says what would pass (say, slices under the freeze quantity). */
export const OrderRefusalSchema = z.object({
  code: z.enum(ORDER_REFUSAL_CODES),
  suggestion: z.string().optional(),
});
export type OrderRefusal = z.infer<typeof OrderRefusalSchema>;

/** Something reconciliation found that it cannot explain; new orders are refused until the user accepts it. */
export const ReconciliationIssueSchema = z.object({
  id: z.string(),
  kind: z.enum(['missing-order', 'position-mismatch', 'unresolved-unknown', 'fill-mismatch']),
  message: z.string(),
  clientOrderId: z.string().nullable(),
  instrumentToken: z.number().int().nullable(),
});
export type ReconciliationIssue = z.infer<typeof ReconciliationIssueSchema>;

/** The journal's agreement with the broker. New orders are accepted only in `ok`. */
export const ReconciliationStateSchema = z.object({
  state: z.enum(['offline', 'reconciling', 'ok', 'blocked']),
  /** When the last reconciliation finished, epoch ms (0: never). */
  at: z.number().int().nonnegative(),
  /** What the last one did, in words ("3 orders updated, 1 external order imported"). */
  summary: z.string(),
  issues: z.array(ReconciliationIssueSchema),
});
export type ReconciliationState = z.infer<typeof ReconciliationStateSchema>;

const byClientId = z.object({ clientOrderId: z.string().min(1).max(20) }).strict();

/** The `orders` service. */
export const ordersService = defineService(
  'orders',
  {
    /** Validates, checks risk, journals, then sends. Resolves once journaled and handed to the broker. */
    place: { params: PlaceOrderSchema, result: z.object({ order: OrderViewSchema }), timeoutMs: 15_000 },
    modify: { params: ModifyOrderSchema, result: z.object({ order: OrderViewSchema }), timeoutMs: 15_000 },
    cancel: { params: byClientId, result: z.object({ order: OrderViewSchema }), timeoutMs: 15_000 },
    /** Cancels every working order (of one instrument or strategy when given). */
    cancelAll: {
      params: z
        .object({ instrumentToken: token.optional(), strategyId: z.string().max(32).optional() })
        .strict()
        .default({}),
      result: z.object({ cancelled: z.array(z.string()) }),
      timeoutMs: 15_000,
    },
    /**
     * Closes the net position of one instrument and product with market orders (working orders on it
     * are cancelled first): one order, or above the freeze quantity one per slice of at most it.
     * `orders` is empty when the position was flat.
     */
    exit: {
      params: z.object({ instrumentToken: token, product: ProductSchema }).strict(),
      result: z.object({ orders: z.array(OrderViewSchema) }),
      timeoutMs: 15_000,
    },
    /** Today's orders (and any older order still working), newest first. */
    list: { params: z.undefined(), result: z.object({ orders: z.array(OrderViewSchema) }) },
    trades: { params: z.undefined(), result: z.object({ trades: z.array(TradeViewSchema) }) },
    reconciliation: { params: z.undefined(), result: ReconciliationStateSchema },
    /** The user has looked at an issue and accepts the broker's view: the block it caused is lifted. */
    acceptIssue: {
      params: z.object({ id: z.string().min(1).max(64) }).strict(),
      result: ReconciliationStateSchema,
    },
  },
  {
    /** Every order as it changes (the latest state per order, 50 ms at most). Opens with the current list. */
    onOrders: {
      params: z.undefined(),
      event: OrderViewSchema,
      conflate: { intervalMs: 50, key: (o: OrderView) => o.clientOrderId },
    },
    /** Every fill, once. Opens with today's fills. */
    onTrades: {
      params: z.undefined(),
      event: TradeViewSchema,
      conflate: { intervalMs: 50, key: (t: TradeView) => t.tradeId },
    },
    onReconciliation: { params: z.undefined(), event: ReconciliationStateSchema },
  },
);
