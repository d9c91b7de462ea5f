import { DisposableStore, toDisposable } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import type { PnlView } from '../../../shared/services/portfolio';
import { IST_OFFSET_MS } from '../../../shared/time/ist';
import { createFrameCoalescer } from '../market';
import type { FrameScheduler } from '../market';

/**
 * One point of the intraday equity curve: the day's net P&L in rupees at a chart time (seconds on
 * the IST wall clock, as the candle chart draws time: lightweight-charts reads times as UTC).
 */
export interface CurvePoint {
  readonly time: number;
  readonly value: number;
}

/** Where the curve is drawn (equityChart.ts; a fake in tests). */
export interface CurveSink {
  setPoints(points: readonly CurvePoint[]): void;
  /** The newest point: a new time appends, the same time replaces the last. */
  update(point: CurvePoint): void;
}

/** The most points kept: a point a second covers a trading day (6h15m = 22,500 s) with room. */
export const MAX_CURVE_POINTS = 30_000;

/** The curve point of a P&L sample. Paise become rupees here, for the chart's scale only. */
export function curvePointOf(p: Pick<PnlView, 'net' | 'at'>): CurvePoint {
  return { time: Math.floor((p.at + IST_OFFSET_MS) / 1000), value: p.net / 100 };
}

/**
 * Adds `point` to `points` (kept in time order, one per second): a later second appends, the same
 * second replaces the last point, an earlier one is dropped. Returns what happened, so the sink can
 * be told the same. Drops the oldest point beyond `max`.
 */
export function appendPoint(
  points: CurvePoint[],
  point: CurvePoint,
  max = MAX_CURVE_POINTS,
): 'appended' | 'replaced' | 'ignored' {
  const last = points[points.length - 1];
  if (last !== undefined && point.time < last.time) return 'ignored';
  if (last?.time === point.time) {
    if (last.value === point.value) return 'ignored';
    points[points.length - 1] = point;
    return 'replaced';
  }
  points.push(point);
  if (points.length > max) points.splice(0, points.length - max);
  return 'appended';
}

/** The window's equity curve: the points since it opened, drawn into any attached chart once a frame. */
export interface PnlCurve extends Disposable {
  /** When the first sample came (epoch ms), 0 before. */
  readonly since: () => number;
  readonly points: () => readonly CurvePoint[];
  /** Draws the curve into `sink` now and each frame a sample came in. */
  attach(sink: CurveSink): Disposable;
}

/** Where the day's P&L comes from: the positions feed, which already follows `portfolio.onPnl`. */
export interface PnlSource {
  latestPnl(): PnlView | undefined;
  /** Each newer P&L the source takes in. */
  onPnl(listener: (p: PnlView) => void): Disposable;
}

/**
 * Samples the day's P&L (the positions feed's: `portfolio.pnl` on every connection, then
 * `portfolio.onPnl`, 250 ms at the engine, so the window holds one subscription) into an intraday
 * curve, one point a second. The engine keeps no P&L history, so the curve
 * starts when the window does. The chart is told of the newest point at most once per animation
 * frame (STYLE.md: ticks never pass through React state).
 */
export function startPnlCurve(source: PnlSource, frames: FrameScheduler): PnlCurve {
  const owned = new DisposableStore();
  const points: CurvePoint[] = [];
  // Each chart and the first point it has not drawn (the one before is drawn again: it may have
  // been replaced within its second).
  const sinks = new Map<CurveSink, number>();
  let since = 0;
  const coalescer = owned.add(
    createFrameCoalescer<'p', true>(frames, () => {
      for (const [sink, drawnTo] of sinks) {
        const from = Math.max(0, Math.min(drawnTo, points.length) - 1);
        for (let i = from; i < points.length; i++) sink.update(points[i] as CurvePoint);
        sinks.set(sink, points.length);
      }
    }),
  );
  const receive = (p: PnlView): void => {
    const before = points.length;
    const happened = appendPoint(points, curvePointOf(p));
    if (happened === 'ignored') return;
    // The oldest points went (the cap): what was drawn shifted down with them.
    if (happened === 'appended' && points.length === before) {
      for (const [sink, drawnTo] of sinks) sinks.set(sink, Math.max(0, drawnTo - 1));
    }
    if (since === 0) since = p.at;
    coalescer.push('p', true);
  };
  owned.add(source.onPnl(receive));
  const first = source.latestPnl();
  if (first !== undefined) receive(first);
  owned.add(
    toDisposable(() => {
      sinks.clear();
    }),
  );
  return {
    since: () => since,
    points: () => points,
    attach(sink) {
      sink.setPoints(points);
      sinks.set(sink, points.length);
      return toDisposable(() => sinks.delete(sink));
    },
    dispose: () => {
      owned.dispose();
    },
  };
}
