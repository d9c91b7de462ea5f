// The trades feature's public surface: the day's fills (store and feed), how a fill reads, the grid.
export { createTradesStore } from './tradesStore';
export type { TradesState, TradesStore } from './tradesStore';
export { startTrades } from './tradesBridge';
export type { TradesHandle } from './tradesBridge';
export { TradesContext, useTrades, useTradesHandle } from './tradesContext';
export { tradeRowText, tradeSentence, tradeTotals, tradeValuePaise } from './tradeView';
export { TradesGrid } from './TradesGrid';
