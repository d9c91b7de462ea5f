import { describe, expect, it } from 'vitest';
import type { RouteDecision, RouteLeg } from '../../../shared/services/algos';
import { orderCharges } from '../../../shared/domain/charges';
import { orderViewOf } from '../orders/fakeTrading';
import { priceStyleOf } from '../market';
import {
  ageText,
  averageText,
  decisionTitle,
  expectedAverage,
  legsText,
  routedCharges,
  routedDetail,
  routedText,
  venuesText,
} from './routeText';

// How a routing decision reads in the ticket. The decisions are shaped as the engine's router makes
// them (electron/engine/algos/router.ts and routing.ts), their reasons in its words.

const style = priceStyleOf({ tickSize: 5, priceDivisor: 100 });
const at = Date.parse('2026-11-24T04:00:00Z');

const leg = (exchange: 'NSE' | 'BSE', quantity: number, more: Partial<RouteLeg> = {}): RouteLeg => ({
  exchange,
  instrumentToken: exchange === 'NSE' ? 408065 : 5_000_209,
  tradingsymbol: 'INFY',
  quantity,
  expectedAveragePrice: 155_800,
  expectedCostPaise: 155_800 * quantity + 2_000,
  fromVisibleDepth: quantity,
  ...more,
});

const split: RouteDecision = {
  legs: [
    leg('NSE', 1_580, { expectedAveragePrice: 155_890.5, fromVisibleDepth: 1_490 }),
    leg('BSE', 1_420, { expectedAveragePrice: 155_905 }),
  ],
  reason:
    'Split: 1,580 on NSE, 1,420 on BSE: neither book shows 3,000. 90 of NSE’s 1,580 is beyond the visible depth and walks its book.',
  venues: [
    { exchange: 'NSE', usable: true, visibleQuantity: 1_490 },
    { exchange: 'BSE', usable: true, visibleQuantity: 1_420 },
  ],
  fallback: false,
  listedOn: ['NSE', 'BSE'],
  decidedAt: at,
};

const onBse: RouteDecision = {
  legs: [leg('BSE', 40, { expectedAveragePrice: 155_800 })],
  reason: 'BSE: Rs 1.20 cheaper for 40 through the visible depth after charges.',
  venues: [
    { exchange: 'NSE', usable: true, visibleQuantity: 60, costAllOnIt: 6_232_120 },
    { exchange: 'BSE', usable: true, visibleQuantity: 40, costAllOnIt: 6_232_000 },
  ],
  fallback: false,
  listedOn: ['NSE', 'BSE'],
  decidedAt: at,
};

const staleBse: RouteDecision = {
  legs: [leg('NSE', 10)],
  reason: "NSE: BSE's book is 5.2 s old.",
  venues: [
    { exchange: 'NSE', usable: true, visibleQuantity: 1_250, costAllOnIt: 1_558_000 },
    { exchange: 'BSE', usable: false, whyNot: 'book is 5.2 s old', visibleQuantity: 300 },
  ],
  fallback: true,
  listedOn: ['NSE', 'BSE'],
  decidedAt: at,
};

const nseOnly: RouteDecision = {
  legs: [leg('NSE', 5, { instrumentToken: 356865, tradingsymbol: 'HINDUNILVR', expectedCostPaise: 0 })],
  reason: 'NSE: HINDUNILVR is not listed on BSE.',
  venues: [],
  fallback: true,
  listedOn: ['NSE'],
  decidedAt: at,
};

