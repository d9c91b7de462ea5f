// Kite tick decoding: our TickDecoder (frame -> QuoteBoard, bounds-checked) beside the official
// kiteconnect parser (frame -> objects) on the same full-mode frames, in the same run. Throughput,
// per-packet latency percentiles, and garbage collections over a 10M-packet decode run.
import { KiteTicker } from 'kiteconnect';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { TickDecoder } from '../../electron/engine/broker/kite/decode';
import { BarAggregator } from '../../electron/engine/market/bars';
import type { Bar } from '../../electron/engine/market/bars';
import { QuoteBoard, QuoteF64, QuoteI32 } from '../../native/quoteBoard';
import { TickFrameWriter } from '../../shared/kite/tickPacket';
import type { TickSnapshot } from '../../shared/kite/tickPacket';
import { percentile } from '../measure';
import type { BenchRow } from '../measure';

const SUITE = 'ticks';
const INSTRUMENTS = 50;
/** Frames per distinct set; cycled through so the decoder does not see one frame over and over. */
const VARIANTS = 64;

/** The official client's parser, through the instance method that wraps its module function. */
const official = new KiteTicker({ api_key: 'bench', access_token: 'bench' }) as unknown as {
  parseBinary(data: ArrayBuffer): unknown[];
};

/** Where results go so the optimiser cannot drop the work that made them. */
const keep: { sink: unknown } = { sink: undefined };

function xorshift(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** Seeded NSE-like full snapshots: prices near Rs 1,000-5,000, five levels a side. */
function snapshots(count: number, seed: number): TickSnapshot[] {
  const next = xorshift(seed);
  const out: TickSnapshot[] = [];
  for (let k = 0; k < count; k++) {
    const token = ((1000 + (k % INSTRUMENTS)) << 8) | 1;
    const mid = 100_000 + (next() % 400_000);
    const level = (side: number, e: number) => ({
      price: mid + side * (e + 1) * 5,
      quantity: 1 + (next() % 5000),
      orders: 1 + (next() % 40),
    });
    out.push({
      instrumentToken: token,
      lastPrice: mid,
      lastQuantity: 1 + (next() % 500),
      averagePrice: mid - 50,
      volume: next() % 50_000_000,
      buyQuantity: next() % 1_000_000,
      sellQuantity: next() % 1_000_000,
      open: mid - 300,
      high: mid + 900,
      low: mid - 900,
      close: mid - 200,
      lastTradeTime: 1_795_500_000 + k,
      oi: 0,
      oiDayHigh: 0,
      oiDayLow: 0,
      exchangeTimestamp: 1_795_500_000 + k,
      bids: [0, 1, 2, 3, 4].map((e) => level(-1, e)),
      asks: [0, 1, 2, 3, 4].map((e) => level(1, e)),
    });
  }
  return out;
}

/** Frames of `perFrame` full packets each, as ws hands them over (Buffers) and as ArrayBuffers for the official parser. */
function frames(perFrame: number, seed: number): { buffers: Buffer[]; arrays: ArrayBuffer[] } {
  const ticks = snapshots(VARIANTS * perFrame, seed);
  const writer = new TickFrameWriter();
  const buffers: Buffer[] = [];
  const arrays: ArrayBuffer[] = [];
  for (let f = 0; f < VARIANTS; f++) {
    writer.begin();
    for (let k = 0; k < perFrame; k++) {
      const t = ticks[f * perFrame + k];
      if (t !== undefined) writer.add(t, 'full');
    }
    const bytes = writer.finish();
    buffers.push(Buffer.from(bytes));
    arrays.push(bytes.slice().buffer);
  }
  return { buffers, arrays };
}

function decoderFor(): { decoder: TickDecoder; sum: () => number } {
  const board = QuoteBoard.create(INSTRUMENTS);
  let sum = 0;
  // A subscriber that reads one field per tick, as the tick path's consumer will.
  const decoder = new TickDecoder(board, {
    onTick: (_token, row) => {
      sum = (sum + (board.i32[board.i32Base(row) + 2] ?? 0)) | 0;
    },
  });
  for (let t = 0; t < INSTRUMENTS; t++) decoder.ensureRow(((1000 + t) << 8) | 1);
  return { decoder, sum: () => sum };
}

/** Packets per second decoding `rounds` passes over `buffers`. */
function throughput(decode: (k: number) => number, frameCount: number, packets: number): number {
  for (let k = 0; k < Math.min(frameCount, 20_000); k++) decode(k % VARIANTS); // warm-up
  const t0 = performance.now();
  let decoded = 0;
  for (let k = 0; k < frameCount; k++) decoded += decode(k % VARIANTS);
  const seconds = (performance.now() - t0) / 1000;
  if (decoded !== frameCount * packets)
    throw new Error(`decoded ${decoded}, expected ${frameCount * packets}`);
  return decoded / seconds;
}

/** Each call timed on its own (the timer's cost included, so these are upper bounds), sorted, in us. */
function latencies(decode: (k: number) => number, calls: number, perCallPackets: number): number[] {
  for (let k = 0; k < Math.min(calls, 20_000); k++) decode(k % VARIANTS);
  const samples = new Float64Array(calls);
  for (let k = 0; k < calls; k++) {
    const t = performance.now();
    decode(k % VARIANTS);
    samples[k] = ((performance.now() - t) * 1000) / perCallPackets;
  }
  return Array.from(samples).sort((a, b) => a - b);
}

async function gcsDuring(run: () => void): Promise<{ gcs: number; ms: number }> {
  const starts: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) starts.push(entry.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
  await new Promise((resolve) => setTimeout(resolve, 50)); // let earlier GCs report first
  const from = performance.now();
  run();
  const to = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 100)); // the observer reports asynchronously
  observer.disconnect();
  return { gcs: starts.filter((t) => t >= from && t <= to).length, ms: to - from };
}

