import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Schedule } from './heap';

describe('Schedule', () => {
  it('pops by time, and equal times in the order they were pushed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const s = new Schedule();
        times.forEach((t, k) => {
          s.push(t, 0, k);
        });
        const out: { time: number; slot: number }[] = [];
        for (let x = s.pop(); x !== undefined; x = s.pop()) out.push({ time: x.time, slot: x.slot });
        const expected = times
          .map((time, slot) => ({ time, slot }))
          .sort((a, b) => a.time - b.time || a.slot - b.slot);
        expect(out).toEqual(expected);
        expect(s.peekTime()).toBe(Infinity);
      }),
      { seed: 4, numRuns: 300 },
    );
  });
});
