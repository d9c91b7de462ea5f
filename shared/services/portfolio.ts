import { z } from 'zod';
import { defineService } from '../rpc/service';
import { ProductSchema } from './orders';

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

/** The `portfolio` service. */
export const portfolioService = defineService(
  'portfolio',
  {
    positions: { params: z.undefined(), result: z.object({ positions: z.array(PositionViewSchema) }) },
    pnl: { params: z.undefined(), result: PnlViewSchema },
    /** The broker's funds now (asked of the broker; the paper broker answers with its own book). */
    margins: { params: z.undefined(), result: MarginsViewSchema, timeoutMs: 15_000 },
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
