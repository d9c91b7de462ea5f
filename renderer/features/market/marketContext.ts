import { createContext, useContext } from 'react';
import type { MarketData } from './marketData';

/** The window's market data (service, link, frames), provided once at the root of the window. */
export const MarketDataContext = createContext<MarketData | null>(null);

export function useMarketData(): MarketData {
  const data = useContext(MarketDataContext);
  if (data === null) throw new Error('useMarketData needs a MarketDataContext provider');
  return data;
}
