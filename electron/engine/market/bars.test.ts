import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IST_OFFSET_MS, formatIstDateTime, istFields } from '../../../shared/time/ist';
import { BAR_INTERVALS, BarAggregator, INTERVAL_MS, barStart, istDayStart } from './bars';
import type { Bar, BarInterval } from './bars';

/** Epoch ms of an IST wall-clock time `YYYY-MM-DD HH:MM:SS`. */
function ist(text: string): number {
  const [d = '', t = '00:00:00'] = text.split(' ');
  const [y, mo, da] = d.split('-').map(Number);
  const [h, mi, s] = t.split(':').map(Number);
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, da ?? 1, h ?? 0, mi ?? 0, s ?? 0) - IST_OFFSET_MS;
}

interface Recorder {
  readonly closed: Bar[];
  readonly updates: number;
  readonly agg: BarAggregator;
}

function recorder(intervals?: readonly BarInterval[]): Recorder {
  const closed: Bar[] = [];
  const r = { closed, updates: 0, agg: undefined as unknown as BarAggregator };
  r.agg = new BarAggregator({
    instrumentToken: 408065,
    ...(intervals === undefined ? {} : { intervals }),
    onClose: (b) => closed.push({ ...b }),
    onUpdate: () => {
      r.updates++;
    },
  });
  return r;
}

const view = (b: Bar): string =>
  `${formatIstDateTime(b.start)} ${b.open} ${b.high} ${b.low} ${b.close} v${b.volume}`;

describe('bar alignment', () => {
  it('aligns intraday bars to 09:15 IST as Kite does, and day bars to 00:00 IST', () => {
    const t = ist('2025-12-10 11:47:31');
    expect(formatIstDateTime(barStart('1s', t))).toBe('2025-12-10 11:47:31');
    expect(formatIstDateTime(barStart('1m', t))).toBe('2025-12-10 11:47:00');
    expect(formatIstDateTime(barStart('3m', t))).toBe('2025-12-10 11:45:00');
    expect(formatIstDateTime(barStart('5m', t))).toBe('2025-12-10 11:45:00');
    expect(formatIstDateTime(barStart('15m', t))).toBe('2025-12-10 11:45:00');
    expect(formatIstDateTime(barStart('30m', t))).toBe('2025-12-10 11:45:00');
    expect(formatIstDateTime(barStart('1h', t))).toBe('2025-12-10 11:15:00');
    expect(formatIstDateTime(barStart('1d', t))).toBe('2025-12-10 00:00:00');
    // The day bar of an instant late in the UTC day is still the IST date: 2025-12-10 20:00 UTC is
    // 01:30 IST on the 11th.
    expect(formatIstDateTime(istDayStart(Date.UTC(2025, 11, 10, 20)))).toBe('2025-12-11 00:00:00');
    expect(barStart('1h', ist('2025-12-10 15:29:59'))).toBe(ist('2025-12-10 15:15:00'));
    expect(barStart('1m', ist('2025-12-10 15:30:00'))).toBeNaN();
    expect(barStart('5m', ist('2025-12-10 09:07:00'))).toBe(ist('2025-12-10 09:15:00'));
  });

  it('60-minute bars of a session are 09:15, 10:15, ... 15:15, the last one cut at 15:30', () => {
    const r = recorder(['1h']);
    for (let m = 0; m < 375; m++)
      r.agg.onTick(100_000 + m, 1_000 + m, ist('2025-12-10 09:15:00') + m * 60_000);
    r.agg.closeUpTo(ist('2025-12-10 15:30:00'));
    expect(r.closed.map((b) => formatIstDateTime(b.start).slice(11))).toEqual([
      '09:15:00', '10:15:00', '11:15:00', '12:15:00', '13:15:00', '14:15:00', '15:15:00',
    ]); // prettier-ignore
    expect(r.closed.map((b) => b.ticks)).toEqual([60, 60, 60, 60, 60, 60, 15]);
  });
});

