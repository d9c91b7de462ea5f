// The holdings feature's public surface: the broker's demat holdings (store and fetch), the grid.
export { createHoldingsStore } from './holdingsStore';
export type { HoldingsState, HoldingsStore } from './holdingsStore';
export { startHoldings } from './holdingsBridge';
export type { HoldingsHandle } from './holdingsBridge';
export { HoldingsContext, useHoldings, useHoldingsHandle } from './holdingsContext';
export { holdingRowText, holdingTotals } from './holdingView';
export { HoldingsGrid } from './HoldingsGrid';
