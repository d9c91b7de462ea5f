// Where the page's main thread spends its time under load: a V8 CPU profile (Chrome DevTools
// Protocol `Profiler`) of the page, its self time summed per original source file through the
// renderer build's source maps; and a trace's main-thread self time per event (script, style, layout,
// paint).
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';

/** The parts of a DevTools `Profiler.Profile` read here. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
      readonly columnNumber: number;
    };
  }[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** One place and the self time spent in it, ms, and its share of the profile. */
export interface SelfTime {
  readonly where: string;
  readonly ms: number;
  readonly share: number;
}

/** Maps a generated position (0-based line and column, as DevTools gives them) to its source. */
export type Resolve = (
  url: string,
  line: number,
  column: number,
) => { readonly source: string; readonly name: string | null } | undefined;

/** `renderer/features/chart/candleChart.ts`, or a package's name for what comes from node_modules. */
export function sourceLabel(source: string): string {
  const modules = source.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = source.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') === true ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? source);
  }
  const renderer = source.indexOf('renderer/');
  if (renderer >= 0) return source.slice(renderer);
  const shared = source.indexOf('shared/');
  return shared >= 0 ? source.slice(shared) : source.replace(/^(\.\.\/)+/, '');
}

/**
 * Self time per place: per source file (`byFunction` false) or per file and function, biggest first.
 * Samples are timed by the delta to the next sample; V8's own entries keep their names ((program),
 * (garbage collector), (idle)); code with no source map is named by its URL.
 */
export function selfTimes(profile: CpuProfile, resolve: Resolve, byFunction: boolean): SelfTime[] {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const where = new Map<number, string>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    let label: string;
    if (f.url === '') label = f.functionName === '' ? '(anonymous native)' : f.functionName;
    else {
      const r = resolve(f.url, f.lineNumber, f.columnNumber);
      const file = r === undefined ? f.url.replace(/^.*\//, '') : sourceLabel(r.source);
      const name = r?.name ?? (f.functionName === '' ? '(anonymous)' : f.functionName);
      label = byFunction ? `${file} ${name}` : file;
    }
    where.set(n.id, label);
  }
  const totals = new Map<string, number>();
  let all = 0;
  for (let k = 0; k < samples.length; k++) {
    // timeDeltas[k] is the time from sample k-1 to k: sample k lasts until the next one.
    const us = deltas[k + 1] ?? 0;
    const label = where.get(samples[k] ?? -1) ?? '(unknown)';
    totals.set(label, (totals.get(label) ?? 0) + us);
    all += us;
  }
  return [...totals]
    .map(([w, us]) => ({ where: w, ms: us / 1000, share: all === 0 ? 0 : us / all }))
    .sort((a, b) => b.ms - a.ms);
}

/**
 * Resolves positions in the page's scripts through their source maps, given as text by script file
 * name (`index-AbC123.js` -> its `.js.map`). The bench fetches them from the page's own server when
 * the page has loaded: the build on disk may be replaced meanwhile (another web mode rebuilding).
 */
export function buildResolver(mapTexts: ReadonlyMap<string, string>): Resolve {
  const maps = new Map<string, TraceMap | null>();
  return (url, line, column) => {
    const file = url.replace(/[?#].*$/, '').replace(/^.*\//, '');
    let map = maps.get(file);
    if (map === undefined) {
      const text = mapTexts.get(file);
      map = text === undefined || text === '' ? null : new TraceMap(text);
      maps.set(file, map);
    }
    if (map === null) return undefined;
    const p = originalPositionFor(map, { line: line + 1, column });
    return p.source === null ? undefined : { source: p.source, name: p.name };
  };
}

/** A Chrome trace event, as `browser.stopTracing()` gives them (the parts read here). */
export interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly args?: { readonly name?: string };
}

/**
 * Self time per trace event name on the busiest renderer main thread (`CrRendererMain`), ms,
 * biggest first: each complete ('X') event's duration less the events nested in it, so a forced
 * Layout inside a FunctionCall is counted once, as Layout.
 */
export function mainThreadSelfTimes(events: readonly TraceEvent[]): SelfTime[] {
  const mains = new Set<string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      mains.add(`${e.pid}:${e.tid}`);
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph !== 'X' || e.dur === undefined || !mains.has(key)) continue;
    let list = byThread.get(key);
    if (list === undefined) {
      list = [];
      byThread.set(key, list);
    }
    list.push(e);
  }
  let busiest: TraceEvent[] = [];
  let most = -1;
  for (const list of byThread.values()) {
    const total = list.reduce((s, e) => s + (e.dur ?? 0), 0);
    if (total > most) {
      most = total;
      busiest = list;
    }
  }
  // Parents before children: by start, the longer first when two start together.
  busiest.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const open: { end: number; name: string }[] = [];
  let all = 0;
  for (const e of busiest) {
    const dur = e.dur ?? 0;
    while (open.length > 0 && (open.at(-1)?.end ?? 0) <= e.ts) open.pop();
    const parent = open.at(-1);
    if (parent !== undefined) self.set(parent.name, (self.get(parent.name) ?? 0) - dur);
    else all += dur;
    self.set(e.name, (self.get(e.name) ?? 0) + dur);
    open.push({ end: e.ts + dur, name: e.name });
  }
  return [...self]
    .map(([where, us]) => ({ where, ms: us / 1000, share: all === 0 ? 0 : us / all }))
    .filter((s) => s.ms > 0)
    .sort((a, b) => b.ms - a.ms || a.where.localeCompare(b.where));
}
