// The native memory engine: slab pool, SPSC ring between two threads, quote board reads, and a
// 10M-tick decode -> board -> ring run watched for garbage collections. Each figure sits beside a
// baseline measured in the same run.
import path from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { StressResult, StressTask } from '../../native/fixtures/stress.worker';
import { STRESS_RECORD_BYTES } from '../../native/fixtures/stressProtocol';
import { mix32 } from '../../native/fixtures/xorshift';
import { QUOTE_F64_COUNT, QUOTE_I32_COUNT, QuoteBoard, QuoteF64, QuoteI32 } from '../../native/quoteBoard';
import { SlabPool } from '../../native/slabPool';
import { SpscRing } from '../../native/spscRing';
import type { SharedSet } from '../../native/workerHandoff';
import { startWorker } from '../../native/workerHandoff';
import { percentile, perCall } from '../measure';
import type { BenchRow } from '../measure';

const STRESS_FILE = path.join(__dirname, '../../native/fixtures/stress.worker.ts');
const SUITE = 'native';

/** Starts a fixture worker and resolves its next message each time `next()` is called. */
function fixture(shared: SharedSet, task: StressTask): { worker: Worker; next: () => Promise<StressResult> } {
  const worker = startWorker(Worker, STRESS_FILE, shared, task, { execArgv: ['--require', 'tsx/cjs'] });
  const next = (): Promise<StressResult> =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  return { worker, next };
}

function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Where benchmarks drop values so the optimiser cannot discard the work that made them. */
const keep: { sink: unknown } = { sink: undefined };

function poolRows(): BenchRow[] {
  const schema = { price: 'i32', quantity: 'f64', side: 'i32', time: 'f64' } as const;
  const pool = SlabPool.create(schema, 4096);
  const price = pool.fields.price;
  const quantity = pool.fields.quantity;
  const pooled: number[] = [];
  const allocated: number[] = [];
  let i = 0;
  for (let trial = 0; trial < 15; trial++) {
    pooled.push(
      perCall(() => {
        const h = pool.acquire();
        const at = pool.index(h);
        price[at] = i;
        quantity[at] = i++;
        pool.release(h);
      }, 1_000_000),
    );
    allocated.push(
      perCall(() => {
        keep.sink = { price: i, quantity: i++, side: 1, time: 0 };
      }, 1_000_000),
    );
  }
  const value = median(pooled);
  return [
    {
      suite: SUITE,
      name: 'pool acquire + write + release (median of 15)',
      unit: 'ns',
      value,
      baselineName: 'allocate the record as an object',
      baseline: median(allocated),
      budget: 'median <= 20 ns',
      withinBudget: value <= 20,
    },
  ];
}

async function ringRows(): Promise<BenchRow[]> {
  // Ring: a producer worker and a consumer worker, 10^7 16-byte records, timed from "go" to "all received".
  const count = 10_000_000;
  const ring = SpscRing.create({ capacity: 4096, recordBytes: STRESS_RECORD_BYTES, overflow: 'refuse' });
  const consumer = fixture({ ring }, { role: 'ringConsumer', count });
  const producer = fixture({ ring }, { role: 'ringProducer', count, batch: 64, waitForGo: true });
  await producer.next(); // ready
  const received = consumer.next();
  const t0 = performance.now();
  producer.worker.postMessage('go');
  const result = await received;
  const ringPerSecond = count / ((performance.now() - t0) / 1000);
  await Promise.all([producer.worker.terminate(), consumer.worker.terminate()]);
  if (result.errors !== 0 || result.records !== count)
    throw new Error('ring bench lost or reordered records');

  // Baseline: the same records posted to a worker, one postMessage each (what a naive feed does).
  const pmCount = 300_000;
  const postOne = async (batch: number): Promise<number> => {
    const sinkWorker = fixture({}, { role: 'postMessageSink', count: pmCount });
    await sinkWorker.next(); // ready
    const done = sinkWorker.next();
    const t = performance.now();
    if (batch === 1) {
      for (let seq = 0; seq < pmCount; seq++) {
        const v = mix32(seq);
        sinkWorker.worker.postMessage({ seq, value: v, check: seq ^ v });
      }
    } else {
      for (let seq = 0; seq < pmCount;) {
        const records: { seq: number; value: number; check: number }[] = [];
        for (let k = 0; k < batch && seq < pmCount; k++, seq++) {
          const v = mix32(seq);
          records.push({ seq, value: v, check: seq ^ v });
        }
        sinkWorker.worker.postMessage(records);
      }
    }
    await done;
    const perSecond = pmCount / ((performance.now() - t) / 1000);
    await sinkWorker.worker.terminate();
    return perSecond;
  };
  const onePerMessage = await postOne(1);
  const batched = await postOne(1024);
  return [
    {
      suite: SUITE,
      name: 'SPSC ring, 10^7 records between two worker threads',
      unit: 'M records/s',
      value: ringPerSecond / 1e6,
      baselineName: 'worker postMessage, one record per message',
      baseline: onePerMessage / 1e6,
      higherIsBetter: true,
      budget: '>= 20x postMessage',
      withinBudget: ringPerSecond >= 20 * onePerMessage,
    },
    {
      suite: SUITE,
      name: 'SPSC ring (same run) vs batched postMessage',
      unit: 'M records/s',
      value: ringPerSecond / 1e6,
      baselineName: 'worker postMessage, 1024 records per message',
      baseline: batched / 1e6,
      higherIsBetter: true,
    },
  ];
}

