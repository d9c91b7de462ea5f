import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { CHART_INTERVALS } from './chartData';
import type { ChartInterval } from './chartData';
import { INDICATOR_IDS, isIndicatorId } from './chartIndicators';
import type { IndicatorId } from './chartIndicators';

export interface ChartState {
  readonly interval: ChartInterval;
  /** The indicators drawn, in the selector's order. */
  readonly indicators: readonly IndicatorId[];
  readonly setInterval: (interval: ChartInterval) => void;
  readonly toggleIndicator: (id: IndicatorId) => void;
}

export type ChartStore = StoreApi<ChartState>;

export const CHART_INTERVAL_KEY = 'shrivenq.chart.interval.v1';
export const CHART_INDICATORS_KEY = 'shrivenq.chart.indicators.v1';

export function isChartInterval(value: unknown): value is ChartInterval {
  return typeof value === 'string' && (CHART_INTERVALS as readonly string[]).includes(value);
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

function read(storage: Storage | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(storage: Storage | undefined, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // Not remembered; the chart still changes.
  }
}

/** The indicators saved as `sma,vwap` (unknown names dropped), in the selector's order. */
export function parseIndicators(saved: string | null): IndicatorId[] {
  if (saved === null) return [];
  const names = new Set(saved.split(','));
  return INDICATOR_IDS.filter((id) => names.has(id) && isIndicatorId(id));
}

/** The chart's settings; the interval and the indicators are remembered in `storage` (localStorage) when given. */
export function createChartStore(storage?: Storage): ChartStore {
  const saved = read(storage, CHART_INTERVAL_KEY);
  return createStore<ChartState>()((set, get) => ({
    interval: isChartInterval(saved) ? saved : '1m',
    indicators: parseIndicators(read(storage, CHART_INDICATORS_KEY)),
    setInterval: (interval) => {
      set({ interval });
      write(storage, CHART_INTERVAL_KEY, interval);
    },
    toggleIndicator: (id) => {
      const on = new Set(get().indicators);
      if (on.has(id)) on.delete(id);
      else on.add(id);
      const indicators = INDICATOR_IDS.filter((i) => on.has(i));
      set({ indicators });
      write(storage, CHART_INDICATORS_KEY, indicators.join(','));
    },
  }));
}
