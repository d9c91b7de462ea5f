// Kite's error and rejection texts, in one place so they can be corrected against captured payloads.
// Exact where kite-protocol.md quotes them; otherwise worded after Kite's style (see README).
import type { KiteError } from './types';

/** An InputException (HTTP 400). */
export function inputError(message: string): KiteError {
  return { error_type: 'InputException', status: 400, message };
}

/** An OrderException (HTTP 400 in the simulator, as kite-protocol.md advises). */
export function orderError(message: string): KiteError {
  return { error_type: 'OrderException', status: 400, message };
}

/** Formats a wire-unit price in rupees for a message: `0.05`, `2450`, `88.5025`. */
export function rupees(wire: number, divisor: number): string {
  return String(wire / divisor);
}

/** The texts. */
export const MESSAGES = {
  invalid: (field: string): string => `Invalid \`${field}\`.`,
  missing: (field: string): string => `Missing \`${field}\`.`,
  instrument: (exchange: string, symbol: string): string =>
    `The instrument ${exchange}:${symbol} you are placing an order for does not exist.`,
  notTradable: 'Indices cannot be traded.',
  product: (product: string, exchange: string): string =>
    `Product type ${product} is not allowed for ${exchange}.`,
  lot: (lot: number): string => `Quantity should be a multiple of the lot size ${lot}.`,
  tick: (tick: string): string =>
    `Tick size for this script is ${tick}. Kindly enter price in the multiple of tick size for this script`,
  freeze: (quantity: number, freeze: number): string =>
    `The order quantity ${quantity} is higher than the maximum quantity ${freeze} allowed per order for this contract. Reduce the quantity, use iceberg orders or set autoslice.`,
  equityMax: 'Maximum quantity per order for Equity is 1,00,000',
  marketClosed: 'Markets are closed right now. Use GTT for placing long standing orders instead.',
  amoDuringMarket: 'AMO orders can be placed only when the market is closed.',
  upperCircuit: (limit: string): string =>
    `Your order price is higher than the current upper circuit limit of ${limit}. Place an order within the daily range.`,
  lowerCircuit: (limit: string): string =>
    `Your order price is lower than the current lower circuit limit of ${limit}. Place an order within the daily range.`,
  stopBuyTrigger: 'Trigger price for stoploss buy orders should be higher than the last traded price.',
  stopSellTrigger: 'Trigger price for stoploss sell orders should be lower than the last traded price.',
  stopBuyPrice: 'Trigger price for stoploss buy orders should be lower than or equal to the price.',
  stopSellPrice: 'Trigger price for stoploss sell orders should be higher than or equal to the price.',
  coOrderType: 'Cover orders can only be MARKET or LIMIT orders.',
  coProduct: 'Cover orders are intraday only: use product MIS.',
  coTrigger: 'Cover orders need a stoploss trigger price.',
  icebergLegs: 'Iceberg legs should be between 2 and 50.',
  icebergOrderType: 'Iceberg orders can only be LIMIT or SL orders.',
  icebergQuantity: 'Iceberg quantity does not split the order quantity into the given number of legs.',
  icebergModifyQuantity: 'Quantity of an iceberg order cannot be modified.',
  ttl: 'Order validity TTL needs validity_ttl in minutes (1 to 1440).',
  marketProtection: 'Market protection should be -1 (auto) or a percentage between 0 and 100.',
  notFound: "Couldn't find that `order_id`.",
  convertQuantity: 'Position not found or the quantity to convert is more than the position.',
  notPending: (status: string): string => `Order cannot be modified or cancelled: it is already ${status}.`,
  modifyBelowFilled: 'Quantity cannot be less than the filled quantity.',
  iocRemainder: 'IOC order cancelled: the unfilled quantity is not kept.',
  marketRemainder: 'Market order cancelled: no more liquidity within market protection.',
  userCancelled: 'Cancelled by the user.',
  ttlExpired: 'TTL order expired.',
  sessionClosed: 'Order expired at the end of the session.',
  squareOff: 'Intraday order cancelled by the auto square-off.',
  icebergCancelled: 'Iceberg order cancelled.',
} as const;