const INSTRUMENTS = 50;

/** A quote as a plain object, the shape the official client hands out (baseline for the board). */
interface QuoteObject {
  token: number;
  lastPrice: number;
  averagePrice: number;
  open: number;
  high: number;
  low: number;
  close: number;
  lastQuantity: number;
  volume: number;
  buyQuantity: number;
  sellQuantity: number;
  lastTradeTime: number;
  exchangeTime: number;
  oi: number;
  oiDayHigh: number;
  oiDayLow: number;
  depth: {
    buy: { price: number; quantity: number; orders: number }[];
    sell: { price: number; quantity: number; orders: number }[];
  };
}

function boardRows(): BenchRow[] {
  const board = QuoteBoard.create(INSTRUMENTS);
  const map = new Map<number, QuoteObject>();
  for (let t = 0; t < INSTRUMENTS; t++) {
    const row = board.addInstrument(1000 + t);
    board.beginUpdate(row);
    for (let k = 2; k < QUOTE_I32_COUNT; k++) board.i32[board.i32Base(row) + k] = t * 100 + k;
    for (let k = 0; k < QUOTE_F64_COUNT; k++) board.f64[board.f64Base(row) + k] = t * 1000 + k;
    board.endUpdate(row);
    const level = (e: number): { price: number; quantity: number; orders: number } => ({
      price: t + e,
      quantity: e,
      orders: 1,
    });
    map.set(1000 + t, {
      token: 1000 + t,
      lastPrice: t,
      averagePrice: t,
      open: t,
      high: t,
      low: t,
      close: t,
      lastQuantity: t,
      volume: t,
      buyQuantity: t,
      sellQuantity: t,
      lastTradeTime: t,
      exchangeTime: t,
      oi: t,
      oiDayHigh: t,
      oiDayLow: t,
      depth: { buy: [0, 1, 2, 3, 4].map(level), sell: [0, 1, 2, 3, 4].map(level) },
    });
  }
  const snap = QuoteBoard.snapshot();
  const copy = QuoteBoard.snapshot();
  const ci = copy.i32;
  const cf = copy.f64;
  let n = 0;
  const boardFull = perCall(() => board.read(n++ % INSTRUMENTS, snap), 2_000_000);
  const mapFull = perCall(() => {
    const o = map.get(1000 + (n++ % INSTRUMENTS));
    if (o === undefined) return;
    ci[1] = o.token;
    ci[2] = o.lastPrice;
    ci[3] = o.averagePrice;
    ci[4] = o.open;
    ci[5] = o.high;
    ci[6] = o.low;
    ci[7] = o.close;
    cf[0] = o.lastQuantity;
    cf[1] = o.volume;
    cf[2] = o.buyQuantity;
    cf[3] = o.sellQuantity;
    cf[4] = o.lastTradeTime;
    cf[5] = o.exchangeTime;
    cf[6] = o.oi;
    cf[7] = o.oiDayHigh;
    cf[8] = o.oiDayLow;
    for (let e = 0; e < 5; e++) {
      const b = o.depth.buy[e];
      const a = o.depth.sell[e];
      if (b === undefined || a === undefined) return;
      ci[8 + e] = b.price;
      ci[13 + e] = a.price;
      ci[18 + e] = b.orders;
      ci[23 + e] = a.orders;
      cf[9 + e] = b.quantity;
      cf[14 + e] = a.quantity;
    }
  }, 2_000_000);
  // L1 only: best bid, best ask, bid quantity, consistent under the seqlock.
  const i32 = board.i32;
  const f64 = board.f64;
  const bidAt = QuoteI32.bidPrice;
  const askAt = QuoteI32.askPrice;
  const bidQtyAt = QuoteF64.bidQuantity;
  const l1Board = perCall(() => {
    const row = n++ % INSTRUMENTS;
    const ib = board.i32Base(row);
    const fb = board.f64Base(row);
    for (;;) {
      const s = Atomics.load(i32, ib);
      const bid = i32[ib + bidAt] ?? 0;
      const ask = i32[ib + askAt] ?? 0;
      const qty = f64[fb + bidQtyAt] ?? 0;
      if ((s & 1) === 0 && Atomics.load(i32, ib) === s) return bid + ask + qty;
    }
  }, 2_000_000);
  const l1Map = perCall(() => {
    const o = map.get(1000 + (n++ % INSTRUMENTS));
    const b = o?.depth.buy[0];
    const a = o?.depth.sell[0];
    return b === undefined || a === undefined ? 0 : b.price + a.price + b.quantity;
  }, 2_000_000);
  return [
    {
      suite: SUITE,
      name: 'board: consistent copy of a full row (47 fields)',
      unit: 'ns',
      value: boardFull,
      baselineName: 'Map.get + copy the same fields from a quote object',
      baseline: mapFull,
    },
    {
      suite: SUITE,
      name: 'board: L1 read (bid, ask, bid qty) under the seqlock',
      unit: 'ns',
      value: l1Board,
      baselineName: 'Map.get + read the same 3 fields of a quote object',
      baseline: l1Map,
    },
  ];
}

