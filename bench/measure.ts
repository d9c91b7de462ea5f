// Measuring helpers for `npm run bench`. Every figure is reported next to a baseline measured in
// the same run: absolute times on shared machines are noise, ratios are not.

/** One line of the bench table. `value` and `baseline` share `unit`; lower is better unless `higherIsBetter`. */
export interface BenchRow {
  readonly suite: string;
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly baselineName: string;
  readonly baseline: number;
  readonly higherIsBetter?: boolean;
  /** The budget from ARCHITECTURE.md or the issue, in words, and whether this run met it. */
  readonly budget?: string;
  readonly withinBudget?: boolean;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Round-trip latency (p50, p99 in microseconds) of `n` sequential calls of `call`. */
export async function roundTrips(
  call: () => Promise<unknown>,
  n: number,
): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 500; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await call();
    samples.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** Nanoseconds per call of a synchronous function. */
export function perCall(fn: () => unknown, n: number): number {
  for (let i = 0; i < 10_000; i++) fn();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - t) / n;
}