describe('BarAggregator', () => {
  it('builds OHLC and volume from cumulative-volume deltas', () => {
    const r = recorder(['1m']);
    const t = ist('2025-12-10 09:20:00');
    r.agg.onTick(150_000, 10_000, t); // the day's baseline
    r.agg.onTick(150_500, 10_100, t + 10_000);
    r.agg.onTick(149_800, 10_250, t + 20_000);
    r.agg.onTick(150_100, 10_300, t + 59_999);
    r.agg.onTick(150_200, 10_310, t + 60_000);
    expect(r.closed.map(view)).toEqual(['2025-12-10 09:20:00 150000 150500 149800 150100 v300']);
    expect(view(r.agg.current('1m')!)).toBe('2025-12-10 09:21:00 150200 150200 150200 150200 v10');
  });

  it('a duplicate tick adds nothing; a stale lower volume adds nothing and is not counted twice later', () => {
    const r = recorder(['1m']);
    const t = ist('2025-12-10 10:00:00');
    r.agg.onTick(100, 5_000, t);
    r.agg.onTick(101, 5_100, t + 1_000);
    r.agg.onTick(101, 5_100, t + 1_000); // duplicate
    r.agg.onTick(99, 4_000, t + 2_000); // stale packet / reset: lower cumulative volume
    r.agg.onTick(102, 5_100, t + 3_000); // back where it was: nothing new traded
    r.agg.onTick(102, 5_160, t + 4_000);
    expect(r.agg.current('1m')?.volume).toBe(160);
  });

  it('after a reconnect gap, the first tick carries the volume traded in the gap (never lost)', () => {
    const r = recorder(['1m', '5m']);
    r.agg.onTick(100, 1_000, ist('2025-12-10 10:00:05'));
    r.agg.onTick(100, 1_200, ist('2025-12-10 10:00:30'));
    // Disconnected from 10:00:40 to 10:07:10; 3,000 units traded meanwhile.
    r.agg.onTick(105, 4_200, ist('2025-12-10 10:07:10'));
    expect(r.closed.map(view)).toEqual([
      '2025-12-10 10:00:00 100 100 100 100 v200',
      '2025-12-10 10:00:00 100 100 100 100 v200',
    ]);
    expect(r.agg.current('1m')?.volume).toBe(3_000);
    expect(r.agg.current('5m')?.volume).toBe(3_000);
  });

  it('pre-open ticks open the first bar; ticks after the close reach only the day bar', () => {
    const r = recorder(['1m', '1d']);
    r.agg.onTick(151_000, 0, ist('2025-12-10 09:00:10'));
    r.agg.onTick(152_000, 20_000, ist('2025-12-10 09:08:00')); // pre-open auction matched
    r.agg.onTick(152_500, 20_500, ist('2025-12-10 09:15:20'));
    r.agg.onTick(153_000, 21_000, ist('2025-12-10 15:29:59'));
    r.agg.onTick(153_100, 23_000, ist('2025-12-10 15:45:00')); // post-close session
    expect(r.closed.map(view)).toEqual([
      '2025-12-10 09:15:00 151000 152500 151000 152500 v20500',
      '2025-12-10 15:29:00 153000 153000 153000 153000 v500',
    ]);
    expect(view(r.agg.current('1d')!)).toBe('2025-12-10 00:00:00 151000 153100 151000 153100 v23000');
    expect(r.agg.current('1m')).toBeUndefined();
  });

  it('a new IST day closes every bar and starts a fresh volume baseline', () => {
    const r = recorder(['1h', '1d']);
    r.agg.onTick(100, 900_000, ist('2025-12-10 15:00:00'));
    r.agg.onTick(110, 1_000_000, ist('2025-12-10 15:20:00'));
    r.agg.onTick(120, 500, ist('2025-12-11 09:15:01')); // the feed's day volume restarted
    r.agg.onTick(121, 800, ist('2025-12-11 09:15:02'));
    expect(r.closed.map((b) => `${b.interval} ${view(b)}`)).toEqual([
      '1h 2025-12-10 14:15:00 100 100 100 100 v0',
      '1h 2025-12-10 15:15:00 110 110 110 110 v100000',
      '1d 2025-12-10 00:00:00 100 110 100 110 v100000',
    ]);
    expect(r.agg.current('1d')?.volume).toBe(300);
  });

  it('closeUpTo closes a quiet bar on time, once; a late tick never reopens it', () => {
    const r = recorder(['1m']);
    r.agg.onTick(100, 0, ist('2025-12-10 10:00:10'));
    r.agg.closeUpTo(ist('2025-12-10 10:00:59') + 999);
    expect(r.closed).toHaveLength(0);
    r.agg.closeUpTo(ist('2025-12-10 10:01:00'));
    r.agg.closeUpTo(ist('2025-12-10 10:05:00'));
    expect(r.closed).toHaveLength(1);
    // A tick stamped before the closed bar's end counts at the latest time seen instead.
    r.agg.onTick(101, 10, ist('2025-12-10 10:00:20'));
    expect(r.closed).toHaveLength(1);
    expect(formatIstDateTime(r.agg.current('1m')!.start)).toBe('2025-12-10 10:00:00');
  });

  it('reuses one record per interval (no allocation per bar) and ignores unusable ticks', () => {
    const seen = new Set<Bar>();
    const agg = new BarAggregator({ instrumentToken: 1, intervals: ['1s'], onUpdate: (b) => seen.add(b) });
    for (let s = 0; s < 100; s++) agg.onTick(100 + s, s, ist('2025-12-10 10:00:00') + s * 1_000);
    expect(seen.size).toBe(1);
    const before = { ...agg.current('1s')! };
    agg.onTick(0, 1_000, ist('2025-12-10 10:02:00'));
    agg.onTick(Number.NaN, 1_000, ist('2025-12-10 10:02:00'));
    agg.onTick(100, Number.POSITIVE_INFINITY, ist('2025-12-10 10:02:00'));
    agg.onTick(100, 1_000, Number.NaN);
    expect({ ...agg.current('1s')! }).toEqual(before);
    expect(() => agg.current('1h')).toThrow(RangeError);
  });
});

