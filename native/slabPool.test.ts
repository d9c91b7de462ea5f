import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_POOL_CAPACITY, NO_HANDLE, SlabPool } from './slabPool';

const SEED = 20261124;
const ORDER = { price: 'i32', quantity: 'f64', flags: 'u32' } as const;

describe('SlabPool', () => {
  it('stores records field by field and hands every slot out once', () => {
    const pool = SlabPool.create(ORDER, 3);
    const a = pool.acquire();
    const b = pool.acquire();
    const c = pool.acquire();
    expect(new Set([pool.index(a), pool.index(b), pool.index(c)]).size).toBe(3);
    expect(pool.acquire()).toBe(NO_HANDLE);
    pool.fields.price[pool.index(a)] = 123_45;
    pool.fields.quantity[pool.index(a)] = 2 ** 40;
    pool.fields.flags[pool.index(a)] = 0xffff_ffff;
    expect(pool.fields.price[pool.checkedIndex(a)]).toBe(123_45);
    expect(pool.fields.quantity[pool.index(a)]).toBe(2 ** 40);
    expect(pool.fields.flags[pool.index(a)]).toBe(0xffff_ffff);
    expect(pool.fields.price).toBeInstanceOf(Int32Array);
    expect(pool.fields.quantity).toBeInstanceOf(Float64Array);
    expect(pool.stats('orders')).toMatchObject({
      kind: 'pool',
      capacity: 3,
      used: 3,
      highWater: 3,
      overflows: 1,
    });
  });

  it('detects a stale handle instead of reusing it', () => {
    const pool = SlabPool.create(ORDER, 1);
    const first = pool.acquire();
    expect(pool.release(first)).toBe(true);
    expect(pool.release(first)).toBe(false);
    const second = pool.acquire();
    expect(pool.index(second)).toBe(pool.index(first));
    expect(second).not.toBe(first);
    expect(pool.isLive(first)).toBe(false);
    expect(pool.isLive(second)).toBe(true);
    expect(() => pool.checkedIndex(first)).toThrow(RangeError);
    expect(pool.release(first)).toBe(false);
    expect(pool.isLive(second)).toBe(true);
    expect(pool.release(-5)).toBe(false);
    expect(pool.release(1.5)).toBe(false);
    expect(pool.stats('p').stale).toBe(4);
  });

  it('handles stay small integers (no heap numbers) at the largest capacity', () => {
    const pool = SlabPool.create({ x: 'i32' }, MAX_POOL_CAPACITY);
    for (let i = 0; i < 1000; i++) {
      const h = pool.acquire();
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(2 ** 30);
      pool.release(h);
    }
  });

  it("another thread's view shares the same records and free list", () => {
    const pool = SlabPool.create(ORDER, 4);
    const other = SlabPool.attach(pool.describe());
    const h = pool.acquire();
    other.fields.price[other.index(h)] = 77;
    expect(pool.fields.price[pool.index(h)]).toBe(77);
    expect(other.release(h)).toBe(true);
    expect(pool.inUse).toBe(0);
    expect(() => SlabPool.attach({ ...pool.describe(), capacity: 5 })).toThrow(RangeError);
    expect(pool.stats('p').used).toBe(0);
  });

  it('keeps a per-thread cache and returns it on drain', () => {
    const pool = SlabPool.create(ORDER, 64, 8);
    const other = SlabPool.attach(pool.describe());
    const handles = Array.from({ length: 8 }, () => pool.acquire());
    for (const h of handles) pool.release(h);
    // 4 taken from the shared list per refill; all cached again after release.
    expect(pool.inUse).toBe(0);
    expect(pool.stats('p').highWater).toBe(8);
    const all: number[] = [];
    for (let h = other.acquire(); h !== NO_HANDLE; h = other.acquire()) all.push(h);
    expect(all.length).toBe(64 - 8);
    pool.drain();
    expect(other.acquire()).not.toBe(NO_HANDLE);
    // A handle released on another thread's view is stale everywhere.
    const h = pool.acquire();
    expect(other.release(h)).toBe(true);
    expect(pool.release(h)).toBe(false);
  });

  it("frees view lines on detach and keeps the detached view's counts", () => {
    const pool = SlabPool.create(ORDER, 64, 4);
    const views = Array.from({ length: 31 }, () => SlabPool.attach(pool.describe()));
    expect(() => SlabPool.attach(pool.describe())).toThrow(RangeError);
    const last = views.pop();
    const h = last?.acquire() ?? -1;
    last?.release(h);
    last?.release(h);
    last?.acquire();
    last?.detach();
    const again = SlabPool.attach(pool.describe());
    expect(pool.inUse).toBe(1);
    expect(pool.stats('p').stale).toBe(1);
    expect(again.acquire()).not.toBe(NO_HANDLE);
    expect(pool.inUse).toBe(2);
  });

  it('refuses bad capacities', () => {
    expect(() => SlabPool.create(ORDER, 0)).toThrow(RangeError);
    expect(() => SlabPool.create(ORDER, MAX_POOL_CAPACITY + 1)).toThrow(RangeError);
    expect(() => SlabPool.create(ORDER, 2.5)).toThrow(RangeError);
  });

  it('behaves like a set of live handles under any sequence of acquires and releases (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.oneof(fc.constant<'acquire'>('acquire'), fc.nat(200)), { maxLength: 400 }),
        (capacity, ops) => {
          const pool = SlabPool.create(ORDER, capacity);
          const live: number[] = [];
          const dead: number[] = [];
          let high = 0;
          for (const op of ops) {
            if (op === 'acquire') {
              const h = pool.acquire();
              if (live.length === capacity) {
                if (h !== NO_HANDLE) return false;
              } else {
                if (h === NO_HANDLE || live.some((l) => pool.index(l) === pool.index(h))) return false;
                live.push(h);
              }
            } else if (op % 3 === 0 && dead.length > 0) {
              // A stale handle is always refused and changes nothing.
              if (pool.release(dead[op % dead.length] ?? 0)) return false;
            } else if (live.length > 0) {
              const [h] = live.splice(op % live.length, 1);
              if (h === undefined || !pool.release(h)) return false;
              dead.push(h);
            }
            high = Math.max(high, live.length);
            if (pool.inUse !== live.length) return false;
          }
          return (
            live.every((h) => pool.isLive(h)) &&
            dead.every((h) => !pool.isLive(h)) &&
            pool.stats('p').highWater === high
          );
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});
