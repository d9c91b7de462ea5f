// The watchlist feature's public surface: its store (kept in localStorage for now), the bridge that
// writes live quotes into its rows, the first-start seed, and the panel.
export { createWatchlistStore, selectSelectedInstrument } from './watchlistStore';
export type { WatchlistSnapshot, WatchlistState, WatchlistStore } from './watchlistStore';
export { loadWatchlist, persistWatchlist } from './watchlistStorage';
export { seedWatchlist } from './watchlistSeed';
export { startWatchlistQuotes } from './watchlistQuotes';
export type { WatchlistQuotes } from './watchlistQuotes';
export { WatchlistContext, useWatchlist, useWatchlistStore } from './watchlistContext';
export type { WatchlistHandle } from './watchlistContext';
export { Watchlist, focusWatchlist } from './Watchlist';
