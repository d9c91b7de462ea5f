import { describe, expect, it } from 'vitest';
import { CHART_INDICATORS_KEY, CHART_INTERVAL_KEY, createChartStore, parseIndicators } from './chartStore';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => {
      items.set(k, v);
    },
    items,
  };
}

describe('the chart store', () => {
  it('toggles indicators in the selector order and remembers them', () => {
    const storage = memoryStorage();
    const store = createChartStore(storage);
    expect(store.getState().indicators).toEqual([]);
    store.getState().toggleIndicator('rsi');
    store.getState().toggleIndicator('sma');
    expect(store.getState().indicators).toEqual(['sma', 'rsi']);
    expect(storage.items.get(CHART_INDICATORS_KEY)).toBe('sma,rsi');
    store.getState().toggleIndicator('rsi');
    expect(store.getState().indicators).toEqual(['sma']);
    expect(createChartStore(storage).getState().indicators).toEqual(['sma']);
  });

  it('reads back what it saved and drops what it does not know', () => {
    expect(parseIndicators('vwap,macd,ema')).toEqual(['ema', 'vwap']);
    expect(parseIndicators(null)).toEqual([]);
    const store = createChartStore(
      memoryStorage({ [CHART_INTERVAL_KEY]: '5m', [CHART_INDICATORS_KEY]: 'bb' }),
    );
    expect(store.getState().interval).toBe('5m');
    expect(store.getState().indicators).toEqual(['bb']);
  });

  it('works without storage, and when storage throws', () => {
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    const store = createChartStore(throwing);
    store.getState().toggleIndicator('ema');
    expect(store.getState().indicators).toEqual(['ema']);
    expect(createChartStore().getState().interval).toBe('1m');
  });
});
