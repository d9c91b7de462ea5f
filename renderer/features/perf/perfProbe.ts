// The in-page perf probe (`npm run bench:ui` installs it before the page's own scripts). It measures
// in the page, with no change to the app: frame times from requestAnimationFrame, long tasks and
// long animation frames from PerformanceObserver, and tick-to-screen by watching the engine's
// WebSocket (a WebSocket subclass that listens first) and the watchlist's volume cells (a
// MutationObserver). Nothing in the app imports it, so it costs nothing unless installed.
import { TickLedger, quotesInFrame, volumeOfText } from './tickLedger';
import type { TickSamples } from './tickLedger';

/** A long task or long animation frame: when it started (page ms) and how long it ran. */
export interface LongEntry {
  readonly start: number;
  readonly duration: number;
  /**
   * Long animation frames: the script that ran longest in it, when known: what invoked it (a
   * listener, a timer, a promise), `sourceURL:function@char offset`, and its own ms.
   */
  readonly script?: string;
  /** Long animation frames: ms of script in all, and of the rendering (style, layout, paint) after it. */
  readonly scriptMs?: number;
  readonly renderMs?: number;
}

/** What the probe measured between `begin` and `end`; plain data, for page.evaluate. */
export interface PerfReport {
  readonly measuredMs: number;
  /** requestAnimationFrame deltas, ms. */
  readonly frames: number[];
  /** PerformanceObserver('longtask'): tasks over 50 ms. */
  readonly longTasks: LongEntry[];
  /** PerformanceObserver('long-animation-frame'), where the browser has it (undefined otherwise). */
  readonly longFrames: LongEntry[] | undefined;
  readonly ticks: TickSamples & {
    /** Trade ticks followed (arrived while measuring, on followed rows) and of those shown. */
    readonly arrived: number;
    readonly shown: number;
    /** Followed but not shown by `end` (after its grace), and the oldest's age then. */
    readonly waiting: number;
    readonly oldestWaitingMs: number;
    readonly overflowed: number;
    /** Quote events of any kind that reached the page while measuring. */
    readonly quoteEvents: number;
    /** Engine frames that held quotes. */
    readonly quoteFrames: number;
    /** Rows followed: the watchlist rows in view at `begin` (tokens). */
    readonly followed: number[];
  };
  /** Time the probe's own handlers took while measuring (frame parse, mutations, rAF), ms. */
  readonly probeMs: number;
}

/** The probe's handle, at `window.__shrivenqPerf` when the bench installs it. */
export interface PerfProbe {
  /** Starts measuring (frame times, long tasks, ticks arriving from now on). */
  begin(): void;
  /** Stops, waits `graceMs` for ticks already in flight to show, and reports. */
  end(graceMs?: number): Promise<PerfReport>;
  /** Removes the observers and the frame loop (the WebSocket subclass stays for sockets it made). */
  dispose(): void;
}

/** The page's `window` as the probe uses it. */
type ProbeWindow = Window & typeof globalThis;

const WATCHLIST_GRID = 'watchlist-grid';

/**
 * The watchlist rows whose volume cell (what tick-to-screen watches) is at least partly inside both
 * the watchlist's scroll area and the viewport: a row scrolled away, or a column cut off by a narrow
 * panel, is not on screen.
 */
function rowsInView(win: ProbeWindow): number[] {
  const grid = win.document.getElementById(WATCHLIST_GRID);
  if (grid === null) return [];
  const area = grid.getBoundingClientRect();
  const top = Math.max(area.top, 0);
  const bottom = Math.min(area.bottom, win.innerHeight);
  const left = Math.max(area.left, 0);
  const right = Math.min(area.right, win.innerWidth);
  const out: number[] = [];
  for (const row of grid.querySelectorAll<HTMLElement>('tr[data-token]')) {
    const cell = row.querySelector('[data-field="volume"]');
    const r = cell?.getBoundingClientRect();
    if (
      r !== undefined &&
      r.bottom > top &&
      r.top < bottom &&
      r.right > left &&
      r.left < right &&
      r.height > 0
    )
      out.push(Number(row.dataset['token']));
  }
  return out;
}

/**
 * Installs the probe in `win`. Must run before the page opens its engine WebSocket (an init script),
 * or ticks are not seen; frame times and long tasks work whenever it starts.
 */
