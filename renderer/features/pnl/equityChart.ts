import { ColorType, LineSeries, LineStyle, LineType, createChart } from 'lightweight-charts';
import type { IChartApi, ISeriesApi, Time, UTCTimestamp } from 'lightweight-charts';
import type { Disposable } from '../../../shared/disposable';
import type { CurvePoint, CurveSink } from './pnlCurve';

// The one place the P&L panel knows lightweight-charts (STYLE.md: widgets through thin wrappers).

export interface EquityChartTheme {
  readonly background: string;
  readonly text: string;
  readonly grid: string;
  readonly border: string;
  readonly line: string;
  readonly zero: string;
  readonly fontFamily: string;
}

/** The chart's colours from the theme's CSS variables (the library wants colour strings). */
export function readEquityTheme(root: Element): EquityChartTheme {
  const css = getComputedStyle(root);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--bg-panel', '#11161c'),
    text: v('--text-muted', '#8792a0'),
    grid: v('--border', '#1e262f'),
    border: v('--border-strong', '#2a343f'),
    line: v('--info', '#58a6ff'),
    zero: v('--text-faint', '#58626e'),
    fontFamily: v('--font-mono', 'monospace'),
  };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Axis and crosshair times: the chart time's UTC fields are the IST wall clock. */
function clockOf(time: Time): string {
  if (typeof time !== 'number') return '';
  const d = new Date(time * 1000);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export interface EquityChart extends CurveSink, Disposable {}

/** A line of the day's net P&L over time, with a zero line. */
export function createEquityChart(container: HTMLElement, theme: EquityChartTheme): EquityChart {
  const chart: IChartApi = createChart(container, {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: theme.background },
      textColor: theme.text,
      fontFamily: theme.fontFamily,
      fontSize: 10,
      // The logo injects a <style> element, which the CSP refuses; the panel credits the library.
      attributionLogo: false,
    },
    grid: { vertLines: { visible: false }, horzLines: { color: theme.grid } },
    rightPriceScale: { borderColor: theme.border, scaleMargins: { top: 0.12, bottom: 0.12 } },
    timeScale: {
      borderColor: theme.border,
      timeVisible: true,
      secondsVisible: false,
      rightOffset: 2,
      tickMarkFormatter: (time: Time) => clockOf(time).slice(0, 5),
    },
    localization: { locale: 'en-IN', timeFormatter: (time: Time) => `${clockOf(time)} IST` },
    handleScroll: false,
    handleScale: false,
  });
  const line: ISeriesApi<'Line'> = chart.addSeries(LineSeries, {
    color: theme.line,
    lineWidth: 2,
    lineType: LineType.WithSteps,
    priceLineVisible: false,
    priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
  });
  line.createPriceLine({
    price: 0,
    color: theme.zero,
    lineWidth: 1,
    lineStyle: LineStyle.Dashed,
    axisLabelVisible: false,
  });
  const toData = (p: CurvePoint) => ({ time: p.time as UTCTimestamp, value: p.value });
  return {
    setPoints(points) {
      line.setData(points.map(toData));
      chart.timeScale().fitContent();
    },
    update(point) {
      line.update(toData(point));
      chart.timeScale().fitContent();
    },
    dispose() {
      chart.remove();
    },
  };
}