/** The ticks suite, registered as `ticks` in bench/run.ts. */
export async function ticksSuite(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const ours = decoderFor();

  // One full packet per frame: the per-packet cost with all per-frame overhead on it.
  const single = frames(1, 7);
  const oursSingle = (k: number): number => ours.decoder.decode(single.buffers[k] ?? Buffer.alloc(0));
  const officialSingle = (k: number): number =>
    official.parseBinary(single.arrays[k] ?? new ArrayBuffer(0)).length;
  const oursRate = throughput(oursSingle, 2_000_000, 1);
  const officialRate = throughput(officialSingle, 20_000, 1);
  rows.push({
    suite: SUITE,
    name: 'decode 1-packet full frames into the board',
    unit: 'k packets/s',
    value: oursRate / 1e3,
    baselineName: 'official KiteTicker parseBinary, same frames',
    baseline: officialRate / 1e3,
    higherIsBetter: true,
    budget: '>= 100x the official parser',
    withinBudget: oursRate >= 100 * officialRate,
  });

  // 50 full packets per frame (one frame per event-loop turn with 50 instruments moving).
  const batch = frames(INSTRUMENTS, 11);
  const oursBatch = (k: number): number => ours.decoder.decode(batch.buffers[k] ?? Buffer.alloc(0));
  const officialBatch = (k: number): number =>
    official.parseBinary(batch.arrays[k] ?? new ArrayBuffer(0)).length;
  const oursBatchRate = throughput(oursBatch, 100_000, INSTRUMENTS);
  const officialBatchRate = throughput(officialBatch, 400, INSTRUMENTS);
  rows.push({
    suite: SUITE,
    name: 'decode 50-packet full frames into the board',
    unit: 'k packets/s',
    value: oursBatchRate / 1e3,
    baselineName: 'official KiteTicker parseBinary, same frames',
    baseline: officialBatchRate / 1e3,
    higherIsBetter: true,
    budget: '>= 100x the official parser',
    withinBudget: oursBatchRate >= 100 * officialBatchRate,
  });

  const oursLatency = latencies(oursSingle, 1_000_000, 1);
  const officialLatency = latencies(officialSingle, 20_000, 1);
  const p99 = percentile(oursLatency, 99);
  rows.push({
    suite: SUITE,
    name: 'one full packet, p99 (each frame timed alone, timer included)',
    unit: 'us',
    value: p99,
    baselineName: 'official parser p99',
    baseline: percentile(officialLatency, 99),
    budget: 'p99 <= 1 us',
    withinBudget: p99 <= 1,
  });
  rows.push({
    suite: SUITE,
    name: 'one full packet, p50 (timer included)',
    unit: 'us',
    value: percentile(oursLatency, 50),
    baselineName: 'official parser p50',
    baseline: percentile(officialLatency, 50),
  });
  const batchLatency = latencies(oursBatch, 100_000, INSTRUMENTS);
  const batchP99 = percentile(batchLatency, 99);
  rows.push({
    suite: SUITE,
    name: 'per packet in 50-packet frames, p99 of frames',
    unit: 'us',
    value: batchP99,
    baselineName: 'official parser, same',
    baseline: percentile(latencies(officialBatch, 400, INSTRUMENTS), 99),
    budget: 'p99 <= 1 us',
    withinBudget: batchP99 <= 1,
  });

  // Garbage: 10M full packets (200k frames of 50) through decode -> board -> listener.
  const longRun = await gcsDuring(() => {
    for (let k = 0; k < 200_000; k++) oursBatch(k % VARIANTS);
  });
  const officialRun = await gcsDuring(() => {
    for (let k = 0; k < 400; k++)
      keep.sink = official.parseBinary(batch.arrays[k % VARIANTS] ?? new ArrayBuffer(0));
  });
  rows.push({
    suite: SUITE,
    name: `GCs while decoding 10M full packets (${(longRun.ms / 1000).toFixed(1)} s)`,
    unit: 'GCs',
    value: longRun.gcs,
    baselineName: `official parser, 20k packets (${(officialRun.ms / 1000).toFixed(1)} s)`,
    baseline: officialRun.gcs,
    budget: 'zero GCs',
    withinBudget: longRun.gcs === 0,
  });
  keep.sink = ours.sum();
  if (ours.decoder.stats.malformed !== 0) throw new Error('bench frames were refused');

  // The tick path in process: frame -> board -> bars (1 s, 1 min, 5 min) -> a subscriber reading the
  // bar, as the engine's MarketData runs it (a strategy's callback and the risk check join later).
  const path = tickPathFor();
  const pathSingle = (k: number): number => path.decoder.decode(single.buffers[k] ?? Buffer.alloc(0));
  const pathRate = throughput(pathSingle, 2_000_000, 1);
  rows.push({
    suite: SUITE,
    name: 'tick -> board -> bars (1s, 1m, 5m) -> subscriber, 1-packet frames',
    unit: 'k ticks/s',
    value: pathRate / 1e3,
    baselineName: 'decode into the board alone, same frames',
    baseline: oursRate / 1e3,
    higherIsBetter: true,
    budget: '>= 1M ticks/s',
    withinBudget: pathRate >= 1e6,
  });
  const pathLatency = latencies(pathSingle, 1_000_000, 1);
  const pathP99 = percentile(pathLatency, 99);
  rows.push({
    suite: SUITE,
    name: 'tick -> bars -> subscriber, p99 per tick (timer included)',
    unit: 'us',
    value: pathP99,
    baselineName: 'decode alone, p99',
    baseline: p99,
    budget: 'p99 <= 5 us',
    withinBudget: pathP99 <= 5,
  });
  keep.sink = path.sum();
  return rows;
}

