// Real worker_threads against native/'s structures: rings with no loss and order kept, a board
// read by other threads while written, a pool shared under contention, columns shared uncopied.
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ColumnStore } from './columnStore';
import type { StressResult, StressTask } from './fixtures/stress.worker';
import { CONTENTION_SCHEMA, STRESS_RECORD_BYTES } from './fixtures/stressProtocol';
import { mix32, xorshift32 } from './fixtures/xorshift';
import { QuoteBoard } from './quoteBoard';
import { SlabPool } from './slabPool';
import { SpscByteRing } from './spscByteRing';
import { SpscRing } from './spscRing';
import { startWorker } from './workerHandoff';
import type { SharedSet } from './workerHandoff';

const STRESS_FILE = new URL('./fixtures/stress.worker.ts', import.meta.url);
const workers: Worker[] = [];

function start(shared: SharedSet, task: StressTask): { worker: Worker; result: Promise<StressResult> } {
  const worker = startWorker(Worker, STRESS_FILE, shared, task, { execArgv: ['--require', 'tsx/cjs'] });
  workers.push(worker);
  const result = new Promise<StressResult>((resolve, reject) => {
    worker.once('message', (r: StressResult) => {
      resolve(r);
    });
    worker.once('error', reject);
  });
  return { worker, result };
}

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