describe('a routing decision in the ticket', () => {
  it('writes the legs compactly, in the engine’s order, with Indian grouping', () => {
    expect(legsText(split)).toBe('NSE 1,580 · BSE 1,420');
    expect(legsText(onBse)).toBe('BSE 40');
    expect(legsText({ ...split, legs: [] })).toBe('—');
  });

  it('averages the legs by quantity, written as a price of the instrument', () => {
    expect(expectedAverage(split)).toBeCloseTo((155_890.5 * 1_580 + 155_905 * 1_420) / 3_000, 6);
    expect(averageText(split, style)).toBe('1558.97');
    expect(averageText(onBse, style)).toBe('1558.00');
    // A leg without a price (a share with no last price yet): no average rather than a wrong one.
    expect(averageText({ ...onBse, legs: [leg('BSE', 40, { expectedAveragePrice: 0 })] }, style)).toBe('—');
  });

  it('says what each exchange showed and why one was not used', () => {
    expect(venuesText(split)).toBe('NSE 1,490 visible · BSE 1,420 visible');
    expect(venuesText(staleBse)).toBe('NSE 1,250 visible · BSE not used: book is 5.2 s old');
    expect(
      venuesText({
        ...staleBse,
        venues: [
          { exchange: 'NSE', usable: true, visibleQuantity: 5_000 },
          { exchange: 'BSE', usable: true, whyNot: 'thin: 3 visible', visibleQuantity: 3 },
        ],
      }),
    ).toBe('NSE 5,000 visible · BSE not used: thin: 3 visible');
    expect(venuesText(nseOnly)).toBe('Listed on NSE only');
    expect(venuesText({ ...nseOnly, listedOn: [] })).toBe(
      'Not routed: only shares are routed between NSE and BSE',
    );
  });

  it('puts everything in the tooltip: the reason, each leg’s cost and depth, the venues', () => {
    expect(decisionTitle(split, style).split('\n')).toEqual([
      split.reason,
      'NSE 1,580 ≈ 1558.91 · pays ₹24,61,660.00 with charges · 90 beyond the visible depth',
      'BSE 1,420 ≈ 1559.05 · pays ₹22,12,380.00 with charges',
      'NSE 1,490 visible · BSE 1,420 visible',
    ]);
    const sell = { ...onBse, legs: [leg('BSE', 40, { expectedCostPaise: -6_230_000 })] };
    expect(decisionTitle(sell, style).split('\n')[1]).toBe(
      'BSE 40 ≈ 1558.00 · receives ₹62,300.00 with charges',
    );
    expect(decisionTitle(nseOnly, style).split('\n')).toEqual([
      'NSE: HINDUNILVR is not listed on BSE.',
      'NSE 5 ≈ 1558.00',
      'Listed on NSE only',
    ]);
  });

  it('says how old a stale decision is', () => {
    expect(ageText(3_400)).toBe('3 s old');
    expect(ageText(-5)).toBe('0 s old');
  });

  it('prices the route’s charges leg by leg, each on its own exchange’s schedule', () => {
    const order = {
      instrumentToken: 408065,
      side: 'BUY',
      quantity: 3_000,
      orderType: 'MARKET',
      product: 'MIS',
    } as const;
    const i = { instrumentType: 'EQ', priceDivisor: 100 } as const;
    const nse = orderCharges('equityIntraday', 'NSE', 'BUY', 155_891 * 1_580, at);
    const bse = orderCharges('equityIntraday', 'BSE', 'BUY', 155_905 * 1_420, at);
    const both = routedCharges(split, order, i, at);
    expect(both?.total).toBe(nse.total + bse.total);
    expect(both?.exchangeTurnoverCharge).toBe(nse.exchangeTurnoverCharge + bse.exchangeTurnoverCharge);
    expect(routedCharges(onBse, { ...order, quantity: 40 }, i, at)).toEqual(
      orderCharges('equityIntraday', 'BSE', 'BUY', 155_800 * 40, at),
    );
    expect(
      routedCharges({ ...onBse, legs: [leg('BSE', 40, { expectedAveragePrice: 0 })] }, order, i, at),
    ).toBe(undefined);
  });

  it('reports a routed send: each leg placed per exchange with its state, each refused with its message', () => {
    const nse = orderViewOf('SQ1', { exchange: 'NSE', quantity: 60, state: 'COMPLETE' });
    const bse = orderViewOf('SQ2', { exchange: 'BSE', quantity: 40, state: 'OPEN' });
    expect(routedText([nse, bse], [])).toBe('✓ BUY 100 INFY routed · NSE 60 COMPLETE · BSE 40 OPEN');
    const refused = [{ exchange: 'BSE', quantity: 40, message: 'Price band: 1,400.00 to 1,700.00.' }];
    expect(routedText([nse], refused)).toBe('✓ BUY 100 INFY routed · NSE 60 COMPLETE · ✕ BSE 40 refused');
    expect(routedDetail(split, refused)).toBe('BSE 40: Price band: 1,400.00 to 1,700.00.');
    expect(routedDetail(split, [])).toBe(split.reason);
    expect(routedText([], refused)).toBe('✕ Nothing placed');
  });
});
