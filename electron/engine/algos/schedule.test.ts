import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IST_OFFSET_MS } from '../../../shared/time/ist';
import {
  SESSION_MINUTES,
  intervalVwap,
  sliceToSend,
  slippageBasisPoints,
  twapSchedule,
  twapTarget,
  volumeCurve,
  vwapSchedule,
} from './schedule';
import type { SliceState, TwapParams, VolumeCandle } from './schedule';
import { seededRandom } from '../testing/seededRandom';

/** Epoch ms of an IST wall-clock time on a calendar day (month 1..12). */
function ist(year: number, month: number, day: number, hour: number, minute: number, second = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute, second) - IST_OFFSET_MS;
}

/** 09:15 IST on 2026-12-01, a Tuesday. */
const OPEN = ist(2026, 12, 1, 9, 15);
const MIN = 60_000;

const never = (): number => {
  throw new Error('random() should not be called');
};

function twap(over: Partial<TwapParams> = {}): TwapParams {
  return {
    quantity: 100,
    lotSize: 1,
    startMs: OPEN,
    endMs: OPEN + 10 * MIN,
    slices: 5,
    jitter: 0,
    random: never,
    ...over,
  };
}

describe('twapSchedule', () => {
  it('cuts the window into equal intervals of equal quantity', () => {
    // 100 units / 5 slices = 20 each; 10 min / 5 = 2 min = 120,000 ms apart.
    expect(twapSchedule(twap())).toEqual([
      { at: OPEN, quantity: 20 },
      { at: OPEN + 120_000, quantity: 20 },
      { at: OPEN + 240_000, quantity: 20 },
      { at: OPEN + 360_000, quantity: 20 },
      { at: OPEN + 480_000, quantity: 20 },
    ]);
  });

  it('spreads the remainder one lot at a time to the earliest slices', () => {
    // 350 units = 7 lots of 50; 7 = 3 x 2 + 1, so the first slice gets 3 lots (150), the others 2.
    const s = twapSchedule(twap({ quantity: 350, lotSize: 50, slices: 3, endMs: OPEN + 9 * MIN }));
    expect(s.map((x) => x.quantity)).toEqual([150, 100, 100]);
    // 9 min / 3 = 3 min apart.
    expect(s.map((x) => x.at)).toEqual([OPEN, OPEN + 3 * MIN, OPEN + 6 * MIN]);
  });

  it('can give the remainder to random slices', () => {
    // One extra lot, three slices: the pick is floor(0.99 x 3) = 2, the last slice.
    const s = twapSchedule(
      twap({ quantity: 350, lotSize: 50, slices: 3, remainder: 'random', random: () => 0.99 }),
    );
    expect(s.map((x) => x.quantity)).toEqual([100, 100, 150]);
    // floor(0 x 3) = 0 picks the first.
    const t = twapSchedule(
      twap({ quantity: 350, lotSize: 50, slices: 3, remainder: 'random', random: () => 0 }),
    );
    expect(t.map((x) => x.quantity)).toEqual([150, 100, 100]);
  });

  it('makes one slice per lot when there are fewer lots than slices', () => {
    // 75 units = 3 lots of 25 over 10 min, 10 slices asked: 3 slices of 25, 10 min / 3 = 200,000 ms apart.
    expect(twapSchedule(twap({ quantity: 75, lotSize: 25, slices: 10 }))).toEqual([
      { at: OPEN, quantity: 25 },
      { at: OPEN + 200_000, quantity: 25 },
      { at: OPEN + 400_000, quantity: 25 },
    ]);
  });

  it('keeps a jittered slice inside its interval and the window', () => {
    // 1,000 ms / 4 = 250 ms intervals; offset floor(0.999999 x 0.9 x 250) = floor(224.99...) = 224.
    const s = twapSchedule(
      twap({ quantity: 4, endMs: OPEN + 1_000, slices: 4, jitter: 0.9, random: () => 0.999999 }),
    );
    expect(s.map((x) => x.at - OPEN)).toEqual([224, 474, 724, 974]);
    // 10 ms / 3: boundaries floor(0) = 0, floor(10/3) = 3, floor(20/3) = 6, 10; intervals 3, 3, 4 ms.
    // Offsets floor(0.999999 x 0.9 x 3) = floor(2.69...) = 2 and floor(0.999999 x 0.9 x 4) = floor(3.59...) = 3.
    const t = twapSchedule(
      twap({ quantity: 3, endMs: OPEN + 10, slices: 3, jitter: 0.9, random: () => 0.999999 }),
    );
    expect(t.map((x) => x.at - OPEN)).toEqual([2, 5, 9]);
  });

  it('is the same schedule for the same seed', () => {
    const p = twap({ quantity: 1_000, lotSize: 10, slices: 7, jitter: 0.5, remainder: 'random' });
    const a = twapSchedule({ ...p, random: seededRandom(42) });
    const b = twapSchedule({ ...p, random: seededRandom(42) });
    expect(a).toEqual(b);
    expect(twapSchedule({ ...p, random: seededRandom(43) })).not.toEqual(a);
  });

  it('refuses bad input with a RangeError', () => {
    const bad: Partial<TwapParams>[] = [
      { quantity: 0 },
      { quantity: -10 },
      { quantity: 10.5 },
      { quantity: Number.NaN },
      { quantity: 75, lotSize: 50 }, // not a lot multiple
      { lotSize: 0 },
      { endMs: OPEN },
      { endMs: OPEN - 1 },
      { startMs: Number.NaN },
      { slices: 0 },
      { slices: 2.5 },
      { jitter: -0.1 },
      { jitter: 0.95 },
      { jitter: Number.NaN },
    ];
    for (const over of bad) expect(() => twapSchedule(twap(over)), JSON.stringify(over)).toThrow(RangeError);
    expect(() => twapSchedule(twap({ jitter: 0.5, random: () => 1 }))).toThrow(RangeError);
    expect(() => twapSchedule(twap({ jitter: 0.5, random: () => Number.NaN }))).toThrow(RangeError);
  });
});

