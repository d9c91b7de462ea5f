// `npm run bench:ui -- [--seconds 60] [--tick-rate 2000] [--instruments 50] [...]` (args.ts): the
// terminal in web mode, in Debian's Chromium (headless), with the local exchange sending
// `--tick-rate` ticks a second over `--instruments` instruments that are all in the watchlist, and
// every panel open. Measured in the page by renderer/features/perf (an init script): frame times,
// long tasks, tick-to-screen. Baselines in the same run: a bare page's frames, and the same terminal
// page with no ticks. Prints a table like `npm run bench` and writes bench/results/ui.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import type { BrowserContext, Page } from '@playwright/test';
import { build } from 'esbuild';
import { z } from 'zod';
import { startWebMode } from '../../e2e/webMode';
import type { WebMode } from '../../e2e/webMode';
import { loadInstruments } from '../../electron/sim/exchange';
import { tickPumpInstruments } from '../../electron/sim/market';
import { formatIstDate } from '../../shared/time/ist';
import type { BenchRow } from '../measure';
import { parseUiBenchArgs } from './args';
import type { UiBenchArgs } from './args';
import { cpuSnapshot, cpuUse } from './cpu';
import type { CpuUse } from './cpu';
import { buildResolver, mainThreadSelfTimes, selfTimes } from './profile';
import type { CpuProfile, SelfTime, TraceEvent } from './profile';
import { connectRpc } from './rpc';
import { pumpCountsIn, pumpInstrumentsIn, pumpRates, summarize, summarizeLong } from './stats';
import type { LongSummary, Summary } from './stats';

const root = path.resolve(__dirname, '..', '..');
const resultsDir = path.join(root, 'bench', 'results');
const SUITE = 'ui';
const FRAME_BUDGET_MS = 16.7;
const LONG_TASK_MS = 50;
const TICK_TO_SCREEN_BUDGET_MS = 50;
/** The engine's quote stream conflates to the latest per instrument every 50 ms (shared/services/market.ts). */
const QUOTE_CONFLATION_MS = 50;
/** playwright.config.ts's browser and window. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const VIEWPORT = { width: 1600, height: 900 };
const WATCHLIST_KEY = 'shrivenq.watchlist.v1';
const LAYOUT_CACHE_KEY = 'shrivenq.layout.v1';
const BENCH_LAYOUT_NAME = 'bench-all-panels';

const stack = (id: string) => ({ kind: 'stack', panels: [id], active: 0 }) as const;
const split = (direction: 'row' | 'column', children: readonly (readonly [number, unknown])[]) => ({
  kind: 'split',
  direction,
  children: children.map(([size, node]) => ({ size, node })),
});
/**
 * Every panel of the terminal in a stack of its own, so each is on screen (none behind a tab): the
 * watchlist down the left, wide enough for all its columns, the rest in two rows beside it.
 */
const ALL_PANELS_LAYOUT = split('row', [
  [0.37, stack('watchlist')],
  [
    0.63,
    split('column', [
      [
        0.66,
        split('row', [
          [0.34, stack('chart')],
          [0.22, stack('ladder')],
          [
            0.22,
            split('column', [
              [0.45, stack('depth')],
              [0.55, stack('ticket')],
            ]),
          ],
          [
            0.22,
            split('column', [
              [0.34, stack('risk')],
              [0.33, stack('pnl')],
              [0.33, stack('engine')],
            ]),
          ],
        ]),
      ],
      [
        0.34,
        split('row', [
          [0.18, stack('orders')],
          [0.16, stack('trades')],
          [0.18, stack('positions')],
          [0.16, stack('holdings')],
          [0.16, stack('strategies')],
          [0.16, stack('log')],
        ]),
      ],
    ]),
  ],
]);