describe('merging history', () => {
  const day = '2025-12-10';
  const candle = (hhmm: string, o: number, h: number, l: number, c: number, v: number) => ({
    start: ist(`${day} ${hhmm}:00`),
    open: o,
    high: h,
    low: l,
    close: c,
    volume: v,
  });

  it('joins the last candle with the live bar of the same start: no gap, no double count', () => {
    const r = recorder(['1m']);
    // Live from 09:17:20; the day's volume so far is 5,400 when the first tick arrives.
    r.agg.onTick(101, 5_400, ist(`${day} 09:17:20`));
    r.agg.onTick(103, 5_500, ist(`${day} 09:17:40`));
    // History fetched at 09:17:50: 09:15 and 09:16 complete, 09:17 partial (it saw 09:17:00..:50).
    const series = r.agg.mergeHistory('1m', [
      candle('09:15', 100, 102, 99, 101, 3_000),
      candle('09:16', 101, 102, 100, 100, 2_000),
      candle('09:17', 100, 104, 100, 103, 550),
    ]);
    // History saw 09:17 up to :50 (550), more than the live ticks up to :40 (5,500 - 5,000 = 500):
    // the bar takes the day's volume as history accounts for it, 5,550 less the 5,000 before it.
    expect(series.map(view)).toEqual([
      '2025-12-10 09:15:00 100 102 99 101 v3000',
      '2025-12-10 09:16:00 101 102 100 100 v2000',
      '2025-12-10 09:17:00 100 104 100 103 v550',
    ]);
    // The next tick adds only what traded after history's 5,550, not after the live 5,500.
    r.agg.onTick(102, 5_600, ist(`${day} 09:17:55`));
    expect(view(r.agg.current('1m')!)).toBe('2025-12-10 09:17:00 100 104 100 102 v600');
    const total = series.slice(0, 2).reduce((s, b) => s + b.volume, 0) + (r.agg.current('1m')?.volume ?? 0);
    expect(total).toBe(5_600);
  });

  it('history behind the live ticks: the live cumulative volume wins', () => {
    const r = recorder(['1m']);
    r.agg.onTick(101, 5_400, ist(`${day} 09:17:20`));
    r.agg.onTick(103, 5_500, ist(`${day} 09:17:40`));
    const series = r.agg.mergeHistory('1m', [
      candle('09:15', 100, 102, 99, 101, 3_000),
      candle('09:16', 101, 102, 100, 100, 2_000),
      candle('09:17', 100, 101, 100, 101, 300),
    ]);
    expect(series[2]?.volume).toBe(500);
    r.agg.onTick(102, 5_520, ist(`${day} 09:17:55`));
    expect(r.agg.current('1m')?.volume).toBe(520);
  });

  it('history fetched before the first tick: the candle becomes the live bar and the next tick adds only what is new', () => {
    const r = recorder(['1m']);
    r.agg.mergeHistory('1m', [
      candle('09:15', 100, 102, 99, 101, 3_000),
      candle('09:16', 101, 103, 101, 102, 700),
    ]);
    r.agg.onTick(104, 3_900, ist(`${day} 09:16:30`));
    expect(view(r.agg.current('1m')!)).toBe('2025-12-10 09:16:00 101 104 101 104 v900');
    r.agg.onTick(104, 4_000, ist(`${day} 09:17:01`));
    expect(r.closed.map(view)).toEqual(['2025-12-10 09:16:00 101 104 101 104 v900']);
    expect(r.agg.current('1m')?.volume).toBe(100);
  });

  it('history that does not start at the open cannot place the cumulative volume: it takes the larger volume', () => {
    const r = recorder(['5m']);
    r.agg.onTick(100, 50_000, ist(`${day} 11:01:00`));
    r.agg.onTick(101, 50_100, ist(`${day} 11:02:00`));
    const series = r.agg.mergeHistory('5m', [
      candle('10:55', 99, 100, 98, 99, 900),
      candle('11:00', 99, 101, 99, 100, 400),
    ]);
    expect(series.map((b) => b.volume)).toEqual([900, 400]);
  });

  it('history older than the live bar is returned before it, untouched', () => {
    const r = recorder(['1m']);
    r.agg.onTick(100, 10, ist(`${day} 10:30:05`));
    const series = r.agg.mergeHistory('1m', [candle('10:28', 1, 2, 1, 2, 5), candle('10:29', 2, 3, 2, 3, 6)]);
    expect(series.map((b) => formatIstDateTime(b.start).slice(11))).toEqual([
      '10:28:00',
      '10:29:00',
      '10:30:00',
    ]);
    expect(series[2]?.open).toBe(100);
    expect(r.agg.mergeHistory('1m', []).map((b) => b.open)).toEqual([100]);
  });

  it('a day candle joins the live day bar with the day volume', () => {
    const r = recorder(['1d']);
    r.agg.onTick(200, 70_000, ist(`${day} 13:00:00`));
    r.agg.onTick(210, 70_500, ist(`${day} 13:00:01`));
    const series = r.agg.mergeHistory('1d', [
      { start: ist('2025-12-09 00:00:00'), open: 190, high: 199, low: 185, close: 195, volume: 90_000 },
      { start: ist(`${day} 00:00:00`), open: 196, high: 205, low: 194, close: 200, volume: 70_000 },
    ]);
    expect(series.map(view)).toEqual([
      '2025-12-09 00:00:00 190 199 185 195 v90000',
      '2025-12-10 00:00:00 196 210 194 210 v70500',
    ]);
  });
});

