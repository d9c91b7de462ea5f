import { describe, expect, it } from 'vitest';
import { instrument } from '../market/fakeMarket';
import { WATCHLIST_STORAGE_KEY, loadWatchlist, persistWatchlist } from './watchlistStorage';
import { createWatchlistStore } from './watchlistStore';

function memoryStorage(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => {
      map.set(k, v);
    },
    map,
  };
}

describe('watchlist storage', () => {
  it('is empty on first start, and keeps the list and selection across a reload', () => {
    const storage = memoryStorage();
    expect(loadWatchlist(storage)).toBeUndefined();
    const store = createWatchlistStore();
    persistWatchlist(store, storage);
    store.getState().add(instrument(1, 'INFY'));
    store.getState().add(instrument(2, 'TCS'));
    store.getState().select(1);
    const loaded = loadWatchlist(storage);
    expect(loaded?.instruments.map((i) => i.tradingsymbol)).toEqual(['INFY', 'TCS']);
    expect(loaded?.selectedToken).toBe(1);
    expect(createWatchlistStore(loaded).getState().initialized).toBe(true);
  });

  it('keeps an emptied list empty (the trader removed everything: no re-seed)', () => {
    const storage = memoryStorage();
    const store = createWatchlistStore();
    persistWatchlist(store, storage);
    store.getState().add(instrument(1, 'INFY'));
    store.getState().remove(1);
    expect(loadWatchlist(storage)).toEqual({ instruments: [], selectedToken: undefined });
  });

  it('refuses what it cannot read (then the list is seeded afresh)', () => {
    for (const text of ['{', '[]', '{"instruments":[{"instrumentToken":"x"}]}', 'null']) {
      expect(loadWatchlist(memoryStorage({ [WATCHLIST_STORAGE_KEY]: text }))).toBeUndefined();
    }
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => undefined,
    };
    expect(loadWatchlist(throwing)).toBeUndefined();
  });
});