/** What renderer/features/perf's `end()` returns (validated here: it crosses from the page). */
const LongEntrySchema = z.object({
  start: z.number(),
  duration: z.number(),
  script: z.string().optional(),
  scriptMs: z.number().optional(),
  renderMs: z.number().optional(),
});
const PerfReportSchema = z.object({
  measuredMs: z.number(),
  frames: z.array(z.number()),
  longTasks: z.array(LongEntrySchema),
  longFrames: z.array(LongEntrySchema).optional(),
  ticks: z.object({
    toScreen: z.array(z.number()),
    toDom: z.array(z.number()),
    engineToScreen: z.array(z.number()),
    arrived: z.number(),
    shown: z.number(),
    waiting: z.number(),
    oldestWaitingMs: z.number(),
    overflowed: z.number(),
    quoteEvents: z.number(),
    quoteFrames: z.number(),
    followed: z.array(z.number()),
  }),
  probeMs: z.number(),
});
type PerfReport = z.infer<typeof PerfReportSchema>;

/** A visible panel of the page at the start of measuring. */
interface PanelSeen {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

/** One measured page, summarised. */
interface PageResult {
  readonly name: string;
  readonly seconds: number;
  readonly frames: Summary;
  readonly longTasks: LongSummary;
  readonly worstLongTasks: readonly { start: number; duration: number }[];
  readonly longFrames: LongSummary | undefined;
  readonly worstLongFrames: readonly {
    start: number;
    duration: number;
    script?: string | undefined;
    scriptMs?: number | undefined;
    renderMs?: number | undefined;
  }[];
  readonly toScreen: Summary;
  readonly toDom: Summary;
  readonly engineToScreen: Summary;
  readonly ticks: Omit<PerfReport['ticks'], 'toScreen' | 'toDom' | 'engineToScreen'>;
  readonly probeMsPerSecond: number;
  readonly panels: readonly PanelSeen[];
  readonly watchlistRows: number;
  readonly exchange?: ReturnType<typeof pumpRates>;
  readonly problems: readonly string[];
  /** CPU time of our processes and of the machine over the window (Linux /proc). */
  readonly cpu?: CpuUse;
  /** The CPU profile after the window, when taken: seconds, and self time by file and by function. */
  readonly profile?: {
    readonly seconds: number;
    readonly byFile: readonly SelfTime[];
    readonly byFunction: readonly SelfTime[];
    /** The same seconds traced (devtools.timeline): the main thread's self time by event. */
    readonly byTraceEvent: readonly SelfTime[];
    /** The main thread's traced work over the window's wall time. */
    readonly busyShare: number;
  };
}

/** A CPU profile of `page` for `seconds` (sampling every 0.5 ms), written beside the results. */
async function profilePage(
  context: BrowserContext,
  page: Page,
  seconds: number,
  sourceMaps: ReadonlyMap<string, string>,
): Promise<NonNullable<PageResult['profile']>> {
  const browser = context.browser();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await browser?.startTracing(page, { categories: ['devtools.timeline'] });
  await cdp.send('Profiler.start');
  await sleep(seconds * 1000);
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  const trace = await browser?.stopTracing();
  await cdp.detach();
  const traceEvents =
    trace === undefined
      ? []
      : (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  writeFileSync(path.join(resultsDir, 'ui-load.cpuprofile'), JSON.stringify(profile));
  const resolve = buildResolver(sourceMaps);
  const traced = mainThreadSelfTimes(traceEvents);
  return {
    seconds,
    byFile: selfTimes(profile, resolve, false).slice(0, 15),
    byFunction: selfTimes(profile, resolve, true).slice(0, 15),
    byTraceEvent: traced.slice(0, 15),
    busyShare: traced.reduce((sum, t) => sum + t.ms, 0) / (seconds * 1000),
  };
}

function log(line: string): void {
  process.stderr.write(`[bench:ui] ${line}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The probe as one script for page.addInitScript (an IIFE of renderer/features/perf/pageEntry.ts). */
async function bundleProbe(): Promise<string> {
  const out = await build({
    entryPoints: [path.join(root, 'renderer', 'features', 'perf', 'pageEntry.ts')],
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const file = out.outputFiles[0];
  if (file === undefined) throw new Error('esbuild produced no probe bundle');
  return file.text;
}

function summarise(
  name: string,
  report: PerfReport,
  extra: Pick<PageResult, 'panels' | 'watchlistRows' | 'problems'> & {
    exchange?: NonNullable<PageResult['exchange']>;
    profile?: NonNullable<PageResult['profile']>;
    cpu?: CpuUse;
  },
): PageResult {
  const seconds = report.measuredMs / 1000;
  const worst = <T extends { duration: number }>(xs: readonly T[]): T[] =>
    [...xs].sort((a, b) => b.duration - a.duration).slice(0, 5);
  const { toScreen, toDom, engineToScreen, ...ticks } = report.ticks;
  return {
    name,
    seconds,
    frames: summarize(report.frames),
    longTasks: summarizeLong(report.longTasks),
    worstLongTasks: worst(report.longTasks).map(({ start, duration }) => ({ start, duration })),
    longFrames: report.longFrames === undefined ? undefined : summarizeLong(report.longFrames),
    worstLongFrames: worst(report.longFrames ?? []).map(
      ({ start, duration, script, scriptMs, renderMs }) => ({
        start,
        duration,
        script,
        scriptMs,
        renderMs,
      }),
    ),
    toScreen: summarize(toScreen),
    toDom: summarize(toDom),
    engineToScreen: summarize(engineToScreen),
    ticks,
    probeMsPerSecond: report.probeMs / seconds,
    ...extra,
  };
}

async function measure(page: Page, seconds: number): Promise<PerfReport> {
  await page.evaluate('window.__shrivenqPerf.begin()');
  await sleep(seconds * 1000);
  return PerfReportSchema.parse(await page.evaluate('window.__shrivenqPerf.end(1000)'));
}

/** A page with nothing on it but the probe: what this browser on this machine does at best. */
async function measureBarePage(context: BrowserContext, probe: string, seconds: number): Promise<PageResult> {
  const page = await context.newPage();
  await page.setContent('<!doctype html><html><head><title>bare</title></head><body></body></html>');
  await page.addScriptTag({ content: probe });
  await sleep(1000);
  const report = await measure(page, seconds);
  await page.close();
  return summarise('bare page', report, { panels: [], watchlistRows: 0, problems: [] });
}

/** The instruments the pump ticks for `args` (the exchange logs its own choice; checked against this). */
function benchKeys(args: UiBenchArgs): string[] {
  return tickPumpInstruments(loadInstruments(formatIstDate(Date.now())), args.seed, args.instruments).map(
    (i) => `${i.exchange}:${i.tradingsymbol}`,
  );
}

async function until<T>(what: string, ms: number, find: () => Promise<T | undefined>): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = await find().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(500);
  }
}

async function startWeb(simArgs: string): Promise<WebMode> {
  // The exchange reads extra flags from SHRIVENQ_SIM_ARGS (electron/sim/host/args.ts); web mode's
  // processes inherit the environment.
  const before = process.env['SHRIVENQ_SIM_ARGS'];
  process.env['SHRIVENQ_SIM_ARGS'] = simArgs;
  try {
    return await startWebMode([], 240_000);
  } finally {
    if (before === undefined) delete process.env['SHRIVENQ_SIM_ARGS'];
    else process.env['SHRIVENQ_SIM_ARGS'] = before;
  }
}

/**
 * The terminal in web mode with `simArgs` for the exchange: the watchlist seeded with the bench's
 * instruments (the first selected: chart, depth, ladder and ticket follow it), every panel open,
 * warmed up, then measured for `seconds`.
 */
async function measureTerminal(
  context: BrowserContext,
  probe: string,
  args: UiBenchArgs,
  options: {
    readonly name: string;
    readonly simArgs: string;
    readonly seconds: number;
    readonly pump: boolean;
  },
): Promise<PageResult> {
  log(`${options.name}: starting web mode (exchange: ${options.simArgs})`);
  const web = await startWeb(options.simArgs);
  const rpc = await connectRpc(web.rpc);
  try {
    let keys = benchKeys(args);
    if (options.pump) {
      const logged = await until('the exchange to log its tick pump', 30_000, () =>
        Promise.resolve(pumpInstrumentsIn(web.logs.join(''))),
      );
      const loggedKeys = logged.map((i) => i.key);
      if (loggedKeys.join(',') !== keys.join(','))
        log(`the exchange ticks other instruments than computed; following its list (${loggedKeys.length})`);
      keys = loggedKeys;
    }
    const InstrumentsSchema = z.object({
      instruments: z.array(z.object({ exchange: z.string(), tradingsymbol: z.string() }).loose()),
    });
    const instruments = await until(
      `the engine to know the ${keys.length} instruments`,
      120_000,
      async () => {
        const r = InstrumentsSchema.parse(await rpc.call('market.lookup', { keys }));
        return r.instruments.length === keys.length ? r.instruments : undefined;
      },
    );
    const byKey = new Map(instruments.map((i) => [`${i.exchange}:${i.tradingsymbol}`, i]));
    const ordered = keys.map((k) => byKey.get(k));
    const first = ordered[0] as { instrumentToken?: number } | undefined;
    const layouts = { active: BENCH_LAYOUT_NAME, saved: { [BENCH_LAYOUT_NAME]: ALL_PANELS_LAYOUT } };
    await rpc.call('settings.set', { layouts }).catch((e: unknown) => {
      log(`settings.set layouts refused (${String(e)}); the page keeps its own layout`);
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await page.addInitScript({ content: probe });
    await page.addInitScript(
      ([storage]) => {
        for (const [k, v] of storage) window.localStorage.setItem(k, v);
      },
      [
        [
          [WATCHLIST_KEY, JSON.stringify({ instruments: ordered, selectedToken: first?.instrumentToken })],
          [LAYOUT_CACHE_KEY, JSON.stringify({ name: BENCH_LAYOUT_NAME, tree: ALL_PANELS_LAYOUT })],
        ],
      ] as const,
    );
    await page.goto(web.url);
    await page
      .locator('tr.wl-row')
      .nth(keys.length - 1)
      .waitFor({ timeout: 60_000 });
    await until('the feed to open', 60_000, async () =>
      ((await page.getByTestId('session-status').textContent()) ?? '').includes('feed open')
        ? true
        : undefined,
    );
    // The source maps of the scripts this page runs, for the profile (fetched by the page: its server, its auth).
    const sourceMaps = new Map(
      options.pump && args.profile
        ? await page.evaluate<[string, string][]>(`Promise.all(performance.getEntriesByType('resource')
            .map((e) => e.name).filter((n) => /\\.js($|\\?)/.test(n))
            .map((n) => fetch(n.replace(/\\?.*$/, '') + '.map').then((r) => (r.ok ? r.text() : ''), () => '')
              .then((t) => [n.replace(/\\?.*$/, '').replace(/^.*\\//, ''), t])))`)
        : [],
    );
    log(`${options.name}: page live; warming up ${args.warmupSeconds} s`);
    await sleep(args.warmupSeconds * 1000);
    const panels = await page.evaluate<
      PanelSeen[]
    >(`[...document.querySelectorAll('section.panel, [data-dock-panel]')]
      .filter((e) => e.matches('[data-dock-panel]') || e.closest('[data-dock-panel]') === null)
      .map((e) => ({ id: e.getAttribute('data-dock-panel') ?? e.getAttribute('data-testid') ?? e.className, r: e.getBoundingClientRect() }))
      .filter((p) => p.r.width > 0 && p.r.height > 0 && p.r.bottom > 0 && p.r.top < innerHeight)
      .map((p) => ({ id: p.id, width: Math.round(p.r.width), height: Math.round(p.r.height) }))`);
    const watchlistRows = await page.locator('tr.wl-row').count();
    log(`${options.name}: measuring ${options.seconds} s`);
    const from = Date.now();
    const cpuBefore = cpuSnapshot();
    const report = await measure(page, options.seconds);
    const cpu = cpuUse(cpuBefore, cpuSnapshot(), cpus().length);
    const to = Date.now() - 1000;
    mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: path.join(resultsDir, `ui-${options.pump ? 'load' : 'idle'}.png`) });
    const profile =
      options.pump && args.profile
        ? await profilePage(context, page, Math.min(10, options.seconds), sourceMaps)
        : undefined;
    await page.close();
    const counts = pumpCountsIn(web.logs.join(''));
    // Counts come every 5 s: a short run may hold only one line, then take the nearest around it.
    const exchange = options.pump
      ? (pumpRates(counts, from, to) ?? pumpRates(counts, from - 5_000, to + 5_000))
      : undefined;
    return summarise(options.name, report, {
      panels: uniquePanels(panels),
      watchlistRows,
      problems,
      ...(exchange === undefined ? {} : { exchange }),
      ...(profile === undefined ? {} : { profile }),
      cpu,
    });
  } finally {
    rpc.close();
    await web.stop();
  }
}

/** A dock panel wraps the feature's section: keep the outermost of each id. */
function uniquePanels(panels: readonly PanelSeen[]): PanelSeen[] {
  const seen = new Map<string, PanelSeen>();
  for (const p of panels) {
    const id = p.id.replace(/^panel\s+/, '');
    const before = seen.get(id);
    if (before === undefined || p.width * p.height > before.width * before.height) seen.set(id, { ...p, id });
  }
  return [...seen.values()];
}

function rowsOf(
  args: UiBenchArgs,
  bare: PageResult,
  idle: PageResult | undefined,
  load: PageResult,
): BenchRow[] {
  const base = idle ?? bare;
  const baseName = idle === undefined ? 'bare page' : 'idle terminal page';
  const load$ = `${args.tickRate}/s over ${args.instruments}`;
  const rows: BenchRow[] = [];
  for (const [p, label] of [
    ['p50', 'p50'],
    ['p95', 'p95'],
    ['p99', 'p99'],
    ['max', 'max'],
  ] as const) {
    rows.push({
      suite: SUITE,
      name: `frame time ${label}, terminal at ${load$}`,
      unit: 'ms',
      value: load.frames[p],
      baselineName: `${baseName} ${label}`,
      baseline: base.frames[p],
      ...(p === 'p95'
        ? { budget: `p95 <= ${FRAME_BUDGET_MS} ms`, withinBudget: load.frames.p95 <= FRAME_BUDGET_MS }
        : {}),
    });
  }
  if (idle !== undefined)
    rows.push({
      suite: SUITE,
      name: 'frame time p95, idle terminal page (no ticks)',
      unit: 'ms',
      value: idle.frames.p95,
      baselineName: 'bare page p95',
      baseline: bare.frames.p95,
    });
  rows.push({
    suite: SUITE,
    name: `long tasks > ${LONG_TASK_MS} ms in ${load.seconds.toFixed(0)} s`,
    unit: 'tasks',
    value: load.longTasks.count,
    baselineName: `${baseName}, ${base.seconds.toFixed(0)} s`,
    baseline: base.longTasks.count,
    budget: '0',
    withinBudget: load.longTasks.count === 0,
  });
  rows.push({
    suite: SUITE,
    name: 'worst long task',
    unit: 'ms',
    value: load.longTasks.worst,
    baselineName: baseName,
    baseline: base.longTasks.worst,
  });
  if (load.longFrames !== undefined && base.longFrames !== undefined)
    rows.push({
      suite: SUITE,
      name: `long animation frames > ${LONG_TASK_MS} ms`,
      unit: 'frames',
      value: load.longFrames.count,
      baselineName: baseName,
      baseline: base.longFrames.count,
    });
  const oneFrame = base.frames.p50;
  for (const [p, label] of [
    ['p50', 'p50'],
    ['p95', 'p95'],
    ['p99', 'p99'],
  ] as const)
    rows.push({
      suite: SUITE,
      name: `tick-to-screen ${label} (${load.toScreen.count} trade ticks)`,
      unit: 'ms',
      value: load.toScreen[p],
      baselineName: `one frame (${baseName} p50)`,
      baseline: oneFrame,
      ...(p === 'p95'
        ? {
            budget: `p95 <= ${TICK_TO_SCREEN_BUDGET_MS} ms`,
            withinBudget: load.toScreen.p95 <= TICK_TO_SCREEN_BUDGET_MS,
          }
        : {}),
    });
  rows.push({
    suite: SUITE,
    name: 'tick-to-DOM p95 (arrival -> the cell changed)',
    unit: 'ms',
    value: load.toDom.p95,
    baselineName: `one frame (${baseName} p50)`,
    baseline: oneFrame,
  });
  rows.push({
    suite: SUITE,
    name: 'engine-to-screen p95 (engine receipt -> frame; includes the stream conflation)',
    unit: 'ms',
    value: load.engineToScreen.p95,
    baselineName: 'the quote stream conflation interval',
    baseline: QUOTE_CONFLATION_MS,
  });
  if (load.exchange !== undefined)
    rows.push({
      suite: SUITE,
      name: `exchange ticks sent (over ${load.exchange.seconds.toFixed(0)} s)`,
      unit: 'ticks/s',
      value: load.exchange.ticks,
      baselineName: 'asked (--tick-rate)',
      baseline: args.tickRate,
      higherIsBetter: true,
      budget: '>= 95% of asked',
      withinBudget: load.exchange.ticks >= 0.95 * args.tickRate,
    });
  rows.push({
    suite: SUITE,
    name: 'quote events reaching the page',
    unit: 'events/s',
    value: load.ticks.quoteEvents / load.seconds,
    baselineName: load.exchange === undefined ? 'no exchange counts' : 'packets the exchange sent the engine',
    baseline: load.exchange?.packets ?? 0,
    higherIsBetter: true,
  });
  rows.push({
    suite: SUITE,
    name: "the probe's own time in the page",
    unit: 'ms/s',
    value: load.probeMsPerSecond,
    baselineName: baseName,
    baseline: base.probeMsPerSecond,
  });
  return rows;
}

function printTable(rows: readonly BenchRow[]): void {
  console.log('| suite | figure | value | baseline | ratio | budget |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    const budget = r.budget === undefined ? '' : `${r.budget}: ${r.withinBudget === true ? 'met' : 'MISSED'}`;
    const ratio = r.baseline === 0 ? '—' : `${(r.value / r.baseline).toFixed(2)}x`;
    console.log(
      `| ${r.suite} | ${r.name} | ${r.value.toFixed(2)} ${r.unit} | ${r.baselineName}: ${r.baseline.toFixed(2)} ${r.unit} | ${ratio} | ${budget} |`,
    );
  }
}

const MEASURED = `What is measured (in the page, by renderer/features/perf):
- frame time: the time between consecutive requestAnimationFrame callbacks (a 60 Hz display gives 16.7 ms;
  a longer one is a dropped or late frame). p50/p95/p99/max over every frame of the window.
- long tasks: PerformanceObserver('longtask') entries (main-thread tasks over 50 ms), count and the worst;
  long animation frames: PerformanceObserver('long-animation-frame'), frames whose work took over 50 ms.
- tick-to-screen: for each trade tick of an instrument whose watchlist row is in view (its volume grew),
  from the MessageEvent of the engine WebSocket frame that carried it (event.timeStamp; the probe's
  listener runs before the app's) to the first requestAnimationFrame after that row's volume cell showed
  that volume or more (MutationObserver), i.e. the frame after the one that painted it. A frame that waits
  behind a long task is stamped when it is dispatched, so waiting in the page's queue shows in
  engine-to-screen, not here. Ticks the engine
  conflated away never reach the page and are not counted; engine-to-screen starts at the engine's receipt
  (Quote.receivedAt, same machine clock) and so includes the stream's 50 ms conflation.
- baselines, same run and browser: the same terminal page with the exchange's agents off (no ticks), and a
  bare page running only the probe.
- CPU: user + system time of each process the bench started (/proc), in cores over the window, beside the
  whole machine's; with 2 shared cores, frames are late when the renderer is starved as well as when it is slow.
- profile (after the window, same load, so its cost is not in the figures): V8 self time by source file and
  function (through the build's source maps) and a devtools.timeline trace of the renderer main thread.`;

async function main(): Promise<void> {
  let args: UiBenchArgs;
  try {
    args = parseUiBenchArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
  const load1 = loadavg()[0] ?? 0;
  const probe = await bundleProbe();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  try {
    const context = await browser.newContext({ viewport: VIEWPORT });
    log(`bare page: measuring ${args.baselineSeconds} s`);
    const bare = await measureBarePage(context, probe, args.baselineSeconds);
    const idle = args.idle
      ? await measureTerminal(context, probe, args, {
          name: 'idle terminal page',
          simArgs: `--seed ${args.seed} --activity 0`,
          seconds: args.baselineSeconds,
          pump: false,
        })
      : undefined;
    const load = await measureTerminal(context, probe, args, {
      name: 'terminal under load',
      simArgs: `--seed ${args.seed} --tick-rate ${args.tickRate} --tick-instruments ${args.instruments}`,
      seconds: args.seconds,
      pump: true,
    });
    const rows = rowsOf(args, bare, idle, load);
    console.log('');
    console.log(
      `p95 frame ${load.frames.p95.toFixed(1)} ms (idle page ${idle === undefined ? 'not run' : `${idle.frames.p95.toFixed(1)} ms`}, bare page ${bare.frames.p95.toFixed(1)} ms); ` +
        `long tasks > 50 ms: ${load.longTasks.count} (worst ${load.longTasks.worst.toFixed(0)} ms); ` +
        `tick-to-screen p95 ${load.toScreen.p95.toFixed(1)} ms over ${load.toScreen.count} ticks`,
    );
    console.log(
      `panels open: ${load.panels.map((p) => `${p.id} ${p.width}x${p.height}`).join(', ')}; watchlist rows ${load.watchlistRows}, ${load.ticks.followed.length} in view (followed)`,
    );
    if (load.ticks.waiting > 0 || load.ticks.overflowed > 0)
      console.log(
        `ticks not shown by the end: ${load.ticks.waiting} (oldest ${load.ticks.oldestWaitingMs.toFixed(0)} ms), dropped from full queues: ${load.ticks.overflowed}`,
      );
    const problems = [...(idle?.problems ?? []), ...load.problems];
    if (problems.length > 0) console.log(`page errors: ${problems.slice(0, 5).join(' | ')}`);
    const cpuLine = (r: PageResult | undefined): string =>
      r?.cpu === undefined
        ? 'not measured'
        : `${r.cpu.byRole.map((x) => `${x.role} ${x.cores.toFixed(2)}`).join(', ')}; ours ${r.cpu.ours.toFixed(2)} of the machine's ${r.cpu.machine?.toFixed(2) ?? '?'} busy (${r.cpu.machineCores ?? '?'} cores)`;
    console.log(`CPU in cores over the window, under load: ${cpuLine(load)}`);
    if (idle !== undefined) console.log(`CPU in cores, idle page: ${cpuLine(idle)}`);
    if (load.profile !== undefined) {
      const row = (t: SelfTime) =>
        `  ${(t.share * 100).toFixed(1).padStart(5)}%  ${t.ms.toFixed(0).padStart(6)} ms  ${t.where}`;
      console.log(
        `\nthe page's main thread under load, CPU profile of ${load.profile.seconds} s after the window (self time; bench/results/ui-load.cpuprofile):`,
      );
      console.log(
        "by file ((program) is the browser's own work outside JavaScript: style, layout, paint; the trace below splits it):",
      );
      for (const t of load.profile.byFile.slice(0, 10)) console.log(row(t));
      console.log('by function:');
      for (const t of load.profile.byFunction.slice(0, 10)) console.log(row(t));
      console.log(
        `by trace event (the same seconds: the main thread was busy ${(load.profile.busyShare * 100).toFixed(0)}% of the time; share of its busy time):`,
      );
      for (const t of load.profile.byTraceEvent.slice(0, 10)) console.log(row(t));
    }
    console.log(`machine: ${cpus().length} cores, load average ${load1.toFixed(2)} at the start`);
    console.log('');
    printTable(rows);
    console.log('');
    console.log(MEASURED);
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(
      path.join(resultsDir, 'ui.json'),
      JSON.stringify(
        {
          at: new Date().toISOString(),
          node: process.versions.node,
          chromium: browser.version(),
          machine: { cores: cpus().length, loadAverage1m: load1 },
          args,
          rows,
          pages: { bare, idle, load },
        },
        null,
        2,
      ),
    );
    console.log(`\nwrote bench/results/ui.json (screenshots: bench/results/ui-load.png, ui-idle.png)`);
  } finally {
    await browser.close();
  }
  process.exit(0);
}

void main();
