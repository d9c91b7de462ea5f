import type { InstrumentInfo, Quote } from '../../../shared/services/market';
import { formatIstTime } from '../../../shared/time/ist';
import { EM_DASH, formatPriceUnits, formatQuantity, priceStyleOf } from '../market';

/** The facts under the depth, in display order: label, field and how each reads. */
export const QUOTE_FIELDS = [
  ['Open', 'open'],
  ['High', 'high'],
  ['Low', 'low'],
  ['Prev close', 'close'],
  ['Avg price', 'average'],
  ['Volume', 'volume'],
  ['LTQ', 'lastQuantity'],
  ['LTT', 'lastTradeTime'],
  ['Buy qty', 'totalBuy'],
  ['Sell qty', 'totalSell'],
  ['OI', 'oi'],
  ['Lot · tick', 'lotTick'],
] as const;

export type QuoteField = (typeof QUOTE_FIELDS)[number][1];

/** The texts of the quote facts for one instrument (dashes before its first quote). */
export function quoteDetails(
  instrument: InstrumentInfo,
  quote: Quote | undefined,
): Record<QuoteField, string> {
  const style = priceStyleOf(instrument);
  const price = (units: number | undefined) =>
    units === undefined ? EM_DASH : formatPriceUnits(units, style);
  const qty = (n: number | undefined) => (n === undefined || n === 0 ? EM_DASH : formatQuantity(n));
  const tick = instrument.tickSize > 0 ? formatPriceUnits(instrument.tickSize, style) : EM_DASH;
  return {
    open: price(quote?.open),
    high: price(quote?.high),
    low: price(quote?.low),
    close: price(quote === undefined || quote.close === 0 ? instrument.lastPrice : quote.close),
    average: price(quote?.averagePrice),
    volume: qty(quote?.volume),
    lastQuantity: qty(quote?.lastQuantity),
    lastTradeTime:
      quote === undefined || quote.lastTradeTime === 0 ? EM_DASH : formatIstTime(quote.lastTradeTime),
    totalBuy: qty(quote?.totalBuyQuantity),
    totalSell: qty(quote?.totalSellQuantity),
    oi: qty(quote?.oi),
    lotTick: `${instrument.lotSize > 0 ? formatQuantity(instrument.lotSize) : EM_DASH} · ${tick}`,
  };
}