export function startPerfProbe(win: ProbeWindow): PerfProbe {
  const perf = win.performance;
  let measuring = false;
  let begunAt = 0;
  let frames: number[] = [];
  let longTasks: LongEntry[] = [];
  let longFrames: LongEntry[] | undefined;
  let probeMs = 0;
  let quoteEvents = 0;
  let quoteFrames = 0;
  let ledger = new TickLedger(perf.timeOrigin);
  let followed: number[] = [];

  const timed = <A extends unknown[]>(fn: (...args: A) => void) =>
    function (...args: A): void {
      const t = perf.now();
      fn(...args);
      if (measuring) probeMs += perf.now() - t;
    };

  // The engine's socket: listen before the app does, so the arrival time is the event's.
  const onMessage = timed((event: MessageEvent) => {
    if (typeof event.data !== 'string') return;
    const quotes = quotesInFrame(event.data);
    if (quotes === undefined) return;
    const at = event.timeStamp > 0 ? event.timeStamp : perf.now();
    if (measuring) {
      quoteFrames++;
      quoteEvents += quotes.length;
    }
    for (const q of quotes) ledger.arrive(q, at);
  });
  const NativeWebSocket = win.WebSocket;
  class ProbedWebSocket extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', onMessage);
    }
  }
  win.WebSocket = ProbedWebSocket;

  // The watchlist's volume cells: the quote bridge sets their text once per frame.
  const onMutations = timed((records: MutationRecord[]) => {
    const at = perf.now();
    for (const r of records) {
      const cell = r.target instanceof win.HTMLElement ? r.target : r.target.parentElement;
      if (cell?.dataset['field'] !== 'volume') continue;
      const token = Number(cell.parentElement?.dataset['token']);
      const volume = volumeOfText(cell.textContent);
      if (Number.isFinite(token) && volume !== undefined) ledger.show(token, volume, at);
    }
  });
  const mutations = new win.MutationObserver(onMutations);
  let watched: Element | null = null;
  const watch = (): void => {
    const grid = win.document.getElementById(WATCHLIST_GRID);
    if (grid === watched) return;
    mutations.disconnect();
    watched = grid;
    if (grid !== null) mutations.observe(grid, { subtree: true, childList: true, characterData: true });
  };

  let last = -1;
  let handle = 0;
  const onFrame = timed((now: number) => {
    if (measuring && last >= 0) frames.push(now - last);
    last = now;
    ledger.frame(now);
    watch();
  });
  const loop = (now: number): void => {
    onFrame(now);
    handle = win.requestAnimationFrame(loop);
  };
  handle = win.requestAnimationFrame(loop);

  const observers: PerformanceObserver[] = [];
  const observe = (type: string, sink: (entry: PerformanceEntry) => void): boolean => {
    if (!win.PerformanceObserver.supportedEntryTypes.includes(type)) return false;
    const o = new win.PerformanceObserver((list) => {
      if (!measuring) return;
      for (const e of list.getEntries()) if (e.startTime >= begunAt) sink(e);
    });
    o.observe({ type, buffered: false });
    observers.push(o);
    return true;
  };
  observe('longtask', (e) => {
    longTasks.push({ start: e.startTime, duration: e.duration });
  });
  const hasLongFrames = observe('long-animation-frame', (e) => {
    const frame = e as PerformanceEntry & { scripts?: readonly ScriptTiming[]; renderStart?: number };
    const scripts = frame.scripts ?? [];
    let top: ScriptTiming | undefined;
    let scriptMs = 0;
    for (const s of scripts) {
      scriptMs += s.duration;
      if (top === undefined || s.duration > top.duration) top = s;
    }
    const renderStart = frame.renderStart ?? 0;
    longFrames?.push({
      start: e.startTime,
      duration: e.duration,
      scriptMs,
      renderMs: renderStart > 0 ? e.startTime + e.duration - renderStart : 0,
      ...(top === undefined
        ? {}
        : {
            script: `${top.invokerType ?? '?'} ${top.invoker ?? '?'} ${top.sourceURL}:${top.sourceFunctionName}@${top.sourceCharPosition ?? -1} ${top.duration.toFixed(0)} ms`,
          }),
    });
  });

  return {
    begin() {
      frames = [];
      longTasks = [];
      longFrames = hasLongFrames ? [] : undefined;
      probeMs = 0;
      quoteEvents = 0;
      quoteFrames = 0;
      followed = rowsInView(win);
      ledger = new TickLedger(perf.timeOrigin, followed.length > 0 ? new Set(followed) : undefined);
      ledger.start();
      begunAt = perf.now();
      last = -1;
      measuring = true;
    },
    async end(graceMs = 1_000) {
      const endedAt = perf.now();
      ledger.stop();
      const kept = { frames, longTasks, longFrames, probeMs, quoteEvents, quoteFrames };
      measuring = false;
      // Ticks that arrived just before the end get a moment to show.
      await new Promise((resolve) => setTimeout(resolve, graceMs));
      const waiting = ledger.waiting(perf.now());
      return {
        measuredMs: endedAt - begunAt,
        frames: kept.frames,
        longTasks: kept.longTasks,
        longFrames: kept.longFrames,
        ticks: {
          ...ledger.samples,
          arrived: ledger.arrived,
          shown: ledger.shown,
          waiting: waiting.count,
          oldestWaitingMs: waiting.count === 0 ? 0 : waiting.oldestMs,
          overflowed: ledger.overflowed,
          quoteEvents: kept.quoteEvents,
          quoteFrames: kept.quoteFrames,
          followed,
        },
        probeMs: kept.probeMs,
      };
    },
    dispose() {
      win.cancelAnimationFrame(handle);
      mutations.disconnect();
      for (const o of observers) o.disconnect();
    },
  };
}

/** The part of a long animation frame's script entry the probe reads (not in TypeScript's DOM types yet). */
interface ScriptTiming {
  readonly duration: number;
  readonly sourceURL: string;
  readonly sourceFunctionName: string;
  readonly sourceCharPosition?: number;
  readonly invoker?: string;
  readonly invokerType?: string;
}
