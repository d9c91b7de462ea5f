// Kite position rows from an account's fills. Everything is summed in integer paise first and turned
// into rupees once, at the end. The simulator has no overnight book yet: every position is today's,
// so `net` and `day` carry the same rows and `overnight_quantity` is 0.
import type { KitePosition, KiteProduct } from '../kite';
import { averageRupees } from './convert';

/** An account's fills in one instrument and product, in paise (values = price x quantity). */
export interface PositionFills {
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly product: KiteProduct;
  readonly buyQuantity: number;
  readonly buyValuePaise: number;
  readonly sellQuantity: number;
  readonly sellValuePaise: number;
  /** Last traded price and previous close, paise. */
  readonly lastPricePaise: number;
  readonly closePricePaise: number;
}

/** The P&L figures of a position, paise. */
export interface PositionPnl {
  readonly quantity: number;
  readonly pnl: number;
  readonly realised: number;
  readonly unrealised: number;
}

/**
 * P&L in paise: `sell value - buy value + quantity x last price`. Realised is the closed quantity
 * at the difference of the average sell and buy prices; unrealised the rest.
 */
export function positionPnl(f: PositionFills): PositionPnl {
  const quantity = f.buyQuantity - f.sellQuantity;
  const pnl = f.sellValuePaise - f.buyValuePaise + quantity * f.lastPricePaise;
  const closed = Math.min(f.buyQuantity, f.sellQuantity);
  const realised =
    closed === 0
      ? 0
      : Math.round(closed * (f.sellValuePaise / f.sellQuantity - f.buyValuePaise / f.buyQuantity));
  return { quantity, pnl, realised, unrealised: pnl - realised };
}

/** A Kite position row (positions.json). Multiplier 1: quantities are units on every segment here. */
export function positionRow(f: PositionFills): KitePosition {
  const { quantity, pnl, realised, unrealised } = positionPnl(f);
  const rupees = (paise: number): number => paise / 100;
  const buyPrice = averageRupees(f.buyValuePaise, f.buyQuantity, 100);
  const sellPrice = averageRupees(f.sellValuePaise, f.sellQuantity, 100);
  return {
    tradingsymbol: f.tradingsymbol,
    exchange: f.exchange,
    instrument_token: f.instrumentToken,
    product: f.product,
    quantity,
    overnight_quantity: 0,
    multiplier: 1,
    // Kite's average of an open position is the average of the side that opened it.
    average_price: quantity > 0 ? buyPrice : quantity < 0 ? sellPrice : 0,
    close_price: rupees(f.closePricePaise),
    last_price: rupees(f.lastPricePaise),
    value: rupees(f.sellValuePaise - f.buyValuePaise),
    pnl: rupees(pnl),
    m2m: rupees(pnl),
    unrealised: rupees(unrealised),
    realised: rupees(realised),
    buy_quantity: f.buyQuantity,
    buy_price: buyPrice,
    buy_value: rupees(f.buyValuePaise),
    buy_m2m: rupees(f.buyValuePaise),
    sell_quantity: f.sellQuantity,
    sell_price: sellPrice,
    sell_value: rupees(f.sellValuePaise),
    sell_m2m: rupees(f.sellValuePaise),
    day_buy_quantity: f.buyQuantity,
    day_buy_price: buyPrice,
    day_buy_value: rupees(f.buyValuePaise),
    day_sell_quantity: f.sellQuantity,
    day_sell_price: sellPrice,
    day_sell_value: rupees(f.sellValuePaise),
  };
}
