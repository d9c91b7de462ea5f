import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpscByteRing } from './spscByteRing';

const SEED = 20261124;

describe('SpscByteRing', () => {
  it('carries variable-length messages, including empty ones, in order', () => {
    const ring = SpscByteRing.create(64);
    expect(ring.maxMessageBytes).toBe(24);
    expect(ring.push(new Uint8Array([1, 2, 3]))).toBe(true);
    expect(ring.push(new Uint8Array(0))).toBe(true);
    const dst = new Uint8Array(32);
    expect(ring.pop(dst)).toBe(3);
    expect([...dst.subarray(0, 3)]).toEqual([1, 2, 3]);
    expect(ring.pop(dst)).toBe(0);
    expect(ring.pop(dst)).toBe(-1);
    expect(ring.published).toBe(2);
  });

  it('never splits a message across the end of the buffer', () => {
    const ring = SpscByteRing.create(64);
    const dst = new Uint8Array(32);
    const msg = new Uint8Array(20).map((_, i) => i + 1);
    for (let i = 0; i < 50; i++) {
      expect(ring.push(msg)).toBe(true);
      expect(ring.pop(dst)).toBe(20);
      expect([...dst.subarray(0, 20)]).toEqual([...msg]);
    }
  });

  it('refuses when full, counts it, and refuses oversized messages loudly', () => {
    const ring = SpscByteRing.create(64);
    const msg = new Uint8Array(20);
    expect(ring.push(msg)).toBe(true);
    expect(ring.push(msg)).toBe(true);
    expect(ring.push(msg)).toBe(false);
    expect(ring.stats('b')).toMatchObject({ kind: 'byteRing', overflows: 1, used: 48 });
    expect(() => ring.push(new Uint8Array(25))).toThrow(RangeError);
  });

  it('delivers exactly what was pushed under random sizes and interleavings (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 120 }), fc.boolean()), { maxLength: 300 }),
        (steps) => {
          const producer = SpscByteRing.create(256);
          const consumer = SpscByteRing.attach(producer.describe());
          const model: Uint8Array[] = [];
          const dst = new Uint8Array(128);
          const popOne = (): boolean => {
            const expected = model.shift();
            const n = consumer.pop(dst);
            if (expected === undefined) return n === -1;
            return n === expected.length && expected.every((b, i) => dst[i] === b);
          };
          for (const [msg, pop] of steps) {
            if (producer.push(msg)) model.push(msg);
            if (pop && !popOne()) return false;
          }
          while (model.length > 0) if (!popOne()) return false;
          return consumer.pop(dst) === -1 && producer.occupancy === 0;
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('claim and next give zero-copy access to the payload', () => {
    const ring = SpscByteRing.create(128);
    const at = ring.claim(4);
    ring.u8.set([9, 8, 7, 6], at);
    ring.publish();
    expect(ring.next()).toBe(4);
    expect([...ring.u8.subarray(ring.offset, ring.offset + 4)]).toEqual([9, 8, 7, 6]);
    expect(ring.next()).toBe(4); // same message until consumed
    ring.consume();
    expect(ring.next()).toBe(-1);
    expect(ring.waitForDataSync(1, 0)).toBe('timed-out');
  });
});
