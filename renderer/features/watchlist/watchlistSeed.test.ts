import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InstrumentInfo } from '../../../shared/services/market';
import { fakeMarketData, instrument, settle } from '../market/fakeMarket';
import { SEED_RETRY_MS, seedWatchlist } from './watchlistSeed';
import { createWatchlistStore } from './watchlistStore';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const nifty = instrument(256265, 'NIFTY 50', { instrumentType: 'INDEX', tickSize: 0, segment: 'INDICES' });
const infy = instrument(408065, 'INFY');

describe('first-start seed', () => {
  it('looks the liquid names up and adds them in the seed order, skipping unknown keys', async () => {
    const { data, market } = fakeMarketData();
    market.answers.lookup = () => Promise.resolve({ instruments: [infy, nifty] });
    const store = createWatchlistStore();
    seedWatchlist({
      market: data.market,
      link: data.link,
      store,
      keys: ['NSE:NIFTY 50', 'NSE:NOPE', 'NSE:INFY'],
    });
    await settle();
    expect(store.getState().instruments.map((i) => i.tradingsymbol)).toEqual(['NIFTY 50', 'INFY']);
    expect(store.getState().selectedToken).toBe(nifty.instrumentToken);
  });

  it('retries while the engine cannot answer, and on the next connection', async () => {
    const { data, market, link } = fakeMarketData();
    const store = createWatchlistStore();
    link.drop();
    seedWatchlist({ market: data.market, link: data.link, store, keys: ['NSE:INFY'] });
    expect(market.calls).toEqual([]);
    link.connect();
    await settle();
    expect(market.calls).toHaveLength(1); // UNKNOWN_METHOD: an engine without market.* yet
    market.answers.lookup = (): Promise<{ instruments: InstrumentInfo[] }> =>
      Promise.resolve({ instruments: [infy] });
    await vi.advanceTimersByTimeAsync(SEED_RETRY_MS);
    await settle();
    expect(store.getState().instruments.map((i) => i.tradingsymbol)).toEqual(['INFY']);
  });

  it('leaves a saved or already-edited list alone', async () => {
    const { data, market } = fakeMarketData();
    market.answers.lookup = () => Promise.resolve({ instruments: [infy] });
    const saved = createWatchlistStore({ instruments: [], selectedToken: undefined });
    seedWatchlist({ market: data.market, link: data.link, store: saved });
    await settle();
    expect(market.calls).toEqual([]);
    expect(saved.getState().instruments).toEqual([]);
  });
});
