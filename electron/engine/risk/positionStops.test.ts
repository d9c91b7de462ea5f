import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stopDecision, stopRefusal } from './positionStops';

const fmt = (w: number): string => (w / 100).toFixed(2);

describe('position stop-loss rule', () => {
  it('a long stop triggers at or below its price, a short one at or above; never without a price', () => {
    expect(stopDecision('long', 1000, 1001, 5)).toBe('hold');
    expect(stopDecision('long', 1000, 1000, 5)).toBe('trigger');
    expect(stopDecision('long', 1000, 990, 5)).toBe('trigger');
    expect(stopDecision('short', 1000, 999, -5)).toBe('hold');
    expect(stopDecision('short', 1000, 1000, -5)).toBe('trigger');
    expect(stopDecision('long', 1000, 0, 5)).toBe('hold');
    expect(stopDecision('long', 1000, Number.NaN, 5)).toBe('hold');
  });

  it('is dropped when its position is closed or turns, whatever the price', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('long' as const, 'short' as const),
        fc.integer({ min: 1, max: 1e7 }),
        fc.integer({ min: 0, max: 1e7 }),
        fc.integer({ min: -1e5, max: 1e5 }),
        (direction, stop, ltp, position) => {
          const d = stopDecision(direction, stop, ltp, position);
          const same = direction === 'long' ? position > 0 : position < 0;
          if (!same) expect(d).toBe('drop');
          else if (ltp === 0) expect(d).toBe('hold');
          else expect(d === 'trigger').toBe(direction === 'long' ? ltp <= stop : ltp >= stop);
        },
      ),
    );
  });

  it('refuses a stop that would trigger at once, is off the tick, or protects nothing', () => {
    expect(stopRefusal(995, 1000, 0, 5, fmt)?.code).toBe('NO_POSITION');
    expect(stopRefusal(996, 1000, 3, 5, fmt)?.code).toBe('TICK_SIZE');
    expect(stopRefusal(1000, 1000, 3, 5, fmt)).toMatchObject({
      code: 'STOP_REACHED',
      message: "A long position's stop goes below the last price 10.00; at 10.00 it would trigger at once.",
    });
    expect(stopRefusal(995, 1000, -3, 5, fmt)?.code).toBe('STOP_REACHED');
    expect(stopRefusal(995, 0, 3, 5, fmt)?.code).toBe('NO_LAST_PRICE');
    expect(stopRefusal(995, 1000, 3, 5, fmt)).toBeNull();
    expect(stopRefusal(1005, 1000, -3, 5, fmt)).toBeNull();
  });
});
