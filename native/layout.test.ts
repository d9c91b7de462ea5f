import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignUp, CACHE_LINE_BYTES } from './layout';

describe('alignUp', () => {
  it('rounds up to the alignment', () => {
    expect(alignUp(0)).toBe(0);
    expect(alignUp(1)).toBe(CACHE_LINE_BYTES);
    expect(alignUp(64)).toBe(64);
    expect(alignUp(65)).toBe(128);
    expect(alignUp(13, 8)).toBe(16);
  });
  it('gives the smallest multiple not below the input (property)', () => {
    fc.assert(
      fc.property(fc.nat(1 << 30), fc.integer({ min: 0, max: 12 }), (bytes, shift) => {
        const a = 1 << shift;
        const r = alignUp(bytes, a);
        return r % a === 0 && r >= bytes && r - bytes < a;
      }),
    );
  });
  it('refuses bad input', () => {
    expect(() => alignUp(-1)).toThrow(RangeError);
    expect(() => alignUp(1.5)).toThrow(RangeError);
    expect(() => alignUp(10, 3)).toThrow(RangeError);
    expect(() => alignUp(10, 0)).toThrow(RangeError);
  });
});
