import { IST_OFFSET_MS } from '../../../shared/time/ist';
import type { BarInterval, Candle } from '../../../shared/services/market';

/** The intervals the chart offers, in the selector's order. */
export const CHART_INTERVALS = ['1m', '5m', '15m', '1h', '1d'] as const satisfies readonly BarInterval[];
export type ChartInterval = (typeof CHART_INTERVALS)[number];

const DAY_MS = 86_400_000;

/**
 * How much history to backfill per interval: about five trading days for minute bars (a calendar
 * week covers a weekend), more for wider bars, a year of days.
 */
export const HISTORY_SPAN_MS: Readonly<Record<ChartInterval, number>> = {
  '1m': 7 * DAY_MS,
  '5m': 7 * DAY_MS,
  '15m': 21 * DAY_MS,
  '1h': 60 * DAY_MS,
  '1d': 365 * DAY_MS,
};

/** The history request for `interval` ending now: `[now - span, now]`, epoch ms. */
export function historyRange(interval: ChartInterval, nowMs: number): { from: number; to: number } {
  return { from: Math.max(0, nowMs - HISTORY_SPAN_MS[interval]), to: nowMs };
}

/**
 * A bar's start (epoch ms, UTC) as lightweight-charts' time. The library takes UTC seconds and
 * draws them on a UTC clock whatever the machine's zone, so we add IST's offset (+19800 s): the
 * axis and crosshair then read the exchange's wall clock, 09:15 for the first bar of the day, on a
 * machine in any zone. A day bar (00:00 IST) lands on 00:00 of its own date. Times handed back by
 * the chart must be shifted back with `fromChartTime`.
 */
export function toChartTime(epochMs: number): number {
  return Math.floor((epochMs + IST_OFFSET_MS) / 1000);
}

/** The inverse of `toChartTime`, to epoch ms (UTC). */
export function fromChartTime(chartSeconds: number): number {
  return chartSeconds * 1000 - IST_OFFSET_MS;
}

/** One bar as the chart draws it: prices in rupees (display only), volume as is. */
export interface ChartBar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** A candle in wire units into a chart bar (dividing by the instrument's divisor, for display). */
export function toChartBar(candle: Candle, divisor: number): ChartBar {
  return {
    time: toChartTime(candle.time),
    open: candle.open / divisor,
    high: candle.high / divisor,
    low: candle.low / divisor,
    close: candle.close / divisor,
    volume: candle.volume,
  };
}

/**
 * Candles sorted by time with one bar per time (the later wins): what `setData` requires. History
 * joined with live bars can repeat the bar at the seam.
 */
export function normalizeCandles(candles: readonly Candle[]): Candle[] {
  const byTime = new Map<number, Candle>();
  for (const c of candles) byTime.set(c.time, c);
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}
