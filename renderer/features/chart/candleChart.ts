import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  HistogramSeries,
  LineSeries,
  LineStyle,
  TickMarkType,
  createChart,
} from 'lightweight-charts';
import type {
  CandlestickData,
  CreatePriceLineOptions,
  HistogramData,
  IChartApi,
  IPriceLine,
  ISeriesApi,
  LineData,
  Time,
  UTCTimestamp,
  WhitespaceData,
} from 'lightweight-charts';
import type { Disposable } from '../../../shared/disposable';
import type { Candle } from '../../../shared/services/market';
import { formatIstDate, formatIstDateTime } from '../../../shared/time/ist';
import { formatPriceUnits } from '../market';
import type { PriceStyle } from '../market';
import { fromChartTime, toChartBar } from './chartData';
import type { CandleSink } from './chartFeed';
import { chartPriceToUnits, lineNear } from './chartLines';
import type { ChartLine } from './chartLines';
import { INDICATORS } from './chartIndicators';
import type { IndicatorId, IndicatorStep } from './chartIndicators';

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
  readonly buy: string;
  readonly sell: string;
  /** Indicator lines: SMA, EMA, VWAP, Bollinger bands, RSI. */
  readonly sma: string;
  readonly ema: string;
  readonly vwap: string;
  readonly bands: string;
  readonly rsi: string;
  readonly position: string;
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
    buy: v('--buy', '#3d8bfd'),
    sell: v('--sell', '#f0483e'),
    sma: v('--chart-sma', '#f2a33a'),
    ema: v('--chart-ema', '#58a6ff'),
    vwap: v('--chart-vwap', '#c678dd'),
    bands: v('--chart-bands', '#8792a0'),
    rsi: v('--chart-rsi', '#4fc1c9'),
    position: v('--text-strong', '#eef1f5'),
  };
}

/** A candlestick chart with a volume histogram under it. */
export interface CandleChart extends CandleSink, Disposable {
  /** How prices of the instrument now shown are written (decimals and tick), and its divisor. */
  setPriceStyle(style: PriceStyle, tickSize: number): void;
  /** Intraday shows the time on the axis; daily shows dates only. */
  setIntraday(intraday: boolean): void;
  /** Which indicators are drawn (RSI in a pane of its own under the candles). */
  setIndicators(on: ReadonlySet<IndicatorId>): void;
  /** The trader's working orders and positions as price lines (by id: only what changed is redrawn). */
  setLines(lines: readonly ChartLine[]): void;
  /**
   * Lets the trader drag a draggable line: a ghost line follows the pointer on the tick grid,
   * Escape drops the drag, a release at another price calls `onDrop` with it (wire units).
   */
  setLineDrag(
    drag: { readonly tick: number; readonly onDrop: (line: ChartLine, price: number) => void } | undefined,
  ): void;
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

