import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  HistogramSeries,
  TickMarkType,
  createChart,
} from 'lightweight-charts';
import type {
  CandlestickData,
  HistogramData,
  IChartApi,
  ISeriesApi,
  Time,
  UTCTimestamp,
  WhitespaceData,
} from 'lightweight-charts';
import type { Disposable } from '../../../shared/disposable';
import type { Candle } from '../../../shared/services/market';
import { formatIstDate, formatIstDateTime } from '../../../shared/time/ist';
import type { PriceStyle } from '../market';
import { fromChartTime, toChartBar } from './chartData';
import type { CandleSink } from './chartFeed';

// The one place that knows lightweight-charts (STYLE.md: third-party widgets through thin wrappers).

/** The colours the chart takes from theme.css (the library wants colour strings, not variables). */
export interface ChartTheme {
  readonly background: string;
  readonly text: string;
  readonly faintText: string;
  readonly grid: string;
  readonly border: string;
  readonly up: string;
  readonly down: string;
  readonly crosshair: string;
  readonly fontFamily: string;
}

/** Reads the chart's colours from the theme's CSS variables. */
export function readChartTheme(root: Element): ChartTheme {
  const css = getComputedStyle(root);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--bg-panel', '#11161c'),
    text: v('--text-muted', '#8792a0'),
    faintText: v('--text-faint', '#58626e'),
    grid: v('--border', '#1e262f'),
    border: v('--border-strong', '#2a343f'),
    up: v('--up', '#26b86b'),
    down: v('--down', '#f0483e'),
    crosshair: v('--text-faint', '#58626e'),
    fontFamily: v('--font-mono', 'monospace'),
  };
}

/** A candlestick chart with a volume histogram under it. */
export interface CandleChart extends CandleSink, Disposable {
  /** How prices of the instrument now shown are written (decimals and tick), and its divisor. */
  setPriceStyle(style: PriceStyle, tickSize: number): void;
  /** Intraday shows the time on the axis; daily shows dates only. */
  setIntraday(intraday: boolean): void;
  clear(): void;
}

/** `#26b86b` at `alpha` as `rgba(...)` (the library parses colours itself; it knows no color-mix). */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (m === null) return color;
  const [, r = '0', g = '0', b = '0'] = m;
  return `rgba(${parseInt(r, 16)}, ${parseInt(g, 16)}, ${parseInt(b, 16)}, ${alpha})`;
}

/** The crosshair's time label: the exchange wall clock, from the IST-shifted chart time. */
function crosshairTime(intraday: () => boolean) {
  return (time: Time): string => {
    if (typeof time === 'string') return time;
    if (typeof time !== 'number') return `${time.year}-${time.month}-${time.day}`;
    const epochMs = fromChartTime(time);
    return intraday() ? `${formatIstDateTime(epochMs).slice(0, 16)} IST` : formatIstDate(epochMs);
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Axis labels from the IST-shifted chart time: its UTC fields are the IST wall clock, so they are
 * read with getUTC* (never the machine's zone). `2 Dec`, `Dec`, `2026`, `09:15`.
 */
export function tickMark(time: Time, type: TickMarkType): string | null {
  if (typeof time !== 'number') return null;
  const d = new Date(time * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  switch (type) {
    case TickMarkType.Year:
      return String(d.getUTCFullYear());
    case TickMarkType.Month:
      return MONTHS[d.getUTCMonth()] ?? null;
    case TickMarkType.DayOfMonth:
      return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''}`;
    case TickMarkType.Time:
      return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    case TickMarkType.TimeWithSeconds:
      return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  }
}

export function createCandleChart(container: HTMLElement, theme: ChartTheme): CandleChart {
  let intraday = true;
  let divisor = 100;
  const chart: IChartApi = createChart(container, {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: theme.background },
      textColor: theme.text,
      fontFamily: theme.fontFamily,
      fontSize: 11,
      // The logo injects a <style> element, which the window's CSP (style-src 'self') refuses; the
      // attribution the licence asks for is in the panel's footer instead.
      attributionLogo: false,
    },
    grid: {
      vertLines: { color: theme.grid },
      horzLines: { color: theme.grid },
    },
    crosshair: {
      mode: CrosshairMode.Normal,
      vertLine: { color: theme.crosshair, labelBackgroundColor: theme.border },
      horzLine: { color: theme.crosshair, labelBackgroundColor: theme.border },
    },
    rightPriceScale: { borderColor: theme.border, scaleMargins: { top: 0.06, bottom: 0.24 } },
    timeScale: {
      borderColor: theme.border,
      timeVisible: true,
      secondsVisible: false,
      rightOffset: 4,
      barSpacing: 7,
      tickMarkFormatter: tickMark,
    },
    localization: { locale: 'en-IN', timeFormatter: crosshairTime(() => intraday) },
  });
  const candles: ISeriesApi<'Candlestick'> = chart.addSeries(CandlestickSeries, {
    upColor: theme.up,
    downColor: theme.down,
    borderUpColor: theme.up,
    borderDownColor: theme.down,
    wickUpColor: theme.up,
    wickDownColor: theme.down,
    priceLineWidth: 1,
  });
  const volume: ISeriesApi<'Histogram'> = chart.addSeries(HistogramSeries, {
    priceFormat: { type: 'volume' },
    // An overlay scale of its own: volume sits in the bottom fifth without squashing the candles.
    priceScaleId: '',
    lastValueVisible: false,
    priceLineVisible: false,
  });
  volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });

  const upVolume = withAlpha(theme.up, 0.45);
  const downVolume = withAlpha(theme.down, 0.45);

  const toCandle = (c: Candle): CandlestickData => {
    const b = toChartBar(c, divisor);
    return { time: b.time as UTCTimestamp, open: b.open, high: b.high, low: b.low, close: b.close };
  };
  // No volume (an index) is a gap, not a zero-height bar: those draw as a dashed line at the bottom.
  const toVolume = (c: Candle): HistogramData | WhitespaceData => {
    const time = toChartBar(c, divisor).time as UTCTimestamp;
    if (c.volume === 0) return { time };
    return { time, value: c.volume, color: c.close >= c.open ? upVolume : downVolume };
  };

  return {
    setPriceStyle(style, tickSize) {
      divisor = style.divisor;
      const minMove = tickSize > 0 ? tickSize / style.divisor : 1 / 10 ** style.decimals;
      candles.applyOptions({ priceFormat: { type: 'price', precision: style.decimals, minMove } });
    },
    setIntraday(value) {
      intraday = value;
      chart.applyOptions({ timeScale: { timeVisible: value } });
    },
    setCandles(list) {
      candles.setData(list.map(toCandle));
      volume.setData(list.map(toVolume));
      chart.timeScale().scrollToRealTime();
    },
    updateBar(c) {
      candles.update(toCandle(c));
      volume.update(toVolume(c));
    },
    clear() {
      candles.setData([]);
      volume.setData([]);
    },
    dispose() {
      chart.remove();
    },
  };
}
