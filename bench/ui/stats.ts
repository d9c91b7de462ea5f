// Summaries of the samples the page probe returns. Percentiles are bench/measure.ts's (the value at
// rank floor(p/100 * n) of the sorted samples), so `bench:ui` reads like `npm run bench`.
import { percentile } from '../measure';

/** Count, mean, p50, p95, p99 and max of a set of samples (all 0 when there are none). */
export interface Summary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Summarises `samples` (any order; not changed). Allocates one sorted copy. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = samples.filter((s) => Number.isFinite(s)).sort((a, b) => a - b);
  const count = sorted.length;
  if (count === 0) return { count: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  let sum = 0;
  for (const s of sorted) sum += s;
  return {
    count,
    mean: sum / count,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[count - 1] ?? 0,
  };
}

/** Long tasks (or long animation frames): how many, the worst, and their total, ms. */
export interface LongSummary {
  readonly count: number;
  readonly worst: number;
  readonly totalMs: number;
}

export function summarizeLong(entries: readonly { readonly duration: number }[]): LongSummary {
  let worst = 0;
  let total = 0;
  for (const e of entries) {
    worst = Math.max(worst, e.duration);
    total += e.duration;
  }
  return { count: entries.length, worst, totalMs: total };
}

/** One of the exchange's `tick pump {"event":"counts",…}` log lines. */
export interface PumpCounts {
  readonly at: number;
  readonly ticks: number;
  readonly traded: number;
  readonly skipped: number;
  readonly dropped: number;
  readonly ticker: { readonly frames: number; readonly packets: number };
}

/**
 * Rates a second between the first and the last counts line inside `[from, to]` (epoch ms), or
 * undefined when fewer than two lines fall inside.
 */
export function pumpRates(
  lines: readonly PumpCounts[],
  from: number,
  to: number,
):
  | {
      readonly seconds: number;
      readonly ticks: number;
      readonly traded: number;
      readonly packets: number;
      readonly dropped: number;
    }
  | undefined {
  const inside = lines.filter((l) => l.at >= from && l.at <= to).sort((a, b) => a.at - b.at);
  const first = inside[0];
  const last = inside.at(-1);
  if (first === undefined || last === undefined || last.at <= first.at) return undefined;
  const seconds = (last.at - first.at) / 1000;
  return {
    seconds,
    ticks: (last.ticks - first.ticks) / seconds,
    traded: (last.traded - first.traded) / seconds,
    packets: (last.ticker.packets - first.ticker.packets) / seconds,
    dropped: last.dropped - first.dropped,
  };
}

/** The counts lines in a process's log text (`[exchange PID] tick pump {…}` lines; others ignored). */
export function pumpCountsIn(log: string): PumpCounts[] {
  const out: PumpCounts[] = [];
  for (const line of log.split('\n')) {
    const at = line.indexOf('tick pump {');
    if (at < 0) continue;
    try {
      const parsed = JSON.parse(line.slice(at + 'tick pump '.length)) as Partial<PumpCounts> & {
        event?: string;
      };
      if (parsed.event === 'counts' && typeof parsed.at === 'number' && parsed.ticker !== undefined)
        out.push(parsed as PumpCounts);
    } catch {
      // A line cut by the pipe: the next one will do.
    }
  }
  return out;
}

/** The instruments of the exchange's `tick pump {"event":"start",…}` line, or undefined before it. */
export function pumpInstrumentsIn(log: string): { token: number; key: string }[] | undefined {
  for (const line of log.split('\n')) {
    const at = line.indexOf('tick pump {"event":"start"');
    if (at < 0) continue;
    try {
      const parsed = JSON.parse(line.slice(at + 'tick pump '.length)) as {
        instruments?: { token: number; key: string }[];
      };
      if (Array.isArray(parsed.instruments)) return parsed.instruments;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