  // Indicators: one set of line series per indicator that is on, fed from the same bars.
  let style: PriceStyle = { divisor: 100, decimals: 2 };
  let bars: Candle[] = [];
  interface LiveIndicator {
    readonly series: ISeriesApi<'Line'>[];
    step: IndicatorStep;
  }
  const live = new Map<IndicatorId, LiveIndicator>();
  const point = (c: Candle, v: number | undefined): LineData | WhitespaceData => {
    const time = toChartBar(c, divisor).time as UTCTimestamp;
    return v === undefined || !Number.isFinite(v) ? { time } : { time, value: v };
  };
  /** Recomputes an indicator over every bar (a new history or the indicator just turned on): one setData. */
  const fillIndicator = (id: IndicatorId, ind: LiveIndicator): void => {
    ind.step = INDICATORS[id].create();
    const columns: (LineData | WhitespaceData)[][] = ind.series.map(() => []);
    for (const c of bars) {
      const values = ind.step(c, divisor, false);
      columns.forEach((col, i) => col.push(point(c, values[i])));
    }
    ind.series.forEach((s, i) => {
      s.setData(columns[i] ?? []);
    });
  };
  const addIndicator = (id: IndicatorId): void => {
    const def = INDICATORS[id];
    const series = def.lines.map((colour, i) =>
      chart.addSeries(
        LineSeries,
        {
          color: def.id === 'bb' && i === 1 ? withAlpha(theme[colour], 0.6) : theme[colour],
          lineWidth: 1,
          lineStyle: def.id === 'bb' && i === 1 ? LineStyle.Dotted : LineStyle.Solid,
          priceLineVisible: false,
          lastValueVisible: def.pane === 1,
          crosshairMarkerVisible: false,
          title: i === 0 ? def.label : '',
        },
        def.pane,
      ),
    );
    if (def.pane === 1) {
      const [rsi] = series;
      for (const level of [70, 30]) {
        rsi?.createPriceLine({
          price: level,
          color: theme.faintText,
          lineWidth: 1,
          lineStyle: LineStyle.Dashed,
          axisLabelVisible: false,
          title: '',
        });
      }
      rsi?.applyOptions({ priceFormat: { type: 'price', precision: 1, minMove: 0.1 } });
      chart.panes()[1]?.setHeight(90);
    }
    const ind: LiveIndicator = { series, step: def.create() };
    live.set(id, ind);
    fillIndicator(id, ind);
  };
  const removeIndicator = (id: IndicatorId): void => {
    const ind = live.get(id);
    if (ind === undefined) return;
    for (const s of ind.series) chart.removeSeries(s);
    live.delete(id);
  };

  // Orders and positions as price lines on the candles, by id.
  const priceLines = new Map<string, { line: IPriceLine; options: CreatePriceLineOptions }>();
  let shownLines: readonly ChartLine[] = [];
  const lineOptions = (l: ChartLine): CreatePriceLineOptions => {
    const colour =
      l.tone === 'buy'
        ? theme.buy
        : l.tone === 'sell'
          ? theme.sell
          : l.tone === 'long'
            ? theme.up
            : theme.down;
    return {
      id: l.id,
      price: l.price / divisor,
      color: l.kind === 'position' ? withAlpha(colour, 0.9) : colour,
      lineWidth: l.kind === 'position' ? 2 : 1,
      lineStyle: l.kind === 'position' ? LineStyle.Dotted : LineStyle.Solid,
      axisLabelVisible: true,
      title: l.label,
    };
  };
  const sameOptions = (a: CreatePriceLineOptions, b: CreatePriceLineOptions) =>
    a.price === b.price && a.color === b.color && a.title === b.title && a.lineWidth === b.lineWidth;

