import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { CHART_INTERVALS } from './chartData';
import type { ChartInterval } from './chartData';

export interface ChartState {
  readonly interval: ChartInterval;
  readonly setInterval: (interval: ChartInterval) => void;
}

export type ChartStore = StoreApi<ChartState>;

export const CHART_INTERVAL_KEY = 'shrivenq.chart.interval.v1';

export function isChartInterval(value: unknown): value is ChartInterval {
  return typeof value === 'string' && (CHART_INTERVALS as readonly string[]).includes(value);
}

/** The chart's settings; the interval is remembered in `storage` (localStorage) when given. */
export function createChartStore(storage?: Pick<Storage, 'getItem' | 'setItem'>): ChartStore {
  let saved: string | null = null;
  try {
    saved = storage?.getItem(CHART_INTERVAL_KEY) ?? null;
  } catch {
    saved = null;
  }
  return createStore<ChartState>()((set) => ({
    interval: isChartInterval(saved) ? saved : '1m',
    setInterval: (interval) => {
      set({ interval });
      try {
        storage?.setItem(CHART_INTERVAL_KEY, interval);
      } catch {
        // Not remembered; the chart still switches.
      }
    },
  }));
}