// ---- properties -------------------------------------------------------------------------------

interface Tick {
  readonly price: number;
  readonly volume: number;
  readonly time: number;
}

/** A day of ticks from the pre-open to after the close, with duplicates, stale volumes and gaps. */
const dayOfTicks: fc.Arbitrary<Tick[]> = fc
  .array(
    fc.record({
      gapMs: fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 900_000 })),
      move: fc.integer({ min: -50, max: 50 }),
      traded: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000 })),
      kind: fc.constantFrom('normal', 'normal', 'normal', 'duplicate', 'stale'),
    }),
    { minLength: 1, maxLength: 400 },
  )
  .chain((steps) =>
    fc.integer({ min: ist('2025-12-10 09:00:00'), max: ist('2025-12-10 15:40:00') }).map((first) => {
      const ticks: Tick[] = [];
      let time = first;
      let price = 100_000;
      let cum = 0;
      for (const s of steps) {
        const prev = ticks[ticks.length - 1];
        if (s.kind === 'duplicate' && prev !== undefined) {
          ticks.push(prev);
          continue;
        }
        time += s.gapMs;
        price = Math.max(5, price + s.move * 5);
        if (s.kind === 'stale') {
          ticks.push({ price, volume: Math.max(0, cum - s.traded), time });
          continue;
        }
        cum += s.traded;
        ticks.push({ price, volume: cum, time });
      }
      return ticks;
    }),
  );

