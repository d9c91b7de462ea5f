import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freezeSlices } from './slices';

describe('freezeSlices', () => {
  it('slices at the freeze quantity, the remainder last', () => {
    expect(freezeSlices(5000, 1800, 75)).toEqual([1800, 1800, 1400]);
    expect(freezeSlices(1800, 1800, 75)).toEqual([1800]);
    expect(freezeSlices(1875, 1800, 75)).toEqual([1800, 75]);
    expect(freezeSlices(120, null, 1)).toEqual([120]);
  });

  it('keeps whole lots when the freeze quantity is not a lot multiple', () => {
    // A freeze of 1000 with lots of 75 takes at most 975 (13 lots).
    expect(freezeSlices(2250, 1000, 75)).toEqual([975, 975, 300]);
  });

  it('refuses a quantity that is not positive', () => {
    expect(() => freezeSlices(0, 1800, 75)).toThrow(RangeError);
    expect(() => freezeSlices(-75, 1800, 75)).toThrow(RangeError);
    expect(() => freezeSlices(1.5, 1800, 1)).toThrow(RangeError);
  });

  it('adds up to the quantity, never above the freeze, in lots (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 40 }),
        (lot, lots, freezeLots) => {
          const quantity = lot * lots;
          const freeze = lot * freezeLots + (lots % 3 === 0 ? lot - 1 : 0);
          const slices = freezeSlices(quantity, freeze, lot);
          expect(slices.reduce((a, b) => a + b, 0)).toBe(quantity);
          for (const s of slices) {
            expect(s).toBeGreaterThan(0);
            expect(s).toBeLessThanOrEqual(freeze);
            expect(s % lot).toBe(0);
          }
          // As few slices as the freeze allows.
          expect(slices.length).toBe(Math.ceil(quantity / (Math.floor(freeze / lot) * lot)));
        },
      ),
    );
  });
});