/** Synthetic Kite full-mode packets (184 bytes, big-endian Int32), one per instrument. */
function syntheticPackets(): DataView[] {
  const packets: DataView[] = [];
  for (let t = 0; t < INSTRUMENTS; t++) {
    const view = new DataView(new ArrayBuffer(184));
    view.setInt32(0, 1000 + t);
    for (let off = 4; off < 64; off += 4) view.setInt32(off, 100_000 + t * 10 + off);
    for (let e = 0; e < 10; e++) {
      view.setInt32(64 + e * 12, 75 * (e + 1));
      view.setInt32(68 + e * 12, 100_000 + (e < 5 ? -e : e) * 5);
      view.setUint16(72 + e * 12, e + 1);
    }
    packets.push(view);
  }
  return packets;
}

async function tickRows(): Promise<BenchRow[]> {
  const ticks = 10_000_000;
  const packets = syntheticPackets();
  const board = QuoteBoard.create(INSTRUMENTS);
  const rowOfToken = new Int32Array(1000 + INSTRUMENTS).fill(-1);
  for (let t = 0; t < INSTRUMENTS; t++) rowOfToken[1000 + t] = board.addInstrument(1000 + t);
  const ring = SpscRing.create({ capacity: 1024, recordBytes: 16, overflow: 'overwrite' });
  const i32 = board.i32;
  const f64 = board.f64;
  const ri32 = ring.i32;
  let checksum = 0;
  // Field offsets hoisted into locals: under CommonJS interop an imported object's properties are
  // read through getters, which a hot loop should not pay per field.
  const I = { ...QuoteI32 };
  const F = { ...QuoteF64 };
  const { lastPrice, averagePrice, open, high, low, close, bidPrice, askPrice, bidOrders, askOrders } = I;
  const {
    lastQuantity,
    volume,
    totalBuyQuantity,
    totalSellQuantity,
    lastTradeTime,
    oi,
    oiDayHigh,
    oiDayLow,
  } = F;
  const { exchangeTime, bidQuantity, askQuantity } = F;

  // decode (DataView, big-endian) -> board (seqlock) -> ring (row, last price, volume), drained
  // every 64 ticks by the same thread.
  const pooledTick = (p: DataView): void => {
    const row = rowOfToken[p.getInt32(0)] ?? -1;
    if (row < 0) return;
    const ib = board.i32Base(row);
    const fb = board.f64Base(row);
    board.beginUpdate(row);
    i32[ib + lastPrice] = p.getInt32(4);
    f64[fb + lastQuantity] = p.getInt32(8);
    i32[ib + averagePrice] = p.getInt32(12);
    f64[fb + volume] = p.getInt32(16);
    f64[fb + totalBuyQuantity] = p.getInt32(20);
    f64[fb + totalSellQuantity] = p.getInt32(24);
    i32[ib + open] = p.getInt32(28);
    i32[ib + high] = p.getInt32(32);
    i32[ib + low] = p.getInt32(36);
    i32[ib + close] = p.getInt32(40);
    f64[fb + lastTradeTime] = p.getInt32(44) * 1000;
    f64[fb + oi] = p.getInt32(48);
    f64[fb + oiDayHigh] = p.getInt32(52);
    f64[fb + oiDayLow] = p.getInt32(56);
    f64[fb + exchangeTime] = p.getInt32(60) * 1000;
    for (let e = 0; e < 5; e++) {
      f64[fb + bidQuantity + e] = p.getInt32(64 + e * 12);
      i32[ib + bidPrice + e] = p.getInt32(68 + e * 12);
      i32[ib + bidOrders + e] = p.getUint16(72 + e * 12);
      f64[fb + askQuantity + e] = p.getInt32(124 + e * 12);
      i32[ib + askPrice + e] = p.getInt32(128 + e * 12);
      i32[ib + askOrders + e] = p.getUint16(132 + e * 12);
    }
    board.endUpdate(row);
    const slot = ring.claim();
    const base = slot * ring.i32Stride;
    ri32[base] = row;
    ri32[base + 1] = i32[ib + lastPrice] ?? 0;
    ring.publish();
  };
  const drain = (): void => {
    const n = ring.available();
    for (let k = 0; k < n; k++)
      checksum = (checksum + (ri32[ring.readSlot(k) * ring.i32Stride + 1] ?? 0)) | 0;
    ring.consume(n);
  };

  // Baseline: decode each packet into a new object graph, as the official client does, and queue it.
  interface Depth {
    quantity: number;
    price: number;
    orders: number;
  }
  const queue: unknown[] = [];
  const objectTick = (p: DataView): void => {
    const buy: Depth[] = [];
    const sell: Depth[] = [];
    for (let e = 0; e < 5; e++) {
      buy.push({
        quantity: p.getInt32(64 + e * 12),
        price: p.getInt32(68 + e * 12),
        orders: p.getUint16(72 + e * 12),
      });
      sell.push({
        quantity: p.getInt32(124 + e * 12),
        price: p.getInt32(128 + e * 12),
        orders: p.getUint16(132 + e * 12),
      });
    }
    queue.push({
      token: p.getInt32(0),
      lastPrice: p.getInt32(4),
      lastQuantity: p.getInt32(8),
      averagePrice: p.getInt32(12),
      volume: p.getInt32(16),
      buyQuantity: p.getInt32(20),
      sellQuantity: p.getInt32(24),
      ohlc: { open: p.getInt32(28), high: p.getInt32(32), low: p.getInt32(36), close: p.getInt32(40) },
      lastTradeTime: new Date(p.getInt32(44) * 1000),
      oi: p.getInt32(48),
      oiDayHigh: p.getInt32(52),
      oiDayLow: p.getInt32(56),
      exchangeTime: new Date(p.getInt32(60) * 1000),
      depth: { buy, sell },
    });
  };
  const objectDrain = (): void => {
    keep.sink = queue[queue.length - 1];
    queue.length = 0;
  };

  const gcStarts: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcStarts.push(entry.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
  const run = async (
    tick: (p: DataView) => void,
    drainQueue: () => void,
  ): Promise<{ ns: number; gcs: number }> => {
    for (let i = 0; i < 1_000_000; i++) {
      tick(packets[i % INSTRUMENTS] ?? (packets[0] as DataView));
      if ((i & 63) === 63) drainQueue();
    }
    drainQueue();
    await new Promise((resolve) => setTimeout(resolve, 50)); // let warm-up GCs report
    const from = performance.now();
    for (let i = 0; i < ticks; i++) {
      tick(packets[i % INSTRUMENTS] ?? (packets[0] as DataView));
      if ((i & 63) === 63) drainQueue();
    }
    drainQueue();
    const to = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 100)); // the observer reports asynchronously
    return { ns: ((to - from) * 1e6) / ticks, gcs: gcStarts.filter((t) => t >= from && t <= to).length };
  };
  const pooled = await run(pooledTick, drain);
  const objects = await run(objectTick, objectDrain);
  observer.disconnect();
  keep.sink = checksum;
  return [
    {
      suite: SUITE,
      name: 'GCs during 10M ticks decode -> board -> ring (steady state)',
      unit: 'GCs',
      value: pooled.gcs,
      baselineName: 'decode into objects + queue',
      baseline: objects.gcs,
      budget: 'zero GCs',
      withinBudget: pooled.gcs === 0,
    },
    {
      suite: SUITE,
      name: 'one tick decode -> board -> ring (mean of 10M)',
      unit: 'ns',
      value: pooled.ns,
      baselineName: 'decode into objects + queue',
      baseline: objects.ns,
    },
  ];
}

/** The native suite, registered as `native` in bench/run.ts. */
export async function nativeSuite(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  rows.push(...poolRows());
  rows.push(...boardRows());
  rows.push(...(await tickRows()));
  rows.push(...(await ringRows()));
  return rows;
}
