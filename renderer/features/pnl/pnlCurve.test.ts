import { describe, expect, it } from 'vitest';
import type { PnlView } from '../../../shared/services/portfolio';
import { fakeFrames } from '../market/fakeFrames';
import { appendPoint, curvePointOf, startPnlCurve } from './pnlCurve';
import type { CurvePoint } from './pnlCurve';

const at = Date.parse('2026-11-24T04:00:00.000Z'); // 09:30 IST
const pnl = (ms: number, net: number): PnlView => ({
  realized: 0,
  unrealized: net,
  charges: 0,
  net,
  at: at + ms,
});

describe('the intraday equity curve', () => {
  it('is the net P&L in rupees on the IST wall clock, a point a second', () => {
    expect(curvePointOf(pnl(0, -12_345))).toEqual({ time: at / 1000 + 19_800, value: -123.45 });
    const points: CurvePoint[] = [];
    expect(appendPoint(points, { time: 10, value: 1 })).toBe('appended');
    expect(appendPoint(points, { time: 10, value: 2 })).toBe('replaced');
    expect(appendPoint(points, { time: 10, value: 2 })).toBe('ignored');
    expect(appendPoint(points, { time: 9, value: 3 })).toBe('ignored');
    expect(appendPoint(points, { time: 11, value: 3 })).toBe('appended');
    expect(points).toEqual([
      { time: 10, value: 2 },
      { time: 11, value: 3 },
    ]);
    for (let t = 12; t < 20; t++) appendPoint(points, { time: t, value: t }, 5);
    expect(points.map((p) => p.time)).toEqual([15, 16, 17, 18, 19]);
  });

  it('draws each frame what came since the last one, however many samples came', () => {
    const listeners = new Set<(p: PnlView) => void>();
    const frames = fakeFrames();
    const curve = startPnlCurve(
      {
        latestPnl: () => pnl(0, 100),
        onPnl: (l) => {
          listeners.add(l);
          return { dispose: () => listeners.delete(l) };
        },
      },
      frames,
    );
    const drawn: CurvePoint[] = [];
    let set: readonly CurvePoint[] = [];
    curve.attach({ setPoints: (p) => (set = [...p]), update: (p) => drawn.push(p) });
    expect(set).toHaveLength(1);
    expect(curve.since()).toBe(at);
    for (const [ms, net] of [
      [250, 200],
      [500, 300],
      [1_000, 400],
      [1_250, 500],
      [2_000, 600],
    ] as const) {
      for (const l of listeners) l(pnl(ms, net));
    }
    expect(frames.scheduled).toBe(1);
    frames.runFrame();
    // The second drawn before (replaced since), then the new ones: the chart ends as the curve does.
    expect(drawn.map((p) => p.value)).toEqual([3, 5, 6]);
    expect(curve.points().map((p) => p.value)).toEqual([3, 5, 6]);
    curve.dispose();
    expect(listeners.size).toBe(0);
  });
});
