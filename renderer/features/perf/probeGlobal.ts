import { startPerfProbe } from './perfProbe';
import type { PerfProbe } from './perfProbe';

/** Where the installed probe is found: `window.__shrivenqPerf`. */
export const PERF_GLOBAL = '__shrivenqPerf';

/** Whether a page's query asks for the probe (`?perf=1`). */
export function perfProbeWanted(search: string): boolean {
  return new URLSearchParams(search).get('perf') === '1';
}

/** Installs the probe at `window.__shrivenqPerf`, once per page (an init script runs on each navigation). */
export function installPerfProbe(win: Window & typeof globalThis): PerfProbe {
  const slot = win as unknown as Record<string, PerfProbe | undefined>;
  const existing = slot[PERF_GLOBAL];
  if (existing !== undefined) return existing;
  const probe = startPerfProbe(win);
  slot[PERF_GLOBAL] = probe;
  return probe;
}
