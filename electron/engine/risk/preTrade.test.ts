import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderRateLimiter } from './orderRate';
import { PRE_TRADE_CODES, PRE_TRADE_OK, PreTradeRisk, marginRequired } from './preTrade';
import type {
  OrderLimits,
  PreTradeCode,
  PreTradeContext,
  PreTradeLimits,
  PreTradeOrder,
  RiskState,
  StrategyLimits,
} from './preTrade';

const TOKEN = 738561; // an NSE token
const OTHER = 260105;

function context(over: Partial<PreTradeContext> = {}): PreTradeContext {
  return {
    now: 1_000_000,
    state: 'ACTIVE',
    divisor: 100,
    lastPrice: 250_000, // Rs 2,500.00
    tickSize: 10, // Rs 0.10
    position: 0,
    openBuyQuantity: 0,
    openSellQuantity: 0,
    openOrders: 0,
    strategyPosition: 0,
    strategyOpenBuyQuantity: 0,
    strategyOpenSellQuantity: 0,
    strategyOpenOrders: 0,
    marginRateBp: -1,
    marginAvailablePaise: 0,
    ...over,
  };
}

function order(over: Partial<PreTradeOrder> = {}): PreTradeOrder {
  return { instrumentToken: TOKEN, side: 'BUY', quantity: 10, kind: 'LIMIT', price: 250_000, ...over };
}

const LIMITS: PreTradeLimits = {
  global: { maxQuantity: 1_000, maxValuePaise: 100_000_00, maxPosition: 2_000 }, // Rs 1 lakh an order
  maxOpenOrders: 50,
  fatFingerBasisPoints: 500,
  duplicateWindowMs: 2_000,
};

const risk = (limits: PreTradeLimits = LIMITS): PreTradeRisk =>
  new PreTradeRisk(limits, new OrderRateLimiter());

/** The order's side effect on the worst-case position, as the oracle sees it. */
function worstAfter(
  side: 'BUY' | 'SELL',
  q: number,
  position: number,
  openBuy: number,
  openSell: number,
): number {
  return side === 'BUY' ? position + openBuy + q : position - openSell - q;
}

function reducesOracle(
  side: 'BUY' | 'SELL',
  q: number,
  position: number,
  openBuy: number,
  openSell: number,
): boolean {
  const after = worstAfter(side, q, position, openBuy, openSell);
  return side === 'SELL' ? position > 0 && after >= 0 : position < 0 && after <= 0;
}

/**
 * Every limit the order breaks, written independently of preTrade.ts: values in BigInt paise x divisor,
 * the band in BigInt basis points. Ignores the duplicate guard and the rate (fresh instance each run).
 */
