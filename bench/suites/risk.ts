// Pre-trade risk: PreTradeRisk.check over a seeded stream of orders and book states, beside a zod
// parse of the same orders and a plain object-spread validation, measured in the same run.
// Per-check latency percentiles (each check timed alone, timer included), throughput, and garbage
// collections over a long run of passing checks (the pass path should allocate nothing).
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { z } from 'zod';
import { OrderRateLimiter } from '../../electron/engine/risk/orderRate';
import { PreTradeRisk } from '../../electron/engine/risk/preTrade';
import type {
  OrderLimits,
  PreTradeContext,
  PreTradeLimits,
  PreTradeOrder,
  StrategyLimits,
} from '../../electron/engine/risk/preTrade';
import { percentile } from '../measure';
import type { BenchRow } from '../measure';

const SUITE = 'risk';
const INSTRUMENTS = 50;
/** Distinct orders in the stream, cycled through. */
const STREAM = 4_096;
const NOW = 1_000_000_000;

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

type Context = { -readonly [K in keyof PreTradeContext]: PreTradeContext[K] };

interface Case {
  readonly order: PreTradeOrder;
  readonly ctx: Context;
}

const token = (k: number): number => ((1000 + k) << 8) | 1;

/** Seeded orders near each instrument's last price, about 1 in 10 breaking a limit. */
function stream(seed: number): Case[] {
  const next = xorshift(seed);
  const out: Case[] = [];
  for (let k = 0; k < STREAM; k++) {
    const i = next() % INSTRUMENTS;
    const ltp = 10_000 + (next() % 500_000);
    const wild = next() % 20 === 0; // a fat finger
    const big = next() % 20 === 0; // oversize
    const price = ltp + (wild ? ltp >> 2 : (next() % 41) - 20) * 5;
    const quantity = big ? 50_000 : 1 + (next() % 50);
    const strategy = next() % 3;
    const instrumentToken = token(i);
    const side = next() % 2 === 0 ? 'BUY' : 'SELL';
    const kind = strategy === 0 && next() % 4 === 0 ? 'MARKET' : 'LIMIT';
    // One literal per shape, fields in one order, as the OMS builds them: V8 then sees two hidden
    // classes. (Spreading a base object gave nearly every order its own, and every check a
    // megamorphic property lookup: ~1.2 us instead of ~0.1 us.)
    const order: PreTradeOrder =
      strategy === 0
        ? { instrumentToken, side, quantity, kind, price }
        : { instrumentToken, side, quantity, kind, price, strategyId: `algo${strategy}` };
    out.push({
      order,
      ctx: {
        now: NOW,
        state: 'ACTIVE',
        divisor: 100,
        lastPrice: ltp,
        tickSize: 5,
        position: (next() % 400) - 200,
        openBuyQuantity: next() % 50,
        openSellQuantity: next() % 50,
        openOrders: next() % 30,
        strategyPosition: (next() % 100) - 50,
        strategyOpenBuyQuantity: next() % 20,
        strategyOpenSellQuantity: next() % 20,
        strategyOpenOrders: next() % 10,
        // The margin check runs on every order (an MIS rate, funds that pass).
        marginRateBp: 2_000,
        marginAvailablePaise: 1_000_000_000_000,
      },
    });
  }
  return out;
}

const LIMITS: PreTradeLimits = {
  global: { maxQuantity: 10_000, maxValuePaise: 50_000_000_00, maxPosition: 20_000 },
  instruments: new Map<number, OrderLimits>(
    Array.from(
      { length: INSTRUMENTS },
      (_, k) => [token(k), { maxQuantity: 5_000, maxPosition: 10_000 }] as const,
    ),
  ),
  maxOpenOrders: 100,
  fatFingerBasisPoints: 500,
  duplicateWindowMs: 2_000,
  strategies: new Map<string, StrategyLimits>([
    ['algo1', { maxQuantity: 2_000, maxValuePaise: 10_000_000_00, maxPosition: 5_000, maxOpenOrders: 40 }],
    ['algo2', { maxQuantity: 1_000, maxPosition: 2_000, maxOpenOrders: 20 }],
  ]),
};

/** Risk as it stands mid-session: 9 orders in the last second (the rate check does its full work) and 13 in the duplicate guard's window. */
function warmRisk(): PreTradeRisk {
  const rate = new OrderRateLimiter();
  const risk = new PreTradeRisk(LIMITS, rate);
  const ctx = stream(99)[0]?.ctx;
  if (ctx === undefined) throw new Error('empty stream');
  for (let k = 0; k < 13; k++) {
    const at = NOW - 1_950 + k * 150;
    const order: PreTradeOrder = {
      instrumentToken: 1,
      side: 'BUY',
      quantity: 1 + k,
      kind: 'MARKET',
      price: 0,
    };
    if (!risk.admit(order, { ...ctx, now: at }).ok) throw new Error('warm-up refused');
  }
  return risk;
}

/** The baseline a seed would write: a zod schema for the order, then the limits by hand. */
const orderSchema = z.object({
  instrumentToken: z.number().int().nonnegative(),
  side: z.enum(['BUY', 'SELL']),
  quantity: z.number().int().positive().max(5_000),
  kind: z.enum(['LIMIT', 'MARKET']),
  price: z.number().int().nonnegative(),
  strategyId: z.string().optional(),
});

function zodCheck(c: Case): boolean {
  const parsed = orderSchema.safeParse(c.order);
  if (!parsed.success) return false;
  const o = parsed.data;
  const price = o.kind === 'LIMIT' ? o.price : c.ctx.lastPrice;
  return Math.abs(price - c.ctx.lastPrice) * 20 <= c.ctx.lastPrice && price * o.quantity <= 50_000_000_00;
}