/** The decoder feeding one BarAggregator per instrument, whose listener reads each updated bar. */
function tickPathFor(): { decoder: TickDecoder; sum: () => number } {
  const board = QuoteBoard.create(INSTRUMENTS);
  let sum = 0;
  const listener = {
    onUpdate: (bar: Bar) => {
      sum = (sum + bar.close) | 0;
    },
  };
  const byRow: BarAggregator[] = [];
  const decoder = new TickDecoder(board, {
    onTick: (_token, row) => {
      const bars = byRow[row];
      if (bars === undefined) return;
      const f = board.f64Base(row);
      const exchangeTime = board.f64[f + QuoteF64.exchangeTime] ?? 0;
      bars.onTick(
        board.i32[board.i32Base(row) + QuoteI32.lastPrice] ?? 0,
        board.f64[f + QuoteF64.volume] ?? 0,
        exchangeTime,
      );
    },
  });
  for (let t = 0; t < INSTRUMENTS; t++) {
    const token = ((1000 + t) << 8) | 1;
    const row = decoder.ensureRow(token);
    // Always open, so every tick of the bench's timestamps lands in a bar.
    byRow[row] = new BarAggregator({
      instrumentToken: token,
      intervals: ['1s', '1m', '5m'],
      session: { openMs: 0, closeMs: 86_400_000 },
      ...listener,
    });
  }
  return { decoder, sum: () => sum };
}
