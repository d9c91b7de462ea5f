// Market-data plumbing the watchlist, chart and depth panels share: the service and link they
// call, the per-frame bridge from a stream to the DOM, and how prices and quantities read.
export { setCellText } from './cellText';
export { createFrameCoalescer } from './frameCoalescer';
export type { FrameCoalescer, FrameScheduler } from './frameCoalescer';
export { engineLinkOf } from './marketData';
export type { EngineLink, MarketData, MarketService } from './marketData';
export { MarketDataContext, useMarketData } from './marketContext';
export {
  EM_DASH,
  directionOf,
  formatCompactQuantity,
  formatExpiry,
  formatPercentChange,
  formatPriceChange,
  formatPriceUnits,
  formatQuantity,
  formatStrike,
  priceDecimals,
  priceStyleOf,
} from './priceFormat';
export type { Direction, PriceStyle } from './priceFormat';
export { formatPnl, formatRupees, formatRupeesShort } from './moneyFormat';