/** The other baseline: copy the order with defaults by object spread, then validate the copy. */
function spreadCheck(c: Case): boolean {
  const o = { strategyId: 'manual', ...c.order, checkedAt: c.ctx.now };
  const ok =
    Number.isSafeInteger(o.quantity) &&
    o.quantity > 0 &&
    o.quantity <= 5_000 &&
    Math.abs(o.price - c.ctx.lastPrice) * 20 <= c.ctx.lastPrice;
  keep.sink = o;
  return ok;
}

/** Each call timed on its own (the timer's cost included, so these are upper bounds), sorted, in us. */
function latencies(check: (k: number) => boolean, calls: number): number[] {
  for (let k = 0; k < Math.min(calls, 50_000); k++) check(k % STREAM);
  const samples = new Float64Array(calls);
  for (let k = 0; k < calls; k++) {
    const t = performance.now();
    check(k % STREAM);
    samples[k] = (performance.now() - t) * 1000;
  }
  return Array.from(samples).sort((a, b) => a - b);
}

/** Checks per second over `calls` calls. */
function throughput(check: (k: number) => boolean, calls: number): number {
  for (let k = 0; k < 50_000; k++) check(k % STREAM);
  let passed = 0;
  const t0 = performance.now();
  for (let k = 0; k < calls; k++) if (check(k % STREAM)) passed++;
  const seconds = (performance.now() - t0) / 1000;
  keep.sink = passed;
  return calls / seconds;
}

async function gcsDuring(run: () => void): Promise<{ gcs: number; ms: number }> {
  const starts: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) starts.push(entry.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const from = performance.now();
  run();
  const to = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return { gcs: starts.filter((t) => t >= from && t <= to).length, ms: to - from };
}

/** The risk suite, registered as `risk` in bench/run.ts. */
export async function riskSuite(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const cases = stream(42);
  const risk = warmRisk();
  const first = cases[0];
  if (first === undefined) throw new Error('empty stream');
  const at = (k: number): Case => cases[k] ?? first;
  const ours = (k: number): boolean => {
    const c = at(k);
    return risk.check(c.order, c.ctx).ok;
  };
  const zod = (k: number): boolean => zodCheck(at(k));
  const spread = (k: number): boolean => spreadCheck(at(k));

  let passing = 0;
  for (let k = 0; k < STREAM; k++) if (ours(k)) passing++;

  const oursLatency = latencies(ours, 1_000_000);
  const zodLatency = latencies(zod, 200_000);
  const spreadLatency = latencies(spread, 1_000_000);
  const p99 = percentile(oursLatency, 99);
  rows.push({
    suite: SUITE,
    name: `pre-trade check p99, seeded stream (${Math.round((100 * passing) / STREAM)}% pass; timer included)`,
    unit: 'us',
    value: p99,
    baselineName: 'zod parse of the same order + limits, p99',
    baseline: percentile(zodLatency, 99),
    budget: 'p99 <= 2 us',
    withinBudget: p99 <= 2,
  });
  rows.push({
    suite: SUITE,
    name: 'pre-trade check p50 (timer included)',
    unit: 'us',
    value: percentile(oursLatency, 50),
    baselineName: 'zod parse p50',
    baseline: percentile(zodLatency, 50),
  });
  rows.push({
    suite: SUITE,
    name: 'pre-trade check p99 (timer included)',
    unit: 'us',
    value: p99,
    baselineName: 'object-spread validation p99',
    baseline: percentile(spreadLatency, 99),
  });
  const oursRate = throughput(ours, 5_000_000);
  rows.push({
    suite: SUITE,
    name: 'pre-trade checks per second',
    unit: 'M checks/s',
    value: oursRate / 1e6,
    baselineName: 'zod parse + limits',
    baseline: throughput(zod, 500_000) / 1e6,
    higherIsBetter: true,
  });

  // The pass path alone, 10M checks: it returns the shared OK object, so no garbage.
  const passingCases = cases.filter((c) => risk.check(c.order, c.ctx).ok);
  const passAt = (k: number): Case => passingCases[k % passingCases.length] ?? at(0);
  const passOnly = latencies((k) => {
    const c = passAt(k);
    return risk.check(c.order, c.ctx).ok;
  }, 1_000_000);
  const passP99 = percentile(passOnly, 99);
  rows.push({
    suite: SUITE,
    name: 'pre-trade check p99, passing orders only (timer included)',
    unit: 'us',
    value: passP99,
    baselineName: 'zod parse p99, whole stream',
    baseline: percentile(zodLatency, 99),
    budget: 'p99 <= 2 us',
    withinBudget: passP99 <= 2,
  });
  const longRun = await gcsDuring(() => {
    let n = 0;
    for (let k = 0; k < 10_000_000; k++) {
      const c = passAt(k);
      if (risk.check(c.order, c.ctx).ok) n++;
    }
    keep.sink = n;
  });
  const spreadRun = await gcsDuring(() => {
    for (let k = 0; k < 10_000_000; k++) spreadCheck(passAt(k));
  });
  rows.push({
    suite: SUITE,
    name: `GCs during 10M passing checks (${(longRun.ms / 1000).toFixed(1)} s)`,
    unit: 'GCs',
    value: longRun.gcs,
    baselineName: `object-spread validation, 10M (${(spreadRun.ms / 1000).toFixed(1)} s)`,
    baseline: spreadRun.gcs,
    budget: 'zero GCs',
    withinBudget: longRun.gcs === 0,
  });
  return rows;
}
