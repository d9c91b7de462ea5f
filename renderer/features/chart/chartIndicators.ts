import type { Candle } from '../../../shared/services/market';
import {
  createBollinger,
  createEma,
  createRsi,
  createSma,
  createVwap,
} from '../../../shared/domain/indicators';

/** The indicators the chart offers, in the selector's order. */
export const INDICATOR_IDS = ['sma', 'ema', 'vwap', 'bb', 'rsi'] as const;
export type IndicatorId = (typeof INDICATOR_IDS)[number];

/** Takes a bar (`update`: the forming bar changed) and gives one value per line of the indicator. */
export type IndicatorStep = (
  candle: Candle,
  divisor: number,
  update: boolean,
) => readonly (number | undefined)[];

/** One indicator: its label, its lines (colour names of ChartTheme), its pane, and a fresh stepper. */
export interface IndicatorDefinition {
  readonly id: IndicatorId;
  readonly label: string;
  readonly lines: readonly ('sma' | 'ema' | 'vwap' | 'bands' | 'rsi')[];
  /** 0: over the candles; 1: a pane of its own under them. */
  readonly pane: 0 | 1;
  readonly create: () => IndicatorStep;
}

function onClose(make: () => { next(x: number): number | undefined; update(x: number): number | undefined }) {
  return (): IndicatorStep => {
    const ind = make();
    return (c, divisor, update) => {
      const x = c.close / divisor;
      return [update ? ind.update(x) : ind.next(x)];
    };
  };
}

export const INDICATORS: Readonly<Record<IndicatorId, IndicatorDefinition>> = {
  sma: { id: 'sma', label: 'SMA 20', lines: ['sma'], pane: 0, create: onClose(() => createSma(20)) },
  ema: { id: 'ema', label: 'EMA 9', lines: ['ema'], pane: 0, create: onClose(() => createEma(9)) },
  vwap: {
    id: 'vwap',
    label: 'VWAP',
    lines: ['vwap'],
    pane: 0,
    create: () => {
      const vwap = createVwap();
      return (c, divisor, update) => {
        const bar = {
          time: c.time,
          high: c.high / divisor,
          low: c.low / divisor,
          close: c.close / divisor,
          volume: c.volume,
        };
        return [update ? vwap.update(bar) : vwap.next(bar)];
      };
    },
  },
  bb: {
    id: 'bb',
    label: 'BB 20,2',
    lines: ['bands', 'bands', 'bands'],
    pane: 0,
    create: () => {
      const bb = createBollinger(20, 2);
      return (c, divisor, update) => {
        const x = c.close / divisor;
        const b = update ? bb.update(x) : bb.next(x);
        return [b?.upper, b?.middle, b?.lower];
      };
    },
  },
  rsi: { id: 'rsi', label: 'RSI 14', lines: ['rsi'], pane: 1, create: onClose(() => createRsi(14)) },
};

export function isIndicatorId(value: unknown): value is IndicatorId {
  return typeof value === 'string' && (INDICATOR_IDS as readonly string[]).includes(value);
}
