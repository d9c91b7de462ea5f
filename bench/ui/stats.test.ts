import { describe, expect, it } from 'vitest';
import { pumpCountsIn, pumpInstrumentsIn, pumpRates, summarize, summarizeLong } from './stats';

describe('summarize', () => {
  it('gives the rank floor(p/100 * n) of the sorted samples, as npm run bench does', () => {
    const samples = Array.from({ length: 100 }, (_, k) => 100 - k); // 100 .. 1, unsorted
    expect(summarize(samples)).toEqual({ count: 100, mean: 50.5, p50: 51, p95: 96, p99: 100, max: 100 });
    expect(samples[0]).toBe(100); // not sorted in place
  });

  it('handles one sample, none, and drops what is not a number', () => {
    expect(summarize([16.7])).toEqual({ count: 1, mean: 16.7, p50: 16.7, p95: 16.7, p99: 16.7, max: 16.7 });
    expect(summarize([])).toEqual({ count: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 });
    expect(summarize([Number.NaN, 2, Infinity]).count).toBe(1);
  });

  it('a tail of slow frames moves p99 and max, not p50', () => {
    const frames = [...new Array<number>(990).fill(16.7), ...new Array<number>(10).fill(120)];
    const s = summarize(frames);
    expect(s.p50).toBe(16.7);
    expect(s.p95).toBe(16.7);
    expect(s.p99).toBe(120);
    expect(s.max).toBe(120);
  });
});

describe('summarizeLong', () => {
  it('counts, the worst and the total', () => {
    expect(summarizeLong([{ duration: 60 }, { duration: 120 }, { duration: 51 }])).toEqual({
      count: 3,
      worst: 120,
      totalMs: 231,
    });
    expect(summarizeLong([])).toEqual({ count: 0, worst: 0, totalMs: 0 });
  });
});

describe('the exchange log', () => {
  const counts = (at: number, ticks: number, packets: number) =>
    `[exchange 42] tick pump ${JSON.stringify({ event: 'counts', at, ticks, traded: ticks, skipped: 0, dropped: 0, ticker: { frames: 1, packets } })}`;
  const log = [
    '[serve] engine ready (pid 41)',
    `[exchange 42] tick pump ${JSON.stringify({ event: 'start', at: 0, instruments: [{ token: 408065, key: 'NSE:INFY' }] })}`,
    counts(5_000, 9_000, 9_500),
    counts(10_000, 19_000, 20_000),
    '[exchange 42] tick pump {"event":"cou', // cut short
    counts(15_000, 29_000, 30_500),
    counts(20_000, 39_000, 41_000),
  ].join('\n');

  it('reads the instruments and the counts lines', () => {
    expect(pumpInstrumentsIn(log)).toEqual([{ token: 408065, key: 'NSE:INFY' }]);
    expect(pumpInstrumentsIn('[serve] nothing')).toBeUndefined();
    expect(pumpCountsIn(log).map((c) => c.at)).toEqual([5_000, 10_000, 15_000, 20_000]);
  });

  it('rates between the first and last lines inside the window', () => {
    const lines = pumpCountsIn(log);
    expect(pumpRates(lines, 6_000, 20_000)).toEqual({
      seconds: 10,
      ticks: 2_000,
      traded: 2_000,
      packets: 2_100,
      dropped: 0,
    });
    expect(pumpRates(lines, 6_000, 12_000)).toBeUndefined();
  });
});