/** An independent reference: bars by IST wall-clock fields, volumes by the high-water rule. */
function reference(ticks: readonly Tick[], interval: BarInterval): Bar[] {
  const out: Bar[] = [];
  let high = Number.NaN;
  let day = '';
  for (const t of ticks) {
    const f = istFields(t.time);
    const date = `${f.year}-${f.month}-${f.day}`;
    if (date !== day) {
      day = date;
      high = Number.NaN;
    }
    let delta = 0;
    if (Number.isNaN(high)) high = t.volume;
    else if (t.volume > high) {
      delta = t.volume - high;
      high = t.volume;
    }
    const msOfDay = ((f.hour * 60 + f.minute) * 60 + f.second) * 1000 + f.millisecond;
    const midnight = t.time - msOfDay;
    let start: number;
    if (interval === '1d') start = midnight;
    else if (msOfDay >= 930 * 60_000) continue;
    else
      start =
        midnight +
        555 * 60_000 +
        Math.floor(Math.max(0, msOfDay - 555 * 60_000) / INTERVAL_MS[interval]) * INTERVAL_MS[interval];
    const last = out[out.length - 1];
    if (last?.start === start) {
      out[out.length - 1] = {
        ...last,
        high: Math.max(last.high, t.price),
        low: Math.min(last.low, t.price),
        close: t.price,
        volume: last.volume + delta,
        ticks: last.ticks + 1,
      };
    } else {
      out.push({
        instrumentToken: 408065,
        interval,
        start,
        open: t.price,
        high: t.price,
        low: t.price,
        close: t.price,
        volume: delta,
        ticks: 1,
      });
    }
  }
  return out;
}

describe('bar properties (fast-check)', () => {
  it('equal an independent reference; volumes sum to the cumulative delta; OHLC holds; starts are aligned', () => {
    fc.assert(
      fc.property(dayOfTicks, (ticks) => {
        const byInterval = new Map<BarInterval, Bar[]>(BAR_INTERVALS.map((i) => [i, []]));
        const agg = new BarAggregator({
          instrumentToken: 408065,
          onClose: (b) => byInterval.get(b.interval)?.push({ ...b }),
        });
        for (const t of ticks) agg.onTick(t.price, t.volume, t.time);
        for (const interval of BAR_INTERVALS) {
          const bars = byInterval.get(interval) ?? [];
          const live = agg.current(interval);
          if (live !== undefined) bars.push({ ...live });
          expect(bars).toEqual(reference(ticks, interval));

          const counted = ticks.filter(
            (t) => interval === '1d' || istFields(t.time).hour * 60 + istFields(t.time).minute < 930,
          );
          const first = ticks[0]?.volume ?? 0;
          const highest = counted.reduce((m, t) => Math.max(m, t.volume), first);
          expect(bars.reduce((s, b) => s + b.volume, 0)).toBe(Math.max(0, highest - first));
          for (const b of bars) {
            expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
            expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close));
            expect(b.volume).toBeGreaterThanOrEqual(0);
            const offset = b.start - istDayStart(b.start) - (interval === '1d' ? 0 : 555 * 60_000);
            expect(offset % INTERVAL_MS[interval]).toBe(0);
          }
          for (let k = 1; k < bars.length; k++) expect(bars[k]!.start).toBeGreaterThan(bars[k - 1]!.start);
        }
      }),
      { numRuns: 300 },
    );
  });
});
