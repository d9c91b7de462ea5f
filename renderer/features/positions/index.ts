// The positions feature's public surface: the grid's row store, the feed that writes live positions
// and the day's P&L into its cells, and the grid.
export { createPositionsStore } from './positionsStore';
export type { PositionRow, PositionsState, PositionsStore } from './positionsStore';
export { startPositionsFeed } from './positionsFeed';
export type { PnlCells, PortfolioService, PositionCells, PositionsFeed } from './positionsFeed';
export { PositionsContext, usePositions, usePositionsFeed } from './positionsContext';
export { PositionsGrid } from './PositionsGrid';
