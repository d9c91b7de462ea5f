import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { PositionsFeed } from './positionsFeed';
import type { PositionsState } from './positionsStore';

/** The window's positions feed (its store and the cells it paints), provided once at the root. */
export const PositionsContext = createContext<PositionsFeed | null>(null);

export function usePositionsFeed(): PositionsFeed {
  const feed = useContext(PositionsContext);
  if (feed === null) throw new Error('usePositions needs a PositionsContext provider');
  return feed;
}

/** Reads one value of the positions store (pass an atomic selector). */
export function usePositions<T>(selector: (state: PositionsState) => T): T {
  return useStore(usePositionsFeed().store, selector);
}