function brokenLimits(o: PreTradeOrder, c: PreTradeContext, l: PreTradeLimits): Set<PreTradeCode> {
  const broken = new Set<PreTradeCode>();
  if (c.state === 'HALTED') broken.add('HALTED');
  const reduces = reducesOracle(o.side, o.quantity, c.position, c.openBuyQuantity, c.openSellQuantity);
  if (c.state === 'REDUCING' && !reduces) broken.add('REDUCING_ONLY');
  const price = o.kind === 'LIMIT' ? o.price : c.lastPrice;
  if (c.lastPrice <= 0) broken.add('NO_LAST_PRICE');
  const bandBp = BigInt(l.fatFingerBasisPoints);
  const dev = BigInt(Math.abs(price - c.lastPrice)) * 10_000n;
  // The band is the wider of the percent and the tick floor (which needs a known tick size).
  const floorUnits = c.tickSize > 0 ? (l.fatFingerMinTicks ?? 0) * c.tickSize : 0;
  if (
    o.kind === 'LIMIT' &&
    c.lastPrice > 0 &&
    dev > bandBp * BigInt(c.lastPrice) &&
    Math.abs(price - c.lastPrice) > floorUnits
  )
    broken.add('FAT_FINGER');
  // value in paise = price x q / divisor x 100; value > max  <=>  price x q x 100 > max x divisor
  const scaled = BigInt(price) * BigInt(o.quantity) * 100n;
  const valueOver = (max: number | undefined): boolean =>
    max !== undefined && scaled > BigInt(max) * BigInt(c.divisor);
  const inst = l.instruments?.get(o.instrumentToken);
  const over = (x: number, ...maxes: (number | undefined)[]): boolean =>
    maxes.some((m) => m !== undefined && x > m);
  if (over(o.quantity, l.global.maxQuantity, inst?.maxQuantity)) broken.add('MAX_QUANTITY');
  if (valueOver(l.global.maxValuePaise) || valueOver(inst?.maxValuePaise)) broken.add('MAX_VALUE');
  const after = worstAfter(o.side, o.quantity, c.position, c.openBuyQuantity, c.openSellQuantity);
  if (!reduces && over(Math.abs(after), l.global.maxPosition, inst?.maxPosition)) broken.add('MAX_POSITION');
  if (l.maxOpenOrders !== undefined && c.openOrders >= l.maxOpenOrders) broken.add('MAX_OPEN_ORDERS');
  const s =
    o.strategyId === undefined
      ? undefined
      : (l.strategies?.get(o.strategyId) ?? l.strategyDefaults ?? undefined);
  if (s !== undefined) {
    if (over(o.quantity, s.maxQuantity)) broken.add('STRATEGY_MAX_QUANTITY');
    if (valueOver(s.maxValuePaise)) broken.add('STRATEGY_MAX_VALUE');
    const sReduces = reducesOracle(
      o.side,
      o.quantity,
      c.strategyPosition,
      c.strategyOpenBuyQuantity,
      c.strategyOpenSellQuantity,
    );
    const sAfter = worstAfter(
      o.side,
      o.quantity,
      c.strategyPosition,
      c.strategyOpenBuyQuantity,
      c.strategyOpenSellQuantity,
    );
    if (!sReduces && over(Math.abs(sAfter), s.maxPosition)) broken.add('STRATEGY_MAX_POSITION');
    if (s.maxOpenOrders !== undefined && c.strategyOpenOrders >= s.maxOpenOrders)
      broken.add('STRATEGY_MAX_OPEN_ORDERS');
  }
  if (!reduces && c.marginRateBp !== -1) {
    // required = ceil(price x q x 100 x rate / (divisor x 10,000)) paise, in BigInt.
    const num = BigInt(price) * BigInt(o.quantity) * 100n * BigInt(c.marginRateBp);
    const den = BigInt(c.divisor) * 10_000n;
    const required = (num + den - 1n) / den;
    if (Number.isNaN(c.marginAvailablePaise) || required > BigInt(c.marginAvailablePaise))
      broken.add('MARGIN');
  }
  return broken;
}

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

/** `T` with its possibly-undefined fields made optional instead (exactOptionalPropertyTypes). */
type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Drops undefined fields: an absent limit is absent, not undefined. */
function defined<T extends object>(x: T): Defined<T> {
  return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as Defined<T>;
}

const orderLimitsArb: fc.Arbitrary<OrderLimits> = fc
  .record({
    maxQuantity: maybe(fc.integer({ min: 0, max: 3_000 })),
    maxValuePaise: maybe(fc.integer({ min: 0, max: 2_000_000_000 })),
    maxPosition: maybe(fc.integer({ min: 0, max: 5_000 })),
  })
  .map(defined);

const strategyLimitsArb: fc.Arbitrary<StrategyLimits> = fc
  .record({
    maxQuantity: maybe(fc.integer({ min: 0, max: 3_000 })),
    maxValuePaise: maybe(fc.integer({ min: 0, max: 2_000_000_000 })),
    maxPosition: maybe(fc.integer({ min: 0, max: 5_000 })),
    maxOpenOrders: maybe(fc.integer({ min: 0, max: 40 })),
  })
  .map(defined);

const limitsArb: fc.Arbitrary<PreTradeLimits> = fc
  .record({
    global: orderLimitsArb,
    instrument: maybe(orderLimitsArb),
    maxOpenOrders: maybe(fc.integer({ min: 0, max: 60 })),
    fatFingerBasisPoints: fc.integer({ min: 1, max: 10_000 }),
    fatFingerMinTicks: maybe(fc.integer({ min: 0, max: 20 })),
    strategy: maybe(strategyLimitsArb),
    strategyDefaults: maybe(strategyLimitsArb),
  })
  .map(({ instrument, strategy, ...rest }) =>
    defined({
      ...rest,
      duplicateWindowMs: 1_000,
      instruments: instrument === undefined ? undefined : new Map([[TOKEN, instrument]]),
      strategies: strategy === undefined ? undefined : new Map([['algo1', strategy]]),
    }),
  );

