import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InstrumentInfo } from '../../../shared/services/market';
import { fakeMarket, instrument } from '../market/fakeMarket';
import { isSearchHotkey } from './searchHotkeys';
import { SEARCH_DEBOUNCE_MS, createSearchStore } from './searchStore';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const infy = instrument(408065, 'INFY');
const infyFut = instrument(12345, 'INFY26DECFUT', {
  exchange: 'NFO',
  instrumentType: 'FUT',
  expiry: '2026-12-29',
});

/** A search that answers each query after `delayMs`, from a fixed list. */
function marketAnswering(delayMs = 0) {
  const m = fakeMarket();
  m.answers.search = (params) => {
    const { query } = params as { query: string };
    const instruments = [infy, infyFut].filter((i) => i.tradingsymbol.startsWith(query.toUpperCase()));
    return new Promise<{ instruments: InstrumentInfo[] }>((resolve) => {
      setTimeout(() => {
        resolve({ instruments });
      }, delayMs);
    });
  };
  return m;
}

describe('instrument search', () => {
  it('waits for typing to pause, then asks once for what is in the box', async () => {
    const m = marketAnswering();
    const store = createSearchStore(m.service);
    for (const q of ['I', 'IN', 'INF', 'INFY']) {
      store.getState().setQuery(q);
      await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS - 10);
    }
    expect(m.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    expect(m.calls).toEqual([{ method: 'search', params: { query: 'INFY', limit: 30 } }]);
    expect(store.getState().results.map((i) => i.tradingsymbol)).toEqual(['INFY', 'INFY26DECFUT']);
    expect(store.getState().active).toBe(0);
    expect(store.getState().open).toBe(true);
  });

  it('drops an answer to an older query', async () => {
    const m = fakeMarket();
    const pending: ((v: { instruments: InstrumentInfo[] }) => void)[] = [];
    m.answers.search = () =>
      new Promise((resolve) => {
        pending.push(resolve);
      });
    const store = createSearchStore(m.service);
    store.getState().setQuery('TC');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    store.getState().setQuery('INFY');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    pending[1]?.({ instruments: [infy] });
    pending[0]?.({ instruments: [instrument(1, 'TCS')] });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().results.map((i) => i.tradingsymbol)).toEqual(['INFY']);
  });

  it('moves with the arrows within the list and picks with Enter, clearing the box', async () => {
    const store = createSearchStore(marketAnswering().service);
    store.getState().setQuery('infy');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS + 1);
    store.getState().moveActive(1);
    store.getState().moveActive(1);
    expect(store.getState().active).toBe(1);
    store.getState().moveActive(-5);
    expect(store.getState().active).toBe(0);
    store.getState().moveActive(1);
    store.getState().pick();
    expect(store.getState().picked?.instrument).toBe(infyFut);
    expect(store.getState().query).toBe('');
    expect(store.getState().open).toBe(false);
  });

  it('Enter typed faster than the answer picks the best match of that answer', async () => {
    const store = createSearchStore(marketAnswering(30).service);
    store.getState().setQuery('INFY');
    store.getState().pick();
    expect(store.getState().picked).toBeUndefined();
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS + 30);
    expect(store.getState().picked?.instrument).toBe(infy);
  });

  it('Escape closes and forgets; an error is shown, not thrown', async () => {
    const m = fakeMarket(); // no answer: UNKNOWN_METHOD
    const store = createSearchStore(m.service);
    store.getState().setQuery('INFY');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(store.getState().status).toBe('failed');
    expect(store.getState().error).toContain('market.search');
    store.getState().close();
    expect(store.getState()).toMatchObject({ query: '', results: [], open: false, status: 'idle' });
  });
});

describe('search hotkeys', () => {
  const key = (k: string, more: Partial<{ ctrlKey: boolean; metaKey: boolean; target: unknown }> = {}) =>
    isSearchHotkey({ key: k, ctrlKey: false, metaKey: false, altKey: false, target: null, ...more });
  it('Ctrl+K anywhere; / except while typing in a field', () => {
    expect(key('k', { ctrlKey: true })).toBe(true);
    expect(key('K', { metaKey: true, target: { tagName: 'INPUT' } })).toBe(true);
    expect(key('/')).toBe(true);
    expect(key('/', { target: { tagName: 'DIV' } })).toBe(true);
    expect(key('/', { target: { tagName: 'INPUT' } })).toBe(false);
    expect(key('/', { target: { tagName: 'DIV', isContentEditable: true } })).toBe(false);
    expect(key('k')).toBe(false);
  });
});
