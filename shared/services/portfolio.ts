import { z } from 'zod';
import { defineService } from '../rpc/service';
import { OrderTypeSchema, ProductSchema, SideSchema, VarietySchema } from './orders';

// The `portfolio` service: positions, holdings, P&L and margins. Money is integer paise; prices are
// wire units (price x `priceDivisor`); quantities are units. Positions are built by the engine from
// its fills (and the broker's positions at reconciliation, for what was carried overnight).

/** One position: an instrument in one product. */
export const PositionViewSchema = z.object({
  instrumentToken: z.number().int(),
  exchange: z.string(),
  tradingsymbol: z.string(),
  priceDivisor: z.number().int().positive(),
  product: ProductSchema,
  /** Net quantity (long > 0): overnight plus today. */
  quantity: z.number().int(),
  /** Average price of the open quantity, wire units, rounded; 0 when flat. */
  averagePrice: z.number().int().nonnegative(),
  /** Quantity carried from the previous day (signed), and its price. */
  overnightQuantity: z.number().int(),
  dayBuyQuantity: z.number().int().nonnegative(),
  daySellQuantity: z.number().int().nonnegative(),
  /** Paise. */
  dayBuyValue: z.number().int().nonnegative(),
  daySellValue: z.number().int().nonnegative(),
  lastPrice: z.number().int().nonnegative(),
  realized: z.number().int(),
  unrealized: z.number().int(),
  /** Zerodha's charges on today's fills in this position (brokerage, STT, exchange, SEBI, stamp, GST). */
  charges: z.number().int().nonnegative(),
  /** realized + unrealized - charges. */
  net: z.number().int(),
});
export type PositionView = z.infer<typeof PositionViewSchema>;

/** The day's P&L across positions, paise. */
export const PnlViewSchema = z.object({
  realized: z.number().int(),
  unrealized: z.number().int(),
  charges: z.number().int().nonnegative(),
  net: z.number().int(),
  at: z.number().int(),
});
export type PnlView = z.infer<typeof PnlViewSchema>;

/** The broker's funds for one segment, paise. */
export const SegmentMarginsViewSchema = z.object({
  net: z.number().int(),
  availableCash: z.number().int(),
  utilised: z.number().int(),
});

export const MarginsViewSchema = z.object({
  equity: SegmentMarginsViewSchema.nullable(),
  commodity: SegmentMarginsViewSchema.nullable(),
  at: z.number().int(),
});
export type MarginsView = z.infer<typeof MarginsViewSchema>;

export const HoldingViewSchema = z.object({
  instrumentToken: z.number().int(),
  exchange: z.string(),
  tradingsymbol: z.string(),
  priceDivisor: z.number().int().positive(),
  quantity: z.number().int(),
  averagePrice: z.number().int().nonnegative(),
  lastPrice: z.number().int().nonnegative(),
  pnl: z.number().int(),
});
export type HoldingView = z.infer<typeof HoldingViewSchema>;

/** An order to price before sending it (nothing is placed). Prices are wire units. */
export const OrderMarginRequestSchema = z
  .object({
    instrumentToken: z.number().int().positive().max(0xffff_ffff),
    side: SideSchema,
    quantity: z.number().int().positive().max(10_000_000),
    orderType: OrderTypeSchema,
    product: ProductSchema,
    variety: VarietySchema.default('regular'),
    /** LIMIT and SL; a MARKET or SL-M order is priced at the last price. */
    price: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    triggerPrice: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();
export type OrderMarginRequest = z.input<typeof OrderMarginRequestSchema>;

/** Zerodha's charges of one executed order, paise, in the contract note's breakdown. */
export const ChargesViewSchema = z.object({
  brokerage: z.number().int().nonnegative(),
  /** STT (or CTT on commodities). */
  transactionTax: z.number().int().nonnegative(),
  transactionTaxType: z.enum(['stt', 'ctt']),
  exchangeTurnoverCharge: z.number().int().nonnegative(),
  sebiTurnoverCharge: z.number().int().nonnegative(),
  stampDuty: z.number().int().nonnegative(),
  gst: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type ChargesView = z.infer<typeof ChargesViewSchema>;

/**
 * What an order would need before it is sent: the margin it blocks (the broker's calculator: Kite's
 * `POST /margins/orders`; the paper broker blocks the full value), the charges if it executes in full
 * (Zerodha's schedule, computed by the engine), what the segment has available now, and the day's
 * circuit limits (wire units; null when not known).
 */
export const OrderMarginViewSchema = z.object({
  /** Paise. */
  required: z.number().int().nonnegative(),
  charges: ChargesViewSchema,
  /** The segment's available margin (`net`), paise; null when the broker did not say. */
  available: z.number().int().nullable(),
  segment: z.enum(['equity', 'commodity']),
  /** The price it was valued at, wire units. */
  price: z.number().int().nonnegative(),
  lowerCircuit: z.number().int().nonnegative().nullable(),
  upperCircuit: z.number().int().nonnegative().nullable(),
  at: z.number().int(),
});
export type OrderMarginView = z.infer<typeof OrderMarginViewSchema>;

/** The `portfolio` service. */
export const portfolioService = defineService(
  'portfolio',
  {
    positions: { params: z.undefined(), result: z.object({ positions: z.array(PositionViewSchema) }) },
    pnl: { params: z.undefined(), result: PnlViewSchema },
    /** The broker's funds now (asked of the broker; the paper broker answers with its own book). */
    margins: { params: z.undefined(), result: MarginsViewSchema, timeoutMs: 15_000 },
    /**
     * The margin and charges an order would need, and the margin available (asks the broker; at most a
     * few calls a second from a ticket). Refuses an order the engine could not place (`REJECTED` with
     * the same `details.code` as `orders.place`).
     */
    orderMargin: { params: OrderMarginRequestSchema, result: OrderMarginViewSchema, timeoutMs: 15_000 },
    holdings: {
      params: z.undefined(),
      result: z.object({ holdings: z.array(HoldingViewSchema) }),
      timeoutMs: 15_000,
    },
  },
  {
    /** Positions as they change (fills, last prices), latest per instrument and product every 250 ms. Opens with all positions. */
    onPositions: {
      params: z.undefined(),
      event: PositionViewSchema,
      conflate: { intervalMs: 250, key: (p: PositionView) => `${p.instrumentToken}:${p.product}` },
    },
    /** The day's P&L, every 250 ms at most. */
    onPnl: {
      params: z.undefined(),
      event: PnlViewSchema,
      conflate: { intervalMs: 250, key: () => 'pnl' },
    },
  },
);