const stateArb = fc.constantFrom<RiskState>('ACTIVE', 'ACTIVE', 'REDUCING', 'HALTED');

const caseArb = fc
  .record({
    divisor: fc.constantFrom(100, 10_000, 10_000_000),
    lastPrice: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2_000_000 })),
    tickSize: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 500 })),
    deviationBp: fc.integer({ min: -12_000, max: 12_000 }),
    kind: fc.constantFrom<'LIMIT' | 'MARKET'>('LIMIT', 'LIMIT', 'MARKET'),
    side: fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
    quantity: fc.integer({ min: 1, max: 4_000 }),
    token: fc.constantFrom(TOKEN, OTHER),
    strategyId: fc.constantFrom<string | undefined>(undefined, 'algo1', 'algo2'),
    state: stateArb,
    position: fc.integer({ min: -4_000, max: 4_000 }),
    openBuyQuantity: fc.integer({ min: 0, max: 2_000 }),
    openSellQuantity: fc.integer({ min: 0, max: 2_000 }),
    openOrders: fc.integer({ min: 0, max: 70 }),
    strategyPosition: fc.integer({ min: -4_000, max: 4_000 }),
    strategyOpenBuyQuantity: fc.integer({ min: 0, max: 2_000 }),
    strategyOpenSellQuantity: fc.integer({ min: 0, max: 2_000 }),
    strategyOpenOrders: fc.integer({ min: 0, max: 50 }),
    marginRateBp: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 12_000 })),
    marginAvailablePaise: fc.oneof(
      fc.integer({ min: -1_000_000, max: 2_000_000_000 }),
      fc.constant(Number.NaN),
    ),
  })
  .map((r) => {
    const { divisor, lastPrice, tickSize, deviationBp, kind, side, quantity, token, strategyId, ...book } = r;
    const ref = lastPrice > 0 ? lastPrice : 100_000;
    const price = Math.max(1, ref + Math.trunc((ref * deviationBp) / 10_000));
    const o: PreTradeOrder =
      strategyId === undefined
        ? { instrumentToken: token, side, quantity, kind, price }
        : { instrumentToken: token, side, quantity, kind, price, strategyId };
    return { order: o, ctx: context({ ...book, divisor, lastPrice, tickSize }) };
  });

/** Around `x`: one below, on, one above (never negative), so that properties hit every boundary. */
const near = (x: number): fc.Arbitrary<number> =>
  fc.constantFrom(Math.max(0, x - 1), Math.max(0, x), Math.max(0, x + 1));

/** Limits drawn on the case's own boundaries (quantity, value, position, open orders, band), or anywhere. */
function limitsAround(o: PreTradeOrder, c: PreTradeContext): fc.Arbitrary<PreTradeLimits> {
  const price = o.kind === 'LIMIT' ? o.price : c.lastPrice;
  const valuePaise = Math.floor((price * o.quantity * 100) / c.divisor);
  const after = Math.abs(worstAfter(o.side, o.quantity, c.position, c.openBuyQuantity, c.openSellQuantity));
  const sAfter = Math.abs(
    worstAfter(o.side, o.quantity, c.strategyPosition, c.strategyOpenBuyQuantity, c.strategyOpenSellQuantity),
  );
  const bp = c.lastPrice > 0 ? Math.floor((Math.abs(price - c.lastPrice) * 10_000) / c.lastPrice) : 500;
  const ticks = c.tickSize > 0 ? Math.floor(Math.abs(price - c.lastPrice) / c.tickSize) : 5;
  const pick = (x: number, anywhere: fc.Arbitrary<number>): fc.Arbitrary<number | undefined> =>
    fc.oneof(near(x), anywhere, fc.constant(undefined));
  const orderLimits = fc
    .record({
      maxQuantity: pick(o.quantity, fc.integer({ min: 0, max: 3_000 })),
      maxValuePaise: pick(valuePaise, fc.integer({ min: 0, max: 2_000_000_000 })),
      maxPosition: pick(after, fc.integer({ min: 0, max: 5_000 })),
    })
    .map(defined);
  const strategyLimits = fc
    .record({
      maxQuantity: pick(o.quantity, fc.integer({ min: 0, max: 3_000 })),
      maxValuePaise: pick(valuePaise, fc.integer({ min: 0, max: 2_000_000_000 })),
      maxPosition: pick(sAfter, fc.integer({ min: 0, max: 5_000 })),
      maxOpenOrders: pick(c.strategyOpenOrders, fc.integer({ min: 0, max: 40 })),
    })
    .map(defined);
  return fc
    .record({
      global: orderLimits,
      instrument: maybe(orderLimits),
      maxOpenOrders: pick(c.openOrders, fc.integer({ min: 0, max: 60 })),
      fatFingerBasisPoints: fc.oneof(
        near(bp).map((b) => Math.min(10_000, Math.max(1, b))),
        fc.integer({ min: 1, max: 10_000 }),
      ),
      fatFingerMinTicks: fc.oneof(
        near(ticks).map((t) => Math.min(1_000, t)),
        fc.integer({ min: 0, max: 20 }),
        fc.constant(undefined),
      ),
      strategy: maybe(strategyLimits),
      strategyDefaults: maybe(strategyLimits),
    })
    .map(({ instrument, strategy, ...rest }) =>
      defined({
        ...rest,
        duplicateWindowMs: 1_000,
        instruments: instrument === undefined ? undefined : new Map([[TOKEN, instrument]]),
        strategies: strategy === undefined ? undefined : new Map([['algo1', strategy]]),
      }),
    );
}

