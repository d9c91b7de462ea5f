import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnStore } from './columnStore';
import { MemoryRegistry } from './memoryStats';
import { QUOTE_ROW_BYTES, QuoteBoard, QuoteF64, QuoteI32 } from './quoteBoard';
import { SlabPool } from './slabPool';
import { SpscRing } from './spscRing';
import { attachAll, describeAll } from './workerHandoff';

const SEED = 20261124;

describe('QuoteBoard', () => {
  it('rows sit on their own cache lines', () => {
    expect(QUOTE_ROW_BYTES % 64).toBe(0);
    const board = QuoteBoard.create(2);
    expect((board.f64Base(1) * 8) % 8).toBe(0);
    expect(board.i32Base(1) * 4).toBe(QUOTE_ROW_BYTES);
  });

  it('writes under the seqlock and reads a consistent copy', () => {
    const board = QuoteBoard.create(8);
    const row = board.addInstrument(408065);
    expect(board.findRow(408065)).toBe(row);
    expect(board.findRow(1)).toBe(-1);
    const ib = board.i32Base(row);
    const fb = board.f64Base(row);
    board.beginUpdate(row);
    board.i32[ib + QuoteI32.lastPrice] = 1_234_50;
    board.i32[ib + QuoteI32.bidPrice + 4] = 1_234_00;
    board.f64[fb + QuoteF64.volume] = 2 ** 40;
    board.f64[fb + QuoteF64.askQuantity + 4] = 75;
    board.endUpdate(row);
    const reader = QuoteBoard.attach(board.describe());
    const snap = QuoteBoard.snapshot();
    expect(reader.read(row, snap)).toBe(1);
    expect(snap.i32[QuoteI32.token]).toBe(408065);
    expect(snap.i32[QuoteI32.lastPrice]).toBe(1_234_50);
    expect(snap.i32[QuoteI32.bidPrice + 4]).toBe(1_234_00);
    expect(snap.f64[QuoteF64.volume]).toBe(2 ** 40);
    expect(snap.f64[QuoteF64.askQuantity + 4]).toBe(75);
    expect(reader.version(row)).toBe(1);
    expect(reader.stats('board')).toMatchObject({ kind: 'board', used: 1, capacity: 8, stale: 0 });
  });

  it('refuses rows past capacity', () => {
    const board = QuoteBoard.create(1);
    board.addInstrument(1);
    expect(() => board.addInstrument(2)).toThrow(RangeError);
  });

  it('an update of one row never shows in another (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(15), fc.integer()), { maxLength: 100 }), (writes) => {
        const board = QuoteBoard.create(16);
        for (let t = 0; t < 16; t++) board.addInstrument(t + 100);
        const model = new Map<number, number>();
        for (const [row, price] of writes) {
          board.beginUpdate(row);
          board.i32[board.i32Base(row) + QuoteI32.lastPrice] = price | 0;
          board.endUpdate(row);
          model.set(row, price | 0);
        }
        const snap = QuoteBoard.snapshot();
        for (let row = 0; row < 16; row++) {
          board.read(row, snap);
          if (
            snap.i32[QuoteI32.lastPrice] !== (model.get(row) ?? 0) ||
            snap.i32[QuoteI32.token] !== row + 100
          )
            return false;
        }
        return true;
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('ColumnStore', () => {
  it('appends bars and publishes them; readers see only published bars', () => {
    const store = ColumnStore.create(3);
    const reader = ColumnStore.attach(store.describe());
    expect(store.append({ time: 1, open: 10, high: 12, low: 9, close: 11, volume: 100, oi: 5 })).toBe(true);
    expect(reader.length).toBe(1);
    expect(reader.close[0]).toBe(11);
    store.time[1] = 2;
    store.close[1] = 20;
    store.time[2] = 3;
    store.close[2] = 30;
    expect(reader.length).toBe(1);
    store.publish(2);
    expect(reader.length).toBe(3);
    expect([...reader.close]).toEqual([11, 20, 30]);
    expect(store.append({ time: 4, open: 1, high: 1, low: 1, close: 1, volume: 1, oi: 1 })).toBe(false);
    expect(() => {
      store.publish(1);
    }).toThrow(RangeError);
    expect(store.stats('c')).toMatchObject({ kind: 'columns', used: 3, capacity: 3 });
  });
});

describe('MemoryRegistry and hand-off', () => {
  it('snapshots every registered structure, by name', () => {
    const registry = new MemoryRegistry();
    const ring = SpscRing.create({ capacity: 8, recordBytes: 8, overflow: 'refuse' });
    const pool = SlabPool.create({ x: 'i32' }, 4);
    registry.register('ticks', ring);
    const reg = registry.register('orders', pool);
    expect(() => registry.register('ticks', ring)).toThrow();
    pool.acquire();
    const snap = registry.snapshot(() => 42);
    expect(snap.at).toBe(42);
    expect(snap.structures.map((s) => s.name)).toEqual(['orders', 'ticks']);
    expect(snap.structures[0]).toMatchObject({ kind: 'pool', used: 1, highWater: 1 });
    expect(snap.totalBytes).toBe(ring.buffer.byteLength + pool.buffer.byteLength);
    reg.dispose();
    expect(registry.size).toBe(1);
  });

  it('describes and attaches a set of structures to the same buffers', () => {
    const set = {
      ring: SpscRing.create({ capacity: 8, recordBytes: 8, overflow: 'refuse' }),
      board: QuoteBoard.create(2),
      columns: ColumnStore.create(4),
      pool: SlabPool.create({ x: 'i32' }, 2),
    };
    const descriptors = structuredClone(describeAll(set));
    const other = attachAll(descriptors);
    expect(other.names).toEqual(['ring', 'board', 'columns', 'pool']);
    set.ring.pushF64(new Float64Array([5]));
    expect(other.ring('ring').available()).toBe(1);
    expect(other.board('board')).toBeInstanceOf(QuoteBoard);
    expect(other.columns('columns')).toBeInstanceOf(ColumnStore);
    expect(other.pool('pool', { x: 'i32' }).acquire()).toBeGreaterThanOrEqual(0);
    expect(set.pool.inUse).toBe(1);
    expect(() => other.ring('board')).toThrow(TypeError);
    expect(() => other.byteRing('nothing')).toThrow(TypeError);
    expect(() => other.pool('pool', { x: 'f64' })).toThrow(TypeError);
  });
});