describe('SpscRing across threads', () => {
  it('moves 10^7 records between two threads with none lost, order kept and checksums equal', async () => {
    const count = 10_000_000;
    const ring = SpscRing.create({ capacity: 4096, recordBytes: STRESS_RECORD_BYTES, overflow: 'refuse' });
    const consumer = start({ ring }, { role: 'ringConsumer', count });
    const producer = start({ ring }, { role: 'ringProducer', count, batch: 64 });
    const [p, c] = await Promise.all([producer.result, consumer.result]);
    expect(c.errors).toBe(0);
    expect(c.records).toBe(count);
    expect(c.checksum).toBe(p.checksum);
    let expected = 0;
    for (let seq = 0; seq < count; seq++) expected = (expected + mix32(seq)) | 0;
    expect(p.checksum).toBe(expected);
    expect(ring.occupancy).toBe(0);
    expect(ring.stats('r').overflows).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('conflates under overwrite: every record is delivered intact in order or counted as dropped', async () => {
    const count = 1_000_000;
    const ring = SpscRing.create({ capacity: 64, recordBytes: STRESS_RECORD_BYTES, overflow: 'overwrite' });
    const consumer = start({ ring }, { role: 'conflatingConsumer', count });
    const producer = start({ ring }, { role: 'conflatingProducer', count });
    const [, c] = await Promise.all([producer.result, consumer.result]);
    expect(c.errors).toBe(0);
    // Delivered + dropped = sent (the end marker, delivered last, is not counted in either).
    expect(c.records + ring.stats('r').overflows).toBe(count);
  }, 60_000);
});

describe('SpscByteRing across threads', () => {
  it('moves 10^6 variable-length messages with none lost and every byte equal', async () => {
    const count = 1_000_000;
    const ring = SpscByteRing.create(1 << 14);
    const consumer = start({ ring }, { role: 'byteConsumer', count, seed: 42 });
    const producer = start({ ring }, { role: 'byteProducer', count, seed: 42 });
    const [p, c] = await Promise.all([producer.result, consumer.result]);
    expect(c.errors).toBe(0);
    expect(c.records).toBe(count);
    expect(c.checksum).toBe(p.checksum);
    expect(ring.published).toBe(count);
  }, 60_000);
});

describe('SpscRing wake-ups', () => {
  it('parks the consumer with Atomics.waitAsync and wakes it when another thread publishes', async () => {
    const ring = SpscRing.create({ capacity: 1024, recordBytes: STRESS_RECORD_BYTES, overflow: 'refuse' });
    const producer = start({ ring }, { role: 'ringProducer', count: 100_000, batch: 16 });
    let received = 0;
    let errors = 0;
    while (received < 100_000) {
      if ((await ring.waitForData(5000, 0)) === 'timed-out') break;
      const n = ring.available();
      for (let k = 0; k < n; k++) {
        if (ring.i32[ring.readSlot(k) * ring.i32Stride] !== received) errors++;
        received++;
      }
      ring.consume(n);
    }
    await producer.result;
    expect(errors).toBe(0);
    expect(received).toBe(100_000);
    expect(ring.stats('r').waits).toBeGreaterThan(0);
  }, 60_000);
});

describe('QuoteBoard across threads', () => {
  it('never lets a reader see a torn update while one thread writes', async () => {
    const board = QuoteBoard.create(4);
    for (let t = 0; t < 4; t++) board.addInstrument(1000 + t);
    const durationMs = 1500;
    const readers = [
      start({ board }, { role: 'boardReader', durationMs, seed: 1 }),
      start({ board }, { role: 'boardReader', durationMs, seed: 2 }),
    ];
    const writer = start({ board }, { role: 'boardWriter', updates: 1_000_000_000 });
    const results = await Promise.all(readers.map((r) => r.result));
    await writer.worker.terminate();
    for (const r of results) {
      // Thousands of consistent copies against a writer that never pauses (a loaded 2-core CI
      // machine with other test files running gets ~6,000 in the 1.5 s; an idle one ~10^5).
      expect(r.records).toBeGreaterThan(1_000);
      expect(r.errors).toBe(0);
    }
    // The unsynchronised control copy usually tears on a busy machine; that the seqlock copy
    // never did is the point. Logged, not asserted: a machine with one core may never tear.
    console.log(
      `board: ${results.map((r) => r.records).join('/')} consistent reads, seqlock retries ${results.map((r) => r.checksum).join('/')}, unsynchronised torn copies ${results.map((r) => r.extra).join('/')}`,
    );
  }, 60_000);
});

describe('SlabPool across threads', () => {
  it.each([
    { capacity: 8, threadCache: 0 },
    { capacity: 64, threadCache: 4 },
  ])(
    'never hands one record to two threads and rejects every stale handle under contention ($capacity records, thread cache $threadCache)',
    async ({ capacity, threadCache }) => {
      const pool = SlabPool.create(CONTENTION_SCHEMA, capacity, threadCache);
      const iterations = 200_000;
      const rand = xorshift32(7);
      const runs = [0, 1, 2, 3].map((i) =>
        start({ pool }, { role: 'poolContention', id: i + 1, iterations, seed: rand() }),
      );
      const results = await Promise.all(runs.map((r) => r.result));
      for (const r of results) {
        expect(r.errors).toBe(0);
        expect(r.extra).toBe(0);
        expect(r.records).toBeGreaterThan(0);
      }
      expect(pool.inUse).toBe(0);
      // The free list is intact: every record once, then empty.
      const seen = new Set<number>();
      for (let i = 0; i < capacity; i++) seen.add(pool.index(pool.acquire()));
      expect(seen.size).toBe(capacity);
      expect(pool.acquire()).toBe(-1);
      const stats = pool.stats('p');
      expect(stats.highWater).toBeLessThanOrEqual(capacity);
      expect(stats.stale).toBe(results.reduce((sum, r) => sum + r.records, 0));
    },
    60_000,
  );
});

describe('ColumnStore across threads', () => {
  it('is read by a worker without copying: bars appended later are seen in place', async () => {
    const store = ColumnStore.create(10_000);
    const append = (from: number, to: number): void => {
      for (let i = from; i < to; i++) {
        store.append({
          time: i * 60_000,
          open: i,
          high: i + 2,
          low: i - 1,
          close: i + 1,
          volume: 10 * i,
          oi: 0,
        });
      }
    };
    append(0, 5000);
    const worker = startWorker(
      Worker,
      STRESS_FILE,
      { columns: store },
      { role: 'columnSum' } satisfies StressTask,
      {
        execArgv: ['--require', 'tsx/cjs'],
      },
    );
    workers.push(worker);
    const results: StressResult[] = [];
    const next = (): Promise<StressResult> =>
      new Promise((resolve) => {
        worker.once('message', (r: StressResult) => {
          results.push(r);
          resolve(r);
        });
      });
    await next(); // ready
    worker.postMessage('sum');
    const first = await next();
    expect(first.records).toBe(5000);
    expect(first.checksum).toBe((5000 * 5001) / 2);
    append(5000, 10_000);
    worker.postMessage('sum');
    const second = await next();
    expect(second.records).toBe(10_000);
    expect(second.checksum).toBe((10_000 * 10_001) / 2);
  }, 60_000);
});