describe('pre-trade check: properties', () => {
  it('passes an order exactly when it breaks no limit, and a refusal names a limit it breaks', () => {
    const onBoundaries = caseArb.chain((k) =>
      limitsAround(k.order, k.ctx).map((limits) => ({ limits, ...k })),
    );
    fc.assert(
      fc.property(onBoundaries, ({ limits, order: o, ctx }) => {
        const broken = brokenLimits(o, ctx, limits);
        const result = risk(limits).check(o, ctx);
        if (result.ok) {
          expect([...broken]).toEqual([]);
          expect(result).toBe(PRE_TRADE_OK);
        } else {
          expect(broken.has(result.code)).toBe(true);
          expect(result.message.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('REDUCING lets through only orders that cannot grow the position, even if every open order fills', () => {
    fc.assert(
      fc.property(limitsArb, caseArb, (limits, { order: o, ctx }) => {
        const c = { ...ctx, state: 'REDUCING' as const };
        const result = risk(limits).check(o, c);
        const reduces = reducesOracle(o.side, o.quantity, c.position, c.openBuyQuantity, c.openSellQuantity);
        if (result.ok) {
          expect(reduces).toBe(true);
          const after = worstAfter(o.side, o.quantity, c.position, c.openBuyQuantity, c.openSellQuantity);
          expect(Math.abs(after)).toBeLessThanOrEqual(Math.abs(c.position));
          expect(Math.sign(after) * Math.sign(c.position)).toBeGreaterThanOrEqual(0);
        }
        if (!reduces) expect(!result.ok && result.code).toBe('REDUCING_ONLY');
      }),
      { numRuns: 2_000 },
    );
  });

  it('HALTED refuses every order, whatever it is', () => {
    fc.assert(
      fc.property(limitsArb, caseArb, (limits, { order: o, ctx }) => {
        const result = risk(limits).check(o, { ...ctx, state: 'HALTED' });
        expect(!result.ok && result.code).toBe('HALTED');
      }),
      { numRuns: 1_000 },
    );
  });

  it('scaling the quantity up never turns a refusal into a pass', () => {
    fc.assert(
      fc.property(limitsArb, caseArb, fc.integer({ min: 2, max: 5 }), (limits, { order: o, ctx }, factor) => {
        const r = risk(limits);
        if (r.check(o, ctx).ok) return;
        expect(r.check({ ...o, quantity: o.quantity * factor }, ctx).ok).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it('moving a limit price further from the last price never turns a fat-finger refusal into a pass', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 100_000 }), ({ order: o, ctx }, step) => {
        const r = risk({ global: {}, fatFingerBasisPoints: 300, fatFingerMinTicks: 5, duplicateWindowMs: 0 });
        const c = { ...ctx, state: 'ACTIVE' as const, lastPrice: Math.max(ctx.lastPrice, 1) };
        const lim = { ...o, kind: 'LIMIT' as const };
        const first = r.check(lim, c);
        // Only a fat-finger refusal: another (the margin) can pass further off (a lower buy costs less).
        if (first.ok || first.code !== 'FAT_FINGER') return;
        const further = lim.price >= c.lastPrice ? lim.price + step : Math.max(1, lim.price - step);
        const then = r.check({ ...lim, price: further }, c);
        expect(!then.ok && then.code).toBe('FAT_FINGER');
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('pre-trade check: examples', () => {
  it('returns the one shared frozen OK object on a pass', () => {
    const r = risk();
    const a = r.check(order(), context());
    const b = r.check(order({ side: 'SELL' }), context());
    expect(a).toBe(PRE_TRADE_OK);
    expect(b).toBe(PRE_TRADE_OK);
    expect(Object.isFrozen(PRE_TRADE_OK)).toBe(true);
  });

  it('refuses in the trader’s words', () => {
    const r = risk();
    const fat = r.check(order({ price: 270_000 }), context());
    expect(fat).toEqual({
      ok: false,
      code: 'FAT_FINGER',
      message: 'Price Rs 2,700.00 is more than 5% away from the last price Rs 2,500.00.',
    });
    const value = r.check(order({ quantity: 41 }), context());
    expect(!value.ok && value.message).toBe(
      'Order value Rs 1,02,500.00 is above the limit of Rs 1,00,000.00 per order.',
    );
    const halted = r.check(order(), context({ state: 'HALTED' }));
    expect(!halted.ok && halted.code).toBe('HALTED');
  });

  it('margin: an order needing exactly the available margin passes, one paisa more is refused; reducing orders and unknown rates skip it', () => {
    const r = risk();
    // 10 x Rs 2,500 = Rs 25,000 at 20% (MIS) = Rs 5,000.00 = 500,000 paise.
    const mis = { marginRateBp: 2_000 };
    expect(r.check(order(), context({ ...mis, marginAvailablePaise: 500_000 }))).toBe(PRE_TRADE_OK);
    const short = r.check(order(), context({ ...mis, marginAvailablePaise: 499_999 }));
    expect(short).toEqual({
      ok: false,
      code: 'MARGIN',
      message: 'This order needs about Rs 5,000.00 of margin; Rs 4,999.99 is available.',
    });
    // Selling what you hold long releases margin.
    expect(
      r.check(order({ side: 'SELL' }), context({ ...mis, marginAvailablePaise: -5, position: 10 })),
    ).toBe(PRE_TRADE_OK);
    expect(r.check(order(), context({ marginRateBp: -1, marginAvailablePaise: -5 }))).toBe(PRE_TRADE_OK);
    // A rate known with no available figure refuses (fail closed), as does a negative rate.
    expect(r.check(order(), context({ ...mis, marginAvailablePaise: Number.NaN })).ok).toBe(false);
    expect(r.check(order(), context({ marginRateBp: -2, marginAvailablePaise: 1e12 })).ok).toBe(false);
    // CDS: divisor 1e7; 1,000 x Rs 83.2500 at 2.5% = Rs 2,081.25.
    const cds = context({ divisor: 10_000_000, lastPrice: 832_500_000, marginRateBp: 250 });
    const usd = order({ quantity: 1_000, price: 832_500_000 });
    expect(r.check(usd, { ...cds, marginAvailablePaise: 208_125 })).toBe(PRE_TRADE_OK);
    expect(r.check(usd, { ...cds, marginAvailablePaise: 208_124 }).ok).toBe(false);
  });

  it('marginRequired is ceil(value x rate) exactly, even where the product passes 2^53', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom(1, 100, 100_000),
        (notional, rate, unitsPerPaise) => {
          const d = BigInt(unitsPerPaise) * 10_000n;
          const want = (BigInt(notional) * BigInt(rate) + d - 1n) / d;
          const got = marginRequired(notional, rate, unitsPerPaise);
          if (want <= BigInt(Number.MAX_SAFE_INTEGER)) expect(BigInt(got)).toBe(want);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('the fat-finger band is inclusive at exactly X% and refuses one tick beyond', () => {
    const r = risk();
    expect(r.check(order({ quantity: 1, price: 262_500 }), context()).ok).toBe(true); // +5.00%
    expect(r.check(order({ quantity: 1, price: 237_500 }), context()).ok).toBe(true); // -5.00%
    expect(r.check(order({ quantity: 1, price: 262_505 }), context()).ok).toBe(false);
    expect(r.check(order({ quantity: 1, price: 237_495 }), context()).ok).toBe(false);
  });

  it('a cheap option may be priced a few ticks through the market: the band is the wider of 5% and the tick floor', () => {
    // A far-OTM NIFTY call at Rs 1.25, tick Rs 0.05: 5% is Rs 0.0625, one tick and a bit.
    const r = risk({ ...LIMITS, fatFingerMinTicks: 5 });
    const option = context({ lastPrice: 125, tickSize: 5 });
    expect(r.check(order({ quantity: 75, price: 150 }), option)).toBe(PRE_TRADE_OK); // 5 ticks up
    expect(r.check(order({ quantity: 75, price: 100 }), option)).toBe(PRE_TRADE_OK); // 5 ticks down
    const six = r.check(order({ quantity: 75, price: 155 }), option);
    expect(six).toEqual({
      ok: false,
      code: 'FAT_FINGER',
      message: 'Price Rs 1.55 is more than 5% and 5 ticks away from the last price Rs 1.25.',
    });
    // Percent only without the floor, or when the tick size is not known.
    expect(risk(LIMITS).check(order({ quantity: 75, price: 135 }), option).ok).toBe(false);
    expect(r.check(order({ quantity: 75, price: 135 }), { ...option, tickSize: 0 }).ok).toBe(false);
    // On a Rs 2,500 stock the percent is the wider: 5 ticks of Rs 0.10 change nothing.
    expect(r.check(order({ quantity: 1, price: 262_500 }), context()).ok).toBe(true);
    expect(r.check(order({ quantity: 1, price: 262_510 }), context()).ok).toBe(false);
    expect(() => risk({ ...LIMITS, fatFingerMinTicks: 1_001 })).toThrow(RangeError);
    expect(() => risk({ ...LIMITS, fatFingerMinTicks: -1 })).toThrow(RangeError);
  });

  it('values are exact in integers, including CDS (divisor 1e7) where a paisa is 100,000 wire units', () => {
    // USDINR at 83.2500 (832,500,000 wire units) x 1,000 units = Rs 83,250.00 = 8,325,000 paise.
    const limits: PreTradeLimits = {
      global: { maxValuePaise: 8_325_000 },
      fatFingerBasisPoints: 500,
      duplicateWindowMs: 0,
    };
    const r = risk(limits);
    const cds = context({ divisor: 10_000_000, lastPrice: 832_500_000 });
    expect(r.check(order({ quantity: 1_000, price: 832_500_000 }), cds).ok).toBe(true);
    // One wire unit more: Rs 83,250.0001 -- above the limit by a hundredth of a paisa.
    const over = r.check(order({ quantity: 1_000, price: 832_500_001 }), cds);
    expect(!over.ok && over.code).toBe('MAX_VALUE');
  });

  it('per-instrument limits tighten the global ones, never loosen them', () => {
    const r = risk({
      ...LIMITS,
      instruments: new Map<number, OrderLimits>([
        [TOKEN, { maxQuantity: 5 }],
        [OTHER, { maxQuantity: 5_000 }],
      ]),
    });
    expect(r.check(order({ quantity: 6 }), context()).ok).toBe(false);
    const other = r.check(
      order({ instrumentToken: OTHER, quantity: 1_001, price: 100 }),
      context({ lastPrice: 100 }),
    );
    expect(!other.ok && other.code).toBe('MAX_QUANTITY');
  });

  it('REDUCING: a sell of the long position passes; one share more, or a buy, does not', () => {
    const r = risk();
    const long = context({ state: 'REDUCING', position: 30, openSellQuantity: 10 });
    expect(r.check(order({ side: 'SELL', quantity: 20 }), long).ok).toBe(true);
    expect(r.check(order({ side: 'SELL', quantity: 21 }), long).ok).toBe(false);
    expect(r.check(order({ side: 'BUY', quantity: 1 }), long).ok).toBe(false);
    expect(r.check(order({ side: 'BUY', quantity: 1 }), context({ state: 'REDUCING' })).ok).toBe(false);
  });

  it('refuses malformed orders and fails closed on a NaN in the book', () => {
    const r = risk();
    for (const bad of [
      order({ quantity: 0 }),
      order({ quantity: 1.5 }),
      order({ price: Number.NaN }),
      order({ price: -5 }),
    ]) {
      const res = r.check(bad, context());
      expect(!res.ok && res.code).toBe('INVALID_ORDER');
    }
    expect(r.check(order(), context({ lastPrice: Number.NaN })).ok).toBe(false);
    expect(r.check(order(), context({ position: Number.NaN })).ok).toBe(false);
    expect(r.check(order(), context({ openOrders: Number.NaN })).ok).toBe(false);
    expect(r.check(order(), context({ divisor: 1 })).ok).toBe(false);
  });

  it('per-strategy limits apply to that strategy only; defaults to strategies without an entry', () => {
    const r = risk({
      ...LIMITS,
      strategies: new Map<string, StrategyLimits>([['momo', { maxQuantity: 5, maxOpenOrders: 2 }]]),
      strategyDefaults: { maxQuantity: 8 },
    });
    expect(r.check(order({ quantity: 9 }), context()).ok).toBe(true); // manual
    const momo = r.check(order({ quantity: 6, strategyId: 'momo' }), context());
    expect(!momo.ok && momo.code).toBe('STRATEGY_MAX_QUANTITY');
    const open = r.check(order({ quantity: 1, strategyId: 'momo' }), context({ strategyOpenOrders: 2 }));
    expect(!open.ok && open.code).toBe('STRATEGY_MAX_OPEN_ORDERS');
    const other = r.check(order({ quantity: 9, strategyId: 'other' }), context());
    expect(!other.ok && other.code).toBe('STRATEGY_MAX_QUANTITY');
  });

  it('duplicate guard: the same order within the window is refused, after it or changed it passes', () => {
    const r = risk();
    expect(r.admit(order(), context({ now: 10_000 }))).toBe(PRE_TRADE_OK);
    const again = r.admit(order(), context({ now: 11_999 }));
    expect(!again.ok && again.code).toBe('DUPLICATE_ORDER');
    expect(r.admit(order({ price: 250_005 }), context({ now: 11_999 })).ok).toBe(true);
    expect(r.admit(order({ side: 'SELL' }), context({ now: 11_999 })).ok).toBe(true);
    expect(r.admit(order(), context({ now: 12_000 })).ok).toBe(true);
    // check() alone never records.
    const fresh = risk();
    fresh.check(order(), context());
    expect(fresh.check(order(), context()).ok).toBe(true);
  });

  it('duplicate guard: slices of one group pass each other, not another group or a plain order', () => {
    const r = risk();
    // An exit sliced in three equal orders: group 7.
    for (let k = 0; k < 3; k++)
      expect(r.admit(order({ sliceGroup: 7 }), context({ now: 10_000 + k })).ok, `slice ${k}`).toBe(true);
    // The same exit asked for again (a second click) is another group: a duplicate.
    const second = r.admit(order({ sliceGroup: 8 }), context({ now: 10_100 }));
    expect(!second.ok && second.code).toBe('DUPLICATE_ORDER');
    // So is the same order sent by hand.
    const plain = r.admit(order(), context({ now: 10_100 }));
    expect(!plain.ok && plain.code).toBe('DUPLICATE_ORDER');
    // A plain order first, then a slice of the same: the slice is a duplicate of the plain one.
    const other = risk();
    expect(other.admit(order(), context({ now: 10_000 })).ok).toBe(true);
    const slice = other.admit(order({ sliceGroup: 1 }), context({ now: 10_001 }));
    expect(!slice.ok && slice.code).toBe('DUPLICATE_ORDER');
  });

  it('the 11th order admitted inside a second is refused locally, with the wait', () => {
    const r = risk({ ...LIMITS, duplicateWindowMs: 0 });
    for (let k = 0; k < 10; k++) expect(r.admit(order(), context({ now: 5_000 + k })).ok).toBe(true);
    const eleventh = r.admit(order(), context({ now: 5_500 }));
    expect(eleventh).toEqual({
      ok: false,
      code: 'ORDER_RATE',
      message: 'The broker allows 10 orders a second; try again in 500 ms.',
    });
    expect(r.admit(order(), context({ now: 6_000 })).ok).toBe(true);
  });

  it('refuses malformed limits at construction', () => {
    expect(() => risk({ ...LIMITS, fatFingerBasisPoints: 0 })).toThrow(RangeError);
    expect(() => risk({ ...LIMITS, global: { maxQuantity: -1 } })).toThrow(RangeError);
    expect(() => risk({ ...LIMITS, duplicateWindowMs: Number.NaN })).toThrow(RangeError);
  });

  it('the codes are a closed list', () => {
    expect(new Set(PRE_TRADE_CODES).size).toBe(PRE_TRADE_CODES.length);
  });
});