describe('twapTarget', () => {
  const schedule = [
    { at: 100, quantity: 10 },
    { at: 200, quantity: 20 },
  ];

  it('sums the slices due by now', () => {
    expect(twapTarget(schedule, 99)).toBe(0);
    expect(twapTarget(schedule, 100)).toBe(10); // at <= now counts
    expect(twapTarget(schedule, 199)).toBe(10);
    expect(twapTarget(schedule, 250)).toBe(30); // 10 + 20
    expect(() => twapTarget(schedule, Number.NaN)).toThrow(RangeError);
  });
});

describe('volumeCurve', () => {
  const candle = (time: number, volume: number): VolumeCandle => ({ time, volume });

  it('averages each day’s fraction per minute, skipping a day with no volume', () => {
    const d1 = (h: number, m: number): number => ist(2026, 12, 1, h, m);
    const d2 = (h: number, m: number): number => ist(2026, 12, 2, h, m);
    const d3 = (h: number, m: number): number => ist(2026, 12, 3, h, m);
    // Day 1: 100 + 300 + 600 = 1,000 in the session -> 0.1, 0.3 at minutes 0, 1 and 0.6 at 374 (15:29).
    // Its 15:30 candle is after the close and ignored.
    const day1 = [
      candle(d1(9, 15), 100),
      candle(d1(9, 16), 300),
      candle(d1(15, 29), 600),
      candle(d1(15, 30), 5_000),
    ];
    // Day 2: 09:16 is missing (no trade); 200 + 200 + 400 = 800 -> 0.25 at 0, 0.25 at 2, 0.5 at 374.
    const day2 = [candle(d2(15, 29), 400), candle(d2(9, 17), 200), candle(d2(9, 15), 200)];
    // Day 3 traded nothing: skipped, not averaged in as zeros.
    const day3 = [candle(d3(9, 15), 0), candle(d3(9, 16), 0)];
    const curve = volumeCurve([day2, day3, day1]);
    expect(curve).toHaveLength(375);
    expect(curve[0]).toBeCloseTo((0.1 + 0.25) / 2, 12); // 0.175
    expect(curve[1]).toBeCloseTo((0.3 + 0) / 2, 12); // 0.15
    expect(curve[2]).toBeCloseTo((0 + 0.25) / 2, 12); // 0.125
    expect(curve[374]).toBeCloseTo((0.6 + 0.5) / 2, 12); // 0.55
    expect(curve[3]).toBe(0);
    expect(curve[200]).toBe(0);
    expect(curve.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('is flat when no day is usable', () => {
    for (const days of [[], [[]], [[candle(OPEN, 0)]]]) {
      const curve = volumeCurve(days);
      expect(curve).toHaveLength(SESSION_MINUTES);
      for (const v of curve) expect(v).toBeCloseTo(1 / 375, 15);
    }
  });

  it('can smooth with a centred moving average', () => {
    // All volume at minute 10; half-width 1: minutes 9, 10 and 11 each average 1/3 of it.
    const curve = volumeCurve([[candle(OPEN + 10 * MIN, 900)]], { smoothingMinutes: 1 });
    expect(curve[9]).toBeCloseTo(1 / 3, 12);
    expect(curve[10]).toBeCloseTo(1 / 3, 12);
    expect(curve[11]).toBeCloseTo(1 / 3, 12);
    expect(curve[8]).toBe(0);
    expect(curve[12]).toBe(0);
  });

  it('refuses a NaN or negative volume', () => {
    expect(() => volumeCurve([[candle(OPEN, Number.NaN)]])).toThrow(RangeError);
    expect(() => volumeCurve([[candle(OPEN, -1)]])).toThrow(RangeError);
    expect(() => volumeCurve([[candle(Number.NaN, 1)]])).toThrow(RangeError);
    expect(() => volumeCurve([], { smoothingMinutes: -1 })).toThrow(RangeError);
  });
});

describe('vwapSchedule', () => {
  // Weights 0.2, 0.4, 0.4 on 09:15, 09:16, 09:17; nothing after.
  const curve = new Float64Array(375);
  curve[0] = 0.2;
  curve[1] = 0.4;
  curve[2] = 0.4;

  it('weighs partial minutes by their overlap with the window', () => {
    // Window 09:15:30 to 09:17:30: half of 09:15 (0.1), all of 09:16 (0.4), half of 09:17 (0.2) = 0.7.
    // 700 units = 70 lots of 10.
    const s = vwapSchedule({
      quantity: 700,
      lotSize: 10,
      startMs: OPEN + 30_000,
      endMs: OPEN + 150_000,
      curve,
    });
    expect(s.targetAt(OPEN)).toBe(0); // before the start
    expect(s.targetAt(OPEN + 30_000)).toBe(0);
    expect(s.targetAt(OPEN + 60_000)).toBe(100); // 0.1 / 0.7 x 70 = 10 lots
    expect(s.targetAt(OPEN + 90_000)).toBe(300); // (0.1 + 0.2) / 0.7 x 70 = 30 lots
    expect(s.targetAt(OPEN + 120_000)).toBe(500); // 0.5 / 0.7 x 70 = 50 lots
    expect(s.targetAt(OPEN + 135_000)).toBe(600); // (0.5 + 0.1) / 0.7 x 70 = 60 lots
    expect(s.targetAt(OPEN + 150_000)).toBe(700); // the end: all of it
    expect(s.targetAt(OPEN + 10 * MIN)).toBe(700);
    expect(s.fractionAt(OPEN + 90_000)).toBeCloseTo(3 / 7, 12);
  });

  it('rounds the target to the nearest lot', () => {
    // A flat curve over four minutes, one lot of 50: a quarter of a lot rounds to 0, three quarters to 1.
    const flat = new Float64Array(375).fill(1 / 375);
    const s = vwapSchedule({ quantity: 50, lotSize: 50, startMs: OPEN, endMs: OPEN + 4 * MIN, curve: flat });
    expect(s.targetAt(OPEN + MIN)).toBe(0);
    expect(s.targetAt(OPEN + 3 * MIN)).toBe(50);
  });

  it('ignores the part of the window outside the session', () => {
    // 15:29 to 15:45 with all weight at 15:29 (minute 374): done by the close, 15:30.
    const late = new Float64Array(375);
    late[374] = 1;
    const start = ist(2026, 12, 1, 15, 29);
    const s = vwapSchedule({ quantity: 4, lotSize: 1, startMs: start, endMs: start + 16 * MIN, curve: late });
    expect(s.targetAt(start + 30_000)).toBe(2); // half the minute: 0.5 x 4
    expect(s.targetAt(start + MIN)).toBe(4);
  });

  it('spreads evenly in time when the curve has no weight in the window', () => {
    // 16:00 to 17:00 is after the close: 15 min in is a quarter of 4 lots = 1 lot.
    const start = ist(2026, 12, 1, 16, 0);
    const s = vwapSchedule({ quantity: 4, lotSize: 1, startMs: start, endMs: start + 60 * MIN, curve });
    expect(s.targetAt(start + 15 * MIN)).toBe(1);
    expect(s.targetAt(start + 60 * MIN)).toBe(4);
  });

  it('takes the bucket length and session start as options', () => {
    // Buckets of 1 s from t = 0 with weights 1 and 3; window [0, 2000). At 1,250 ms:
    // (1 + 3 x 0.25) / 4 = 0.4375 of 4 lots = 1.75 -> 2 lots.
    const s = vwapSchedule({
      quantity: 4,
      lotSize: 1,
      startMs: 0,
      endMs: 2_000,
      curve: [1, 3],
      minuteMs: 1_000,
      sessionStartMs: 0,
    });
    expect(s.targetAt(1_000)).toBe(1); // 1 / 4 x 4
    expect(s.targetAt(1_250)).toBe(2);
  });

  it('refuses bad input with a RangeError', () => {
    const base = { quantity: 700, lotSize: 10, startMs: OPEN, endMs: OPEN + MIN, curve };
    expect(() => vwapSchedule({ ...base, quantity: 705 })).toThrow(RangeError);
    expect(() => vwapSchedule({ ...base, endMs: OPEN })).toThrow(RangeError);
    expect(() => vwapSchedule({ ...base, curve: [Number.NaN] })).toThrow(RangeError);
    expect(() => vwapSchedule({ ...base, curve: [-1] })).toThrow(RangeError);
    expect(() => vwapSchedule({ ...base, minuteMs: 0 })).toThrow(RangeError);
    expect(() => vwapSchedule(base).targetAt(Number.NaN)).toThrow(RangeError);
  });
});

describe('sliceToSend', () => {
  const state = (over: Partial<SliceState> = {}): SliceState => ({
    target: 500,
    filled: 100,
    working: 100,
    marketVolumeSinceStart: 10_000,
    participation: 0.25,
    lotSize: 50,
    remaining: 800,
    ...over,
  });

  it('sends the shortfall when the participation cap does not bind', () => {
    // Shortfall 500 - (100 + 100) = 300; cap 0.25 x 10,000 - 200 = 2,300; remaining 800 -> 300.
    expect(sliceToSend({ ...state(), catchUp: true })).toBe(300);
  });

  it('holds to the participation cap when it binds', () => {
    // Cap 0.25 x 1,000 = 250, minus 200 done or working = 50: one lot.
    expect(sliceToSend({ ...state({ marketVolumeSinceStart: 1_000 }), catchUp: true })).toBe(50);
    // 0.25 x 960 = 240, minus 200 = 40: less than a lot, so nothing.
    expect(sliceToSend({ ...state({ marketVolumeSinceStart: 960 }), catchUp: true })).toBe(0);
    // Already over the cap (0.25 x 400 = 100 < 200): nothing.
    expect(sliceToSend({ ...state({ marketVolumeSinceStart: 400 }), catchUp: true })).toBe(0);
  });

  it('rounds down to whole lots and never sends more than remains', () => {
    // Shortfall 330 - 200 = 130 -> 2 lots of 50 = 100.
    expect(sliceToSend({ ...state({ target: 330 }), catchUp: true })).toBe(100);
    // Remaining 60 -> 1 lot.
    expect(sliceToSend({ ...state({ remaining: 60 }), catchUp: true })).toBe(50);
    // Ahead of the target: nothing.
    expect(sliceToSend({ ...state({ target: 150 }), catchUp: true })).toBe(0);
  });

  it('catches up a shortfall only when asked to', () => {
    // Slices of 100; three are due (target 300) but only 100 is filled, nothing working.
    const behind = state({ target: 300, filled: 100, working: 0 });
    expect(sliceToSend({ ...behind, catchUp: true })).toBe(200); // 300 - 100
    // Without catch-up: only the latest slice's 100.
    expect(sliceToSend({ ...behind, catchUp: false, sliceQuantity: 100, sentThisSlice: 0 })).toBe(100);
    // Once it is sent (working 100, sent 100 for this slice), nothing more until the next slice.
    expect(
      sliceToSend({
        ...behind,
        working: 100,
        remaining: 700,
        catchUp: false,
        sliceQuantity: 100,
        sentThisSlice: 100,
      }),
    ).toBe(0);
    // Half of the slice sent: the other half (50) may go.
    expect(
      sliceToSend({ ...behind, working: 50, catchUp: false, sliceQuantity: 100, sentThisSlice: 50 }),
    ).toBe(50);
  });

  it('refuses bad input with a RangeError', () => {
    const bad: Partial<SliceState>[] = [
      { participation: 0 },
      { participation: 1.5 },
      { participation: Number.NaN },
      { lotSize: 0 },
      { filled: -1 },
      { working: 1.5 },
      { target: Number.NaN },
      { marketVolumeSinceStart: -5 },
      { remaining: Number.NaN },
    ];
    for (const over of bad) {
      expect(() => sliceToSend({ ...state(over), catchUp: true }), JSON.stringify(over)).toThrow(RangeError);
    }
    expect(() =>
      sliceToSend({ ...state(), catchUp: false, sliceQuantity: Number.NaN, sentThisSlice: 0 }),
    ).toThrow(RangeError);
  });
});

describe('intervalVwap and slippageBasisPoints', () => {
  it('averages by volume', () => {
    // (10,000 x 10 + 10,100 x 30) / 40 = 403,000 / 40 = 10,075.
    expect(
      intervalVwap([
        { price: 10_000, quantity: 10 },
        { price: 10_100, quantity: 30 },
      ]),
    ).toBe(10_075);
    expect(intervalVwap([])).toBeNull();
    expect(intervalVwap([{ price: 10_000, quantity: 0 }])).toBeNull();
    expect(() => intervalVwap([{ price: Number.NaN, quantity: 1 }])).toThrow(RangeError);
    expect(() => intervalVwap([{ price: 100, quantity: -1 }])).toThrow(RangeError);
  });

  it('is positive when the fill is worse for the trader', () => {
    // (10,100 - 10,000) / 10,000 = 1% = 100 bp.
    expect(slippageBasisPoints('BUY', 10_100, 10_000)).toBe(100); // paid more: worse
    expect(slippageBasisPoints('SELL', 10_100, 10_000)).toBe(-100); // sold higher: better
    // (9,950 - 10,000) / 10,000 = -0.5% = -50 bp.
    expect(slippageBasisPoints('BUY', 9_950, 10_000)).toBe(-50);
    expect(slippageBasisPoints('SELL', 9_950, 10_000)).toBe(50);
    expect(slippageBasisPoints('SELL', 10_000, 10_000)).toBe(0);
    expect(() => slippageBasisPoints('BUY', 10_000, 0)).toThrow(RangeError);
    expect(() => slippageBasisPoints('BUY', Number.NaN, 10_000)).toThrow(RangeError);
  });
});

describe('properties', () => {
  it('TWAP slices are sorted lot multiples in the window that sum to the quantity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }), // lots
        fc.integer({ min: 1, max: 1_800 }), // lot size
        fc.integer({ min: 0, max: 1_000 * 86_400_000 }), // start, up to ~1,000 days after OPEN
        fc.integer({ min: 1, max: 6 * 3_600_000 }), // window length
        fc.integer({ min: 1, max: 60 }), // slices
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.integer(),
        fc.constantFrom('front' as const, 'random' as const),
        (lots, lotSize, startOffset, span, slices, jitter, seed, remainder) => {
          const startMs = OPEN + startOffset;
          const p = {
            quantity: lots * lotSize,
            lotSize,
            startMs,
            endMs: startMs + span,
            slices,
            jitter,
            remainder,
          };
          const s = twapSchedule({ ...p, random: seededRandom(seed) });
          expect(s).toHaveLength(Math.min(slices, lots));
          expect(s.reduce((sum, x) => sum + x.quantity, 0)).toBe(lots * lotSize);
          let previous = startMs;
          for (const x of s) {
            expect(x.quantity % lotSize).toBe(0);
            expect(x.quantity).toBeGreaterThan(0);
            expect(Number.isInteger(x.at)).toBe(true);
            expect(x.at).toBeGreaterThanOrEqual(previous);
            expect(x.at).toBeLessThan(startMs + span);
            previous = x.at;
          }
          expect(twapSchedule({ ...p, random: seededRandom(seed) })).toEqual(s);
        },
      ),
    );
  });

  it('VWAP targets are non-decreasing lot multiples that end at the quantity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 1_800 }),
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 375,
          maxLength: 375,
        }),
        fc.integer({ min: -3_600_000, max: 7 * 3_600_000 }), // start, from 08:15 IST
        fc.integer({ min: 1, max: 7 * 3_600_000 }),
        fc.array(fc.double({ min: -0.1, max: 1.1, noNaN: true }), { maxLength: 40 }),
        (lots, lotSize, curve, startOffset, span, probes) => {
          const quantity = lots * lotSize;
          const startMs = OPEN + startOffset;
          const endMs = startMs + span;
          const s = vwapSchedule({ quantity, lotSize, startMs, endMs, curve });
          const times = probes.map((f) => startMs + Math.round(f * span)).sort((a, b) => a - b);
          let previous = 0;
          for (const t of times) {
            const target = s.targetAt(t);
            expect(target % lotSize).toBe(0);
            expect(target).toBeGreaterThanOrEqual(previous);
            expect(target).toBeLessThanOrEqual(quantity);
            previous = target;
          }
          expect(s.targetAt(startMs)).toBe(0);
          expect(s.targetAt(endMs)).toBe(quantity);
        },
      ),
    );
  });

  it('sliceToSend never takes the order past the cap, the target, the quantity or the slice', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_800 }), // lot size
        fc.integer({ min: 1, max: 1_000 }), // lots in the parent order
        fc.double({ min: 0, max: 1, noNaN: true }), // filled share
        fc.double({ min: 0, max: 1, noNaN: true }), // working share of the rest
        fc.double({ min: 0, max: 1, noNaN: true }), // target share
        fc.integer({ min: 0, max: 100_000_000 }), // market volume
        fc.double({ min: 1e-6, max: 1, noNaN: true }), // participation
        fc.boolean(),
        fc.integer({ min: 0, max: 100 }), // slice lots
        fc.integer({ min: 0, max: 100 }), // units sent of the slice
        (
          lotSize,
          lots,
          filledShare,
          workingShare,
          targetShare,
          market,
          participation,
          catchUp,
          sliceLots,
          sentUnits,
        ) => {
          const quantity = lots * lotSize;
          const filled = Math.floor(filledShare * quantity);
          const working = Math.floor(workingShare * (quantity - filled));
          const target = Math.round(targetShare * lots) * lotSize;
          const sliceQuantity = sliceLots * lotSize;
          const sentThisSlice = Math.min(sentUnits, sliceQuantity);
          const base: SliceState = {
            target,
            filled,
            working,
            marketVolumeSinceStart: market,
            participation,
            lotSize,
            remaining: quantity - filled - working,
          };
          const send = catchUp
            ? sliceToSend({ ...base, catchUp })
            : sliceToSend({ ...base, catchUp, sliceQuantity, sentThisSlice });
          expect(send).toBeGreaterThanOrEqual(0);
          expect(send % lotSize).toBe(0);
          const done = filled + working;
          // The bounds, each as a check on the total after the send; one more lot breaks at least one.
          const within = (x: number): boolean =>
            done + x <= participation * market &&
            done + x <= target &&
            done + x <= quantity &&
            (catchUp || x <= sliceQuantity - sentThisSlice);
          if (send > 0) expect(within(send)).toBe(true);
          expect(within(send + lotSize)).toBe(false);
        },
      ),
    );
  });
});
