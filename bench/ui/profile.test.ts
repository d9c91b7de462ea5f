import { describe, expect, it } from 'vitest';
import { mainThreadSelfTimes, selfTimes, sourceLabel } from './profile';
import type { CpuProfile, Resolve } from './profile';

describe('sourceLabel', () => {
  it('names repo files from renderer/ or shared/, and packages by name', () => {
    expect(sourceLabel('../../../renderer/features/chart/candleChart.ts')).toBe(
      'renderer/features/chart/candleChart.ts',
    );
    expect(sourceLabel('../../../shared/rpc/client.ts')).toBe('shared/rpc/client.ts');
    expect(sourceLabel('../../../node_modules/lightweight-charts/dist/x.mjs')).toBe('lightweight-charts');
    expect(sourceLabel('../../../node_modules/@tanstack/react-x/dist/y.js')).toBe('@tanstack/react-x');
  });
});

describe('selfTimes', () => {
  const frame = (functionName: string, url = '', lineNumber = 0, columnNumber = 0) => ({
    functionName,
    url,
    lineNumber,
    columnNumber,
  });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)') },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('a', 'http://h/assets/index.js', 0, 10) },
      { id: 4, callFrame: frame('b', 'http://h/assets/index.js', 0, 20) },
      { id: 5, callFrame: frame('c', 'http://h/assets/other.js', 3, 1) },
    ],
    // Each sample lasts until the next: 3 -> 1 ms, 4 -> 2 ms, 3 -> 1 ms, 2 -> 4 ms, 5 -> 2 ms (the last has none after it).
    samples: [3, 4, 3, 2, 5, 5],
    timeDeltas: [0, 1000, 2000, 1000, 4000, 2000],
    startTime: 0,
    endTime: 10_000,
  };
  const resolve: Resolve = (url, _line, column) =>
    url.endsWith('index.js')
      ? {
          source: '../../renderer/features/watchlist/watchlistQuotes.ts',
          name: column === 10 ? 'paint' : null,
        }
      : undefined;

  it('sums self time per source file through the map, biggest first', () => {
    expect(selfTimes(profile, resolve, false)).toEqual([
      { where: 'renderer/features/watchlist/watchlistQuotes.ts', ms: 4, share: 0.4 },
      { where: '(idle)', ms: 4, share: 0.4 },
      { where: 'other.js', ms: 2, share: 0.2 },
    ]);
  });

  it('or per function, with the generated name when the map has none', () => {
    expect(selfTimes(profile, resolve, true).map((s) => [s.where, s.ms])).toEqual([
      ['(idle)', 4],
      ['renderer/features/watchlist/watchlistQuotes.ts paint', 2],
      ['renderer/features/watchlist/watchlistQuotes.ts b', 2],
      ['other.js c', 2],
    ]);
  });
});

describe('mainThreadSelfTimes', () => {
  const meta = (pid: number, tid: number, name: string) => ({
    name: 'thread_name',
    ph: 'M',
    pid,
    tid,
    ts: 0,
    args: { name },
  });
  const x = (name: string, ts: number, dur: number, tid = 1) => ({ name, ph: 'X', pid: 10, tid, ts, dur });

  it('takes nested events out of their parent, on the renderer main thread only', () => {
    const events = [
      meta(10, 1, 'CrRendererMain'),
      meta(10, 2, 'Compositor'),
      x('RunTask', 0, 10_000),
      x('FunctionCall', 1_000, 6_000),
      x('Layout', 2_000, 3_000), // forced inside the script
      x('Paint', 8_000, 1_000),
      x('RunTask', 20_000, 2_000),
      x('UpdateLayoutTree', 20_000, 2_000), // starts with its parent
      x('Paint', 0, 50_000, 2), // another thread
    ];
    expect(mainThreadSelfTimes(events)).toEqual([
      { where: 'FunctionCall', ms: 3, share: 0.25 },
      { where: 'Layout', ms: 3, share: 0.25 },
      { where: 'RunTask', ms: 3, share: 0.25 },
      { where: 'UpdateLayoutTree', ms: 2, share: 2 / 12 },
      { where: 'Paint', ms: 1, share: 1 / 12 },
    ]);
  });
});
