import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpscRing } from './spscRing';

const SEED = 20261124;

describe('SpscRing', () => {
  it('claims, publishes and consumes records in place', () => {
    const producer = SpscRing.create({ capacity: 4, recordBytes: 16, overflow: 'refuse' });
    const consumer = SpscRing.attach(producer.describe());
    expect(consumer.available()).toBe(0);
    const slot = producer.claim();
    producer.f64[slot * producer.f64Stride] = 1.5;
    producer.i32[slot * producer.i32Stride + 2] = 7;
    expect(consumer.available()).toBe(0); // not yet published
    producer.publish();
    expect(consumer.available()).toBe(1);
    expect(consumer.f64[consumer.readSlot(0) * consumer.f64Stride]).toBe(1.5);
    expect(consumer.i32[consumer.readSlot(0) * consumer.i32Stride + 2]).toBe(7);
    expect(consumer.consume(1)).toBe(true);
    expect(consumer.available()).toBe(0);
    expect(producer.occupancy).toBe(0);
  });

  it('refuses when full and counts it', () => {
    const ring = SpscRing.create({ capacity: 2, recordBytes: 8, overflow: 'refuse' });
    const one = new Float64Array([1]);
    expect(ring.pushF64(one)).toBe(true);
    expect(ring.pushF64(one)).toBe(true);
    expect(ring.pushF64(one)).toBe(false);
    expect(ring.claimBatch(5)).toBe(0);
    expect(ring.stats('r')).toMatchObject({ kind: 'ring', capacity: 2, used: 2, highWater: 2, overflows: 6 });
  });

  it('overwrites the oldest record when full under overwrite', () => {
    const ring = SpscRing.create({ capacity: 4, recordBytes: 8, overflow: 'overwrite' });
    const v = new Float64Array(1);
    for (let i = 0; i < 10; i++) {
      v[0] = i;
      expect(ring.pushF64(v)).toBe(true);
    }
    const out = new Float64Array(1);
    const seen: number[] = [];
    while (ring.popF64(out)) seen.push(out[0] ?? -1);
    expect(seen).toEqual([6, 7, 8, 9]);
    expect(ring.stats('r').overflows).toBe(6);
  });

  it('a consume under overwrite reports records dropped while they were read', () => {
    const producer = SpscRing.create({ capacity: 2, recordBytes: 8, overflow: 'overwrite' });
    const consumer = SpscRing.attach(producer.describe());
    producer.pushF64(new Float64Array([1]));
    producer.pushF64(new Float64Array([2]));
    expect(consumer.available()).toBe(2);
    producer.pushF64(new Float64Array([3])); // drops 1 while the consumer holds it
    expect(consumer.consume(1)).toBe(false);
    expect(consumer.available()).toBe(2);
    expect(consumer.f64[consumer.readSlot(0)]).toBe(2);
  });

  it('wraps its indices past 2^31 without losing count', () => {
    const ring = SpscRing.create({ capacity: 8, recordBytes: 8, overflow: 'refuse' });
    const v = new Float64Array(1);
    const out = new Float64Array(1);
    for (let i = 0; i < 100_000; i++) {
      v[0] = i;
      ring.pushF64(v);
      ring.popF64(out);
      if (out[0] !== i) throw new Error(`lost ${i}`);
    }
  });

  it('rejects bad geometry and mismatched descriptors', () => {
    expect(() => SpscRing.create({ capacity: 3, recordBytes: 8, overflow: 'refuse' })).toThrow(RangeError);
    expect(() => SpscRing.create({ capacity: 4, recordBytes: 12, overflow: 'refuse' })).toThrow(RangeError);
    const ring = SpscRing.create({ capacity: 4, recordBytes: 8, overflow: 'refuse' });
    expect(() => SpscRing.attach({ ...ring.describe(), overflow: 'overwrite' })).toThrow(RangeError);
  });

  it('keeps every record in order under random batch sizes (property, refuse)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2, 4, 8, 16),
        fc.array(fc.tuple(fc.nat(20), fc.nat(20)), { maxLength: 200 }),
        (capacity, steps) => {
          const ring = SpscRing.create({ capacity, recordBytes: 8, overflow: 'refuse' });
          const model: number[] = [];
          let next = 0;
          let refused = 0;
          for (const [push, pop] of steps) {
            const got = ring.claimBatch(push);
            if (got !== Math.min(push, capacity - model.length)) return false;
            refused += push - got;
            for (let k = 0; k < got; k++) {
              ring.f64[ring.writeSlot(k)] = next;
              model.push(next++);
            }
            ring.publish();
            const n = Math.min(pop, ring.available());
            if (ring.available() !== model.length) return false;
            for (let k = 0; k < n; k++) if (ring.f64[ring.readSlot(k)] !== model.shift()) return false;
            ring.consume(n);
          }
          return ring.stats('r').overflows === refused && ring.occupancy === model.length;
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('keeps the newest records in order under overwrite (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2, 4, 8),
        fc.array(fc.tuple(fc.nat(12), fc.nat(12)), { maxLength: 200 }),
        (capacity, steps) => {
          const ring = SpscRing.create({ capacity, recordBytes: 8, overflow: 'overwrite' });
          let model: number[] = [];
          let next = 0;
          let dropped = 0;
          const v = new Float64Array(1);
          const out = new Float64Array(1);
          for (const [push, pop] of steps) {
            for (let k = 0; k < push; k++) {
              v[0] = next;
              ring.pushF64(v);
              model.push(next++);
            }
            if (model.length > capacity) {
              dropped += model.length - capacity;
              model = model.slice(model.length - capacity);
            }
            for (let k = 0; k < pop; k++) {
              const expected = model.shift();
              const got = ring.popF64(out);
              if (got !== (expected !== undefined) || (got && out[0] !== expected)) return false;
            }
          }
          return ring.stats('r').overflows === dropped;
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('waitForData resolves timed-out on an empty ring and ready once data is there', async () => {
    const ring = SpscRing.create({ capacity: 4, recordBytes: 8, overflow: 'refuse' });
    expect(await ring.waitForData(5, 0)).toBe('timed-out');
    ring.pushF64(new Float64Array([1]));
    expect(await ring.waitForData(5, 0)).toBe('ready');
    ring.pushF64(new Float64Array([1]));
    ring.pushF64(new Float64Array([1]));
    ring.pushF64(new Float64Array([1]));
    expect(await ring.waitForSpace(1, 5, 0)).toBe('timed-out');
    expect(ring.waitForSpaceSync(1, 5, 0)).toBe('timed-out');
    ring.consume(1);
    expect(await ring.waitForSpace(1, 5, 0)).toBe('ready');
  });
});