  // Dragging an order's line: a ghost line follows the pointer; the chart does not pan meanwhile.
  let drag: { readonly tick: number; readonly onDrop: (line: ChartLine, price: number) => void } | undefined;
  let dragging: { line: ChartLine; ghost: IPriceLine; pointerId: number; price: number } | undefined;
  const yOf = (price: number): number | null => candles.priceToCoordinate(price / divisor);
  const localY = (e: PointerEvent): number => e.clientY - container.getBoundingClientRect().top;
  const endDrag = (drop: boolean): void => {
    const d = dragging;
    if (d === undefined) return;
    dragging = undefined;
    candles.removePriceLine(d.ghost);
    chart.applyOptions({ handleScroll: true, handleScale: true });
    container.style.cursor = '';
    delete container.dataset['dragging'];
    if (container.hasPointerCapture(d.pointerId)) container.releasePointerCapture(d.pointerId);
    if (drop && d.price !== d.line.price) drag?.onDrop(d.line, d.price);
  };
  const onPointerDown = (e: PointerEvent): void => {
    if (drag === undefined || e.button !== 0) return;
    const line = lineNear(shownLines, localY(e), yOf);
    if (line === undefined) return;
    // Cancelling the pointerdown also keeps its mouse events from the chart, which would pan.
    e.preventDefault();
    e.stopPropagation();
    container.setPointerCapture(e.pointerId);
    chart.applyOptions({ handleScroll: false, handleScale: false });
    const ghost = candles.createPriceLine({
      ...lineOptions(line),
      id: 'ghost',
      lineStyle: LineStyle.Dashed,
      title: `→ ${formatPriceUnits(line.price, style)}`,
    });
    dragging = { line, ghost, pointerId: e.pointerId, price: line.price };
    container.dataset['dragging'] = line.id;
  };
  const onPointerMove = (e: PointerEvent): void => {
    if (drag === undefined) return;
    const d = dragging;
    if (d === undefined) {
      container.style.cursor = lineNear(shownLines, localY(e), yOf) === undefined ? '' : 'ns-resize';
      return;
    }
    const at = candles.coordinateToPrice(localY(e));
    const price = at === null ? undefined : chartPriceToUnits(at, divisor, drag.tick);
    if (price === undefined || price === d.price) return;
    d.price = price;
    d.ghost.applyOptions({ price: price / divisor, title: `→ ${formatPriceUnits(price, style)}` });
    container.dataset['dragPrice'] = String(price);
  };
  const onPointerUp = (e: PointerEvent): void => {
    if (dragging?.pointerId === e.pointerId) endDrag(true);
  };
  const onPointerCancel = (): void => {
    endDrag(false);
  };
  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && dragging !== undefined) {
      e.preventDefault();
      e.stopPropagation();
      endDrag(false);
    }
  };
  container.addEventListener('pointerdown', onPointerDown, true);
  container.addEventListener('pointermove', onPointerMove);
  container.addEventListener('pointerup', onPointerUp);
  container.addEventListener('pointercancel', onPointerCancel);
  window.addEventListener('keydown', onKeyDown, true);

  return {
    setPriceStyle(next, tickSize) {
      style = next;
      divisor = next.divisor;
      const minMove = tickSize > 0 ? tickSize / next.divisor : 1 / 10 ** next.decimals;
      candles.applyOptions({ priceFormat: { type: 'price', precision: next.decimals, minMove } });
    },
    setIntraday(value) {
      intraday = value;
      chart.applyOptions({ timeScale: { timeVisible: value } });
    },
    setCandles(list) {
      bars = [...list];
      candles.setData(list.map(toCandle));
      volume.setData(list.map(toVolume));
      for (const [id, ind] of live) fillIndicator(id, ind);
      chart.timeScale().scrollToRealTime();
    },
    updateBar(c) {
      const last = bars.at(-1);
      const update = last !== undefined && last.time === c.time;
      if (update) bars[bars.length - 1] = c;
      else bars.push(c);
      candles.update(toCandle(c));
      volume.update(toVolume(c));
      for (const ind of live.values()) {
        const values = ind.step(c, divisor, update);
        ind.series.forEach((s, i) => {
          s.update(point(c, values[i]));
        });
      }
    },
    setIndicators(on) {
      for (const id of [...live.keys()]) if (!on.has(id)) removeIndicator(id);
      for (const id of on) if (!live.has(id)) addIndicator(id);
    },
    setLines(lines) {
      shownLines = lines;
      const seen = new Set<string>();
      for (const l of lines) {
        seen.add(l.id);
        const options = lineOptions(l);
        const known = priceLines.get(l.id);
        if (known === undefined) priceLines.set(l.id, { line: candles.createPriceLine(options), options });
        else if (!sameOptions(known.options, options)) {
          known.line.applyOptions(options);
          known.options = options;
        }
      }
      for (const [id, known] of priceLines) {
        if (seen.has(id)) continue;
        candles.removePriceLine(known.line);
        priceLines.delete(id);
      }
    },
    setLineDrag(next) {
      drag = next;
      if (next === undefined) endDrag(false);
    },
    clear() {
      bars = [];
      candles.setData([]);
      volume.setData([]);
      for (const ind of live.values()) for (const s of ind.series) s.setData([]);
    },
    dispose() {
      endDrag(false);
      container.removeEventListener('pointerdown', onPointerDown, true);
      container.removeEventListener('pointermove', onPointerMove);
      container.removeEventListener('pointerup', onPointerUp);
      container.removeEventListener('pointercancel', onPointerCancel);
      window.removeEventListener('keydown', onKeyDown, true);
      chart.remove();
    },
  };
}
