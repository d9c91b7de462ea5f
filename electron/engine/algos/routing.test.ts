import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chargeSegment, orderCharges } from '../../../shared/domain/charges';
import type { DepthLevel } from '../../../shared/services/market';
import { formatRupees, routeOrder, walkBook } from './routing';
import type {
  RouteCharges,
  RouteExchange,
  RouteProduct,
  RouteRequest,
  RouteSide,
  VenueBook,
} from './routing';

const NOW = Date.parse('2025-06-02T10:00:00+05:30');
const noCharges: RouteCharges = () => 0;

const lv = (price: number, quantity: number, orders = 1): DepthLevel => ({ price, quantity, orders });

function book(exchange: RouteExchange, over: Partial<VenueBook> = {}): VenueBook {
  return {
    exchange,
    instrumentToken: exchange === 'NSE' ? 2_885_633 : 128_083_204,
    priceDivisor: 100,
    tickSize: 5,
    lotSize: 1,
    freezeQuantity: null,
    bids: [],
    asks: [],
    lastPrice: 150_000,
    updatedAt: NOW - 100,
    ...over,
  };
}

function order(side: RouteSide, quantity: number, over: Partial<RouteRequest> = {}): RouteRequest {
  return { side, quantity, product: 'CNC', instrumentType: 'EQ', now: NOW, ...over };
}

/** What the order costs on `exchange` at `turnoverPaise`, by the charge schedule itself. */
function allIn(
  exchange: RouteExchange,
  side: RouteSide,
  product: RouteProduct,
  turnoverPaise: number,
): number {
  const c = orderCharges(chargeSegment(exchange, 'EQ', product), exchange, side, turnoverPaise, NOW).total;
  return side === 'BUY' ? turnoverPaise + c : c - turnoverPaise;
}

describe('formatRupees', () => {
  it('formats paise as rupees with Indian grouping', () => {
    expect(formatRupees(150_005)).toBe('Rs 1,500.05');
    expect(formatRupees(0)).toBe('Rs 0.00');
    expect(formatRupees(5)).toBe('Rs 0.05');
    expect(formatRupees(1_240)).toBe('Rs 12.40');
    expect(formatRupees(100_000_000)).toBe('Rs 10,00,000.00');
    expect(formatRupees(-5)).toBe('\u2212Rs 0.05');
  });

  it('refuses what is not whole paise', () => {
    expect(() => formatRupees(1.5)).toThrow(RangeError);
    expect(() => formatRupees(Number.NaN)).toThrow(RangeError);
  });
});

describe('walkBook', () => {
  const asks = [lv(150_000, 100), lv(150_010, 100), lv(150_020, 100)];

  it('takes the best levels first', () => {
    expect(walkBook(asks, 250, undefined, 'BUY')).toEqual({
      filled: 250,
      notionalWire: 100n * 150_000n + 100n * 150_010n + 50n * 150_020n,
      worstPrice: 150_020,
    });
  });

  it('stops at the limit price', () => {
    expect(walkBook(asks, 250, 150_010, 'BUY')).toEqual({
      filled: 200,
      notionalWire: 100n * 150_000n + 100n * 150_010n,
      worstPrice: 150_010,
    });
    const bids = [lv(149_995, 100), lv(149_990, 100), lv(149_980, 100)];
    expect(walkBook(bids, 300, 149_990, 'SELL')).toEqual({
      filled: 200,
      notionalWire: 100n * 149_995n + 100n * 149_990n,
      worstPrice: 149_990,
    });
  });

  it("skips Kite's empty levels and reports nothing taken as null", () => {
    expect(walkBook([lv(150_000, 10), lv(0, 0, 0)], 50, undefined, 'BUY').filled).toBe(10);
    expect(walkBook([lv(0, 0, 0)], 50, undefined, 'BUY')).toEqual({
      filled: 0,
      notionalWire: 0n,
      worstPrice: null,
    });
    expect(walkBook(asks, 10, 149_000, 'BUY').worstPrice).toBeNull();
  });

  it('refuses NaN prices and fractional quantities', () => {
    expect(() => walkBook([lv(Number.NaN, 10)], 5, undefined, 'BUY')).toThrow(RangeError);
    expect(() => walkBook(asks, 1.5, undefined, 'BUY')).toThrow(RangeError);
  });
});

describe('routeOrder: both venues can fill alone (rule 4)', () => {
  it('the better venue wins when it is cheaper in price and in charges', () => {
    const nse = book('NSE', { asks: [lv(150_000, 500)] });
    const bse = book('BSE', { asks: [lv(150_005, 500)] });
    const nseCost = allIn('NSE', 'BUY', 'CNC', 150_000 * 100);
    const bseCost = allIn('BSE', 'BUY', 'CNC', 150_005 * 100);
    const d = routeOrder(order('BUY', 100), { NSE: nse, BSE: bse });
    expect(d.legs).toEqual([
      {
        exchange: 'NSE',
        instrumentToken: nse.instrumentToken,
        quantity: 100,
        expectedAveragePrice: 150_000,
        expectedCostPaise: nseCost,
        fromVisibleDepth: 100,
        freezeQuantity: null,
        slices: 1,
      },
    ]);
    expect(d.fallback).toBe(false);
    expect(d.reason).toBe(
      `NSE: ${formatRupees(bseCost - nseCost)} cheaper for 100 through the visible depth after charges.`,
    );
    expect(d.venues).toEqual([
      { exchange: 'NSE', usable: true, visibleQuantity: 500, costAllOnIt: nseCost },
      { exchange: 'BSE', usable: true, visibleQuantity: 500, costAllOnIt: bseCost },
    ]);
  });

  it("BSE one tick better at Rs 1,500: BSE's higher charges do not overturn the tick", () => {
    const d = routeOrder(order('BUY', 100), {
      NSE: book('NSE', { asks: [lv(150_005, 500)] }),
      BSE: book('BSE', { asks: [lv(150_000, 500)] }),
    });
    const nseCost = allIn('NSE', 'BUY', 'CNC', 150_005 * 100);
    const bseCost = allIn('BSE', 'BUY', 'CNC', 150_000 * 100);
    expect(bseCost).toBeLessThan(nseCost); // the premise: 5 paise x 100 beats the charge difference
    expect(d.legs.map((l) => [l.exchange, l.quantity, l.expectedCostPaise])).toEqual([['BSE', 100, bseCost]]);
    expect(d.reason).toBe(
      `BSE: ${formatRupees(nseCost - bseCost)} cheaper for 100 through the visible depth after charges.`,
    );
  });

  it("BSE one tick better at Rs 1,20,000: BSE's charges overturn the tick and NSE wins", () => {
    const d = routeOrder(order('BUY', 100), {
      NSE: book('NSE', { asks: [lv(12_000_005, 500)] }),
      BSE: book('BSE', { asks: [lv(12_000_000, 500)] }),
    });
    const nseCost = allIn('NSE', 'BUY', 'CNC', 12_000_005 * 100);
    const bseCost = allIn('BSE', 'BUY', 'CNC', 12_000_000 * 100);
    expect(nseCost).toBeLessThan(bseCost);
    expect(d.legs.map((l) => l.exchange)).toEqual(['NSE']);
    expect(d.reason).toBe(
      `NSE: ${formatRupees(bseCost - nseCost)} cheaper for 100 through the visible depth after charges. ` +
        `BSE shows the better price, by ${formatRupees(500)}, but its charges are higher.`,
    );
  });

  it('at equal prices the charges decide, for a buy and for a sell', () => {
    const nse = book('NSE', { asks: [lv(150_000, 500)], bids: [lv(149_995, 500)] });
    const bse = book('BSE', { asks: [lv(150_000, 500)], bids: [lv(149_995, 500)] });
    const buy = routeOrder(order('BUY', 200, { product: 'MIS' }), { NSE: nse, BSE: bse });
    const buyNse = allIn('NSE', 'BUY', 'MIS', 150_000 * 200);
    const buyBse = allIn('BSE', 'BUY', 'MIS', 150_000 * 200);
    expect(buyNse).toBeLessThan(buyBse);
    expect(buy.legs.map((l) => [l.exchange, l.expectedCostPaise])).toEqual([['NSE', buyNse]]);
    expect(buy.reason).toContain(formatRupees(buyBse - buyNse));

    const sell = routeOrder(order('SELL', 200), { NSE: nse, BSE: bse });
    const sellNse = allIn('NSE', 'SELL', 'CNC', 149_995 * 200);
    const sellBse = allIn('BSE', 'SELL', 'CNC', 149_995 * 200);
    expect(sellNse).toBeLessThan(sellBse); // a sell's cost is minus what it nets
    expect(sell.legs.map((l) => [l.exchange, l.expectedCostPaise])).toEqual([['NSE', sellNse]]);
    expect(sell.reason).toBe(
      `NSE: ${formatRupees(sellBse - sellNse)} more for 200 through the visible depth after charges.`,
    );
  });

  it('a sell goes where it nets more', () => {
    const d = routeOrder(order('SELL', 100), {
      NSE: book('NSE', { bids: [lv(150_000, 500)] }),
      BSE: book('BSE', { bids: [lv(150_010, 500)] }),
    });
    const nse = allIn('NSE', 'SELL', 'CNC', 150_000 * 100);
    const bse = allIn('BSE', 'SELL', 'CNC', 150_010 * 100);
    expect(bse).toBeLessThan(nse);
    expect(d.legs.map((l) => [l.exchange, l.expectedCostPaise])).toEqual([['BSE', bse]]);
    expect(d.reason).toBe(
      `BSE: ${formatRupees(nse - bse)} more for 100 through the visible depth after charges.`,
    );
  });

  it('a tie goes to the preferred venue', () => {
    const books = {
      NSE: book('NSE', { asks: [lv(150_000, 500)] }),
      BSE: book('BSE', { asks: [lv(150_000, 500)] }),
    };
    const d = routeOrder(order('BUY', 100), books, { charges: noCharges });
    expect(d.legs.map((l) => l.exchange)).toEqual(['NSE']);
    expect(d.reason).toBe(
      'NSE: the same all-in cost on NSE and BSE for 100 after charges; a tie goes to NSE.',
    );
    const b = routeOrder(order('BUY', 100), books, { charges: noCharges, preferred: 'BSE' });
    expect(b.legs.map((l) => l.exchange)).toEqual(['BSE']);
    expect(b.venues.map((v) => v.exchange)).toEqual(['BSE', 'NSE']);
  });

  it('compares the walk through several levels, not the touch', () => {
    // BSE's touch is better, but it has only 50 there; NSE's 100 at one price is cheaper overall.
    const d = routeOrder(
      order('BUY', 100),
      {
        NSE: book('NSE', { asks: [lv(150_010, 100)] }),
        BSE: book('BSE', { asks: [lv(150_000, 50), lv(150_030, 50)] }),
      },
      { charges: noCharges },
    );
    expect(d.legs.map((l) => [l.exchange, l.expectedAveragePrice])).toEqual([['NSE', 150_010]]);
    expect(d.reason).toBe('NSE: Rs 5.00 cheaper for 100 through the visible depth after charges.');
  });
});

describe('routeOrder: a venue that cannot be used (rules 1-3)', () => {
  const deepNse = book('NSE', { asks: [lv(150_010, 1_000)] });

  it('a thin BSE falls back to NSE even at a better price', () => {
    const d = routeOrder(order('BUY', 500), { NSE: deepNse, BSE: book('BSE', { asks: [lv(150_000, 40)] }) });
    expect(d.legs.map((l) => [l.exchange, l.quantity])).toEqual([['NSE', 500]]);
    expect(d.fallback).toBe(true);
    expect(d.reason).toBe("NSE: BSE's book is thin (40 of 500 visible).");
    expect(d.venues[1]).toEqual({
      exchange: 'BSE',
      usable: true,
      whyNot: 'thin: 40 visible',
      visibleQuantity: 40,
    });
  });

  it('a BSE showing exactly the thin fraction is not thin', () => {
    const d = routeOrder(
      order('BUY', 500),
      { NSE: deepNse, BSE: book('BSE', { asks: [lv(150_000, 100)] }) },
      {
        charges: noCharges,
      },
    );
    expect(d.fallback).toBe(false);
    expect(d.legs.map((l) => [l.exchange, l.quantity])).toEqual([
      ['NSE', 400],
      ['BSE', 100],
    ]);
  });

  it('a stale BSE falls back to NSE', () => {
    const bse = book('BSE', { asks: [lv(150_000, 1_000)], updatedAt: NOW - 5_200 });
    const d = routeOrder(order('BUY', 500), { NSE: deepNse, BSE: bse });
    expect(d.legs.map((l) => l.exchange)).toEqual(['NSE']);
    expect(d.fallback).toBe(true);
    expect(d.reason).toBe("NSE: BSE's book is 5.2 s old.");
    expect(d.venues[1]).toEqual({
      exchange: 'BSE',
      usable: false,
      whyNot: 'book is 5.2 s old',
      visibleQuantity: 1_000,
    });
    // Exactly maxAgeMs old is still fresh; a shorter maxAgeMs makes a younger book stale.
    const edge = routeOrder(order('BUY', 500), { NSE: deepNse, BSE: { ...bse, updatedAt: NOW - 2_000 } });
    expect(edge.legs.map((l) => l.exchange)).toEqual(['BSE']);
    const strict = routeOrder(
      order('BUY', 500),
      { NSE: deepNse, BSE: { ...bse, updatedAt: NOW - 600 } },
      {
        maxAgeMs: 500,
      },
    );
    expect(strict.reason).toBe("NSE: BSE's book is 0.6 s old.");
  });

  it('a BSE with nothing within the limit falls back to NSE', () => {
    const d = routeOrder(order('BUY', 100, { limitPrice: 150_010 }), {
      NSE: deepNse,
      BSE: book('BSE', { asks: [lv(150_050, 1_000)] }),
    });
    expect(d.legs.map((l) => l.exchange)).toEqual(['NSE']);
    expect(d.reason).toBe('NSE: BSE shows no offers within the limit Rs 1,500.10.');
  });

  it('a missing BSE routes to NSE; a missing NSE routes to BSE, which is not a fallback', () => {
    const onlyNse = routeOrder(order('BUY', 100), { NSE: deepNse });
    expect(onlyNse.legs.map((l) => l.exchange)).toEqual(['NSE']);
    expect(onlyNse.fallback).toBe(true);
    expect(onlyNse.reason).toBe('NSE: BSE has no book.');
    expect(onlyNse.venues[1]).toEqual({
      exchange: 'BSE',
      usable: false,
      whyNot: 'no book',
      visibleQuantity: 0,
    });

    const bse = book('BSE', { asks: [lv(150_000, 1_000)] });
    const onlyBse = routeOrder(order('BUY', 100), { NSE: undefined, BSE: bse });
    expect(onlyBse.legs.map((l) => [l.exchange, l.instrumentToken])).toEqual([['BSE', bse.instrumentToken]]);
    expect(onlyBse.fallback).toBe(false);
    expect(onlyBse.reason).toBe('BSE: NSE has no book.');
  });

  it('neither usable: the order rests on NSE at the limit', () => {
    const d = routeOrder(order('BUY', 100, { limitPrice: 150_000 }), {
      NSE: book('NSE', { asks: [lv(150_010, 1_000)] }),
      BSE: book('BSE', { asks: [lv(150_000, 1_000)], updatedAt: NOW - 3_000 }),
    });
    expect(d.fallback).toBe(true);
    expect(d.legs).toEqual([
      expect.objectContaining({
        exchange: 'NSE',
        quantity: 100,
        expectedAveragePrice: 150_000,
        fromVisibleDepth: 0,
      }),
    ]);
    expect(d.legs[0]?.expectedCostPaise).toBe(allIn('NSE', 'BUY', 'CNC', 150_000 * 100));
    expect(d.reason).toBe(
      "NSE: neither book is usable (NSE shows no offers within the limit Rs 1,500.00; BSE's book is 3.0 s old), so the order rests on NSE at the limit.",
    );
  });

  it('neither usable, no NSE book: the order goes to BSE; no book at all: nothing to route', () => {
    const d = routeOrder(order('SELL', 100), { BSE: book('BSE', { bids: [lv(150_000, 10)], updatedAt: 0 }) });
    expect(d.legs.map((l) => [l.exchange, l.quantity, l.expectedAveragePrice])).toEqual([
      ['BSE', 100, 150_000],
    ]);
    expect(d.fallback).toBe(true);
    expect(d.reason).toContain('walks BSE');
    const none = routeOrder(order('BUY', 100), {});
    expect(none.legs).toEqual([]);
    expect(none.reason).toBe('No book on NSE or BSE: there is nothing to route to.');
  });
});

describe('routeOrder: split across both books (rule 5)', () => {
  // Merged: N 100@1500.00, B 100@1500.05, N 100@1500.10, B 50@1500.10 (NSE first at a tie),
  // N 100@1500.20, B 50@1500.30: 300 from NSE and 200 from BSE make 500.
  const nse = book('NSE', { asks: [lv(150_000, 100), lv(150_010, 100), lv(150_020, 100)] });
  const bse = book('BSE', { asks: [lv(150_005, 100), lv(150_010, 50), lv(150_030, 50)] });

  it('neither book shows the whole order: best prices first across both, each leg charged by its exchange', () => {
    const d = routeOrder(order('BUY', 500), { NSE: nse, BSE: bse });
    const nseNotional = 100 * 150_000 + 100 * 150_010 + 100 * 150_020; // 45,003,000
    const bseNotional = 100 * 150_005 + 50 * 150_010 + 50 * 150_030; // 30,002,500
    expect(d.legs).toEqual([
      {
        exchange: 'NSE',
        instrumentToken: nse.instrumentToken,
        quantity: 300,
        expectedAveragePrice: 150_010,
        expectedCostPaise: allIn('NSE', 'BUY', 'CNC', nseNotional),
        fromVisibleDepth: 300,
        freezeQuantity: null,
        slices: 1,
      },
      {
        exchange: 'BSE',
        instrumentToken: bse.instrumentToken,
        quantity: 200,
        expectedAveragePrice: 150_012.5,
        expectedCostPaise: allIn('BSE', 'BUY', 'CNC', bseNotional),
        fromVisibleDepth: 200,
        freezeQuantity: null,
        slices: 1,
      },
    ]);
    expect(d.fallback).toBe(false);
    expect(d.reason).toBe('Split: 300 on NSE, 200 on BSE: neither book shows 500.');
    expect(d.venues.map((v) => [v.visibleQuantity, v.costAllOnIt])).toEqual([
      [300, undefined],
      [200, undefined],
    ]);
  });

  it('the rest beyond both visible depths goes to NSE, at the limit or at its worst visible level', () => {
    const limited = routeOrder(
      order('BUY', 600, { limitPrice: 150_030 }),
      { NSE: nse, BSE: bse },
      {
        charges: noCharges,
      },
    );
    // NSE: its 300 visible (45,003,000) plus 100 at the limit (15,003,000) = 60,006,000 / 400.
    expect(
      limited.legs.map((l) => [l.exchange, l.quantity, l.fromVisibleDepth, l.expectedAveragePrice]),
    ).toEqual([
      ['NSE', 400, 300, 150_015],
      ['BSE', 200, 200, 150_012.5],
    ]);
    expect(limited.reason).toBe(
      "Split: 400 on NSE, 200 on BSE: neither book shows 600. 100 of NSE's 400 is beyond the visible depth and rests there at the limit.",
    );
    const market = routeOrder(order('BUY', 600), { NSE: nse, BSE: bse }, { charges: noCharges });
    // NSE: 45,003,000 + 100 x 150,020 (its worst visible) = 60,005,000 / 400.
    expect(market.legs.map((l) => [l.exchange, l.quantity, l.expectedAveragePrice])).toEqual([
      ['NSE', 400, 150_012.5],
      ['BSE', 200, 150_012.5],
    ]);
    expect(market.reason).toContain('walks its book');
  });

  it('the limit price stops the walk on both books', () => {
    const d = routeOrder(
      order('BUY', 400, { limitPrice: 150_010 }),
      {
        NSE: nse,
        BSE: book('BSE', { asks: [lv(150_005, 100), lv(150_015, 300)] }),
      },
      { charges: noCharges },
    );
    // Within 1,500.10: NSE 100@1500.00 + 100@1500.10, BSE 100@1500.05; the other 100 rests on NSE at
    // the limit: NSE (15,000,000 + 15,001,000 + 15,001,000) / 300, BSE 150,005.
    expect(d.venues.map((v) => v.visibleQuantity)).toEqual([200, 100]);
    expect(d.legs.map((l) => [l.exchange, l.quantity, l.fromVisibleDepth])).toEqual([
      ['NSE', 300, 200],
      ['BSE', 100, 100],
    ]);
    expect(d.legs[0]?.expectedAveragePrice).toBeCloseTo(45_002_000 / 300, 9);
    expect(d.legs[1]?.expectedAveragePrice).toBe(150_005);
    for (const leg of d.legs) expect(leg.expectedAveragePrice).toBeLessThanOrEqual(150_010);
  });

  it('a sell splits over the bids, best (highest) first', () => {
    const d = routeOrder(
      order('SELL', 300, { limitPrice: 149_990 }),
      {
        NSE: book('NSE', { bids: [lv(149_995, 100), lv(149_990, 100), lv(149_985, 500)] }),
        BSE: book('BSE', { bids: [lv(150_000, 100), lv(149_980, 500)] }),
      },
      { charges: noCharges },
    );
    // Merged within the limit: B 100@1500.00, N 100@1499.95, N 100@1499.90.
    expect(d.legs.map((l) => [l.exchange, l.quantity, l.expectedAveragePrice])).toEqual([
      ['NSE', 200, 149_992.5],
      ['BSE', 100, 150_000],
    ]);
    expect(d.legs.map((l) => l.expectedCostPaise)).toEqual([-200 * 149_992.5, -100 * 150_000]);
  });

  it("the legs are whole lots: BSE's share is rounded down and the rest goes to NSE", () => {
    const lot = { lotSize: 25, freezeQuantity: 100 };
    const d = routeOrder(
      order('BUY', 500, { product: 'NRML' }),
      {
        NSE: book('NSE', { ...lot, asks: [lv(150_000, 100), lv(150_020, 200)] }),
        BSE: book('BSE', { ...lot, asks: [lv(150_005, 110), lv(150_010, 100)] }),
      },
      { charges: noCharges },
    );
    // Merged: N 100@1500.00, B 110@1500.05, B 100@1500.10, N 190@1500.20: BSE's 210 -> 200 (8 lots),
    // NSE 300: 100@1500.00 + 200@1500.20; BSE 200: 110@1500.05 + 90@1500.10.
    expect(d.legs.map((l) => [l.exchange, l.quantity, l.slices])).toEqual([
      ['NSE', 300, 3],
      ['BSE', 200, 2],
    ]);
    expect(d.legs[0]?.expectedAveragePrice).toBeCloseTo((100 * 150_000 + 200 * 150_020) / 300, 9);
    expect(d.legs[1]?.expectedAveragePrice).toBe((110 * 150_005 + 90 * 150_010) / 200);
    for (const leg of d.legs) expect(leg.quantity % 25).toBe(0);
  });

  it('a BSE share under a lot is dropped and NSE takes it all', () => {
    const lot = { lotSize: 25 };
    const d = routeOrder(
      order('BUY', 100),
      {
        NSE: book('NSE', { ...lot, asks: [lv(150_010, 90)] }),
        BSE: book('BSE', { ...lot, asks: [lv(150_000, 20)] }),
      },
      { charges: noCharges },
    );
    expect(d.legs.map((l) => [l.exchange, l.quantity, l.fromVisibleDepth])).toEqual([['NSE', 100, 90]]);
    expect(d.reason).toBe(
      "NSE: neither book shows 100, and BSE's share at the better prices (20) is less than a lot of 25. 10 of NSE's 100 is beyond the visible depth and walks its book.",
    );
  });

  it('when only one book shows the whole order at the better prices, it takes it all (no empty leg)', () => {
    const toBse = routeOrder(
      order('BUY', 300),
      { NSE: book('NSE', { asks: [lv(150_010, 100)] }), BSE: book('BSE', { asks: [lv(150_000, 500)] }) },
      { charges: noCharges },
    );
    expect(toBse.legs.map((l) => [l.exchange, l.quantity, l.expectedAveragePrice])).toEqual([
      ['BSE', 300, 150_000],
    ]);
    expect(toBse.fallback).toBe(false);
    expect(toBse.reason).toBe('BSE: only BSE shows all 300, at prices NSE does not beat.');
    const toNse = routeOrder(
      order('BUY', 300),
      { NSE: book('NSE', { asks: [lv(150_000, 500)] }), BSE: book('BSE', { asks: [lv(150_010, 100)] }) },
      { charges: noCharges },
    );
    expect(toNse.legs.map((l) => [l.exchange, l.quantity])).toEqual([['NSE', 300]]);
    expect(toNse.reason).toBe('NSE: only NSE shows all 300, at prices BSE does not beat.');
  });

  it('when NSE alone can fill, one order beats a split whose saving is less than the extra brokerage', () => {
    const books = {
      NSE: book('NSE', { asks: [lv(150_010, 1_000)] }),
      BSE: book('BSE', { asks: [lv(150_005, 200)] }),
    };
    const d = routeOrder(order('BUY', 500, { product: 'MIS' }), books);
    const single = allIn('NSE', 'BUY', 'MIS', 500 * 150_010);
    const split = allIn('NSE', 'BUY', 'MIS', 300 * 150_010) + allIn('BSE', 'BUY', 'MIS', 200 * 150_005);
    expect(single).toBeLessThan(split); // Rs 10 better price, but a second Rs 20 brokerage plus GST
    expect(d.legs.map((l) => [l.exchange, l.quantity, l.expectedCostPaise])).toEqual([['NSE', 500, single]]);
    expect(d.reason).toBe(
      `NSE: all 500 on NSE is ${formatRupees(split - single)} cheaper after charges than splitting 300 on NSE, 200 on BSE.`,
    );
  });

  it('when NSE alone can fill, a split still wins when it saves more than its charges', () => {
    const books = {
      NSE: book('NSE', { asks: [lv(150_010, 1_000)] }),
      BSE: book('BSE', { asks: [lv(149_900, 200)] }),
    };
    const d = routeOrder(order('BUY', 500), books);
    const single = allIn('NSE', 'BUY', 'CNC', 500 * 150_010);
    const nseLeg = allIn('NSE', 'BUY', 'CNC', 300 * 150_010);
    const bseLeg = allIn('BSE', 'BUY', 'CNC', 200 * 149_900);
    expect(nseLeg + bseLeg).toBeLessThan(single);
    expect(d.legs.map((l) => [l.exchange, l.quantity, l.expectedCostPaise])).toEqual([
      ['NSE', 300, nseLeg],
      ['BSE', 200, bseLeg],
    ]);
    expect(d.reason).toBe(
      `Split: 300 on NSE, 200 on BSE: ${formatRupees(single - nseLeg - bseLeg)} cheaper than all 500 on NSE after charges.`,
    );
  });
});

describe('routeOrder: bad input', () => {
  const books = {
    NSE: book('NSE', { asks: [lv(150_000, 100)] }),
    BSE: book('BSE', { asks: [lv(150_000, 100)] }),
  };

  it.each([0, -5, 1.5, Number.NaN, Infinity])('refuses a quantity of %s', (quantity) => {
    expect(() => routeOrder(order('BUY', quantity), books)).toThrow(RangeError);
  });

  it('refuses a quantity that is not whole lots', () => {
    const lots = { NSE: book('NSE', { lotSize: 25 }), BSE: book('BSE', { lotSize: 25 }) };
    expect(() => routeOrder(order('BUY', 30), lots)).toThrow(/multiple of NSE's lot size 25/);
  });

  it('refuses NaN or fractional prices', () => {
    expect(() => routeOrder(order('BUY', 10, { limitPrice: Number.NaN }), books)).toThrow(RangeError);
    expect(() => routeOrder(order('BUY', 10, { limitPrice: 150_000.5 }), books)).toThrow(RangeError);
    const nan = { ...books, BSE: book('BSE', { asks: [lv(Number.NaN, 100)] }) };
    expect(() => routeOrder(order('BUY', 10), nan)).toThrow(/BSE ask price/);
    const nanQty = { ...books, NSE: book('NSE', { bids: [lv(150_000, Number.NaN)] }) };
    expect(() => routeOrder(order('BUY', 10), nanQty)).toThrow(RangeError);
  });

  it('refuses books that disagree with their exchange or with each other', () => {
    expect(() => routeOrder(order('BUY', 10), { NSE: book('BSE') })).toThrow(RangeError);
    expect(() =>
      routeOrder(order('BUY', 10), { NSE: book('NSE'), BSE: book('BSE', { priceDivisor: 10_000 }) }),
    ).toThrow(/divisors differ/);
  });

  it('refuses charges that are not whole paise', () => {
    expect(() => routeOrder(order('BUY', 10), books, { charges: () => 0.5 })).toThrow(RangeError);
  });
});

describe('routeOrder: properties', () => {
  const BASE = 150_000;
  const TICK = 5;
  const ladder = (side: 'bids' | 'asks') =>
    fc
      .array(
        fc.record({ ticks: fc.integer({ min: 0, max: 20 }), quantity: fc.integer({ min: 0, max: 300 }) }),
        {
          maxLength: 5,
        },
      )
      .map((raw) =>
        raw
          .map(({ ticks, quantity }) =>
            lv(side === 'asks' ? BASE + ticks * TICK : BASE - ticks * TICK, quantity),
          )
          .sort((a, b) => (side === 'asks' ? a.price - b.price : b.price - a.price)),
      );
  const bookArb = (exchange: RouteExchange, lotSize: number) =>
    fc.option(
      fc
        .record({
          bids: ladder('bids'),
          asks: ladder('asks'),
          age: fc.integer({ min: 0, max: 3_000 }),
          freeze: fc.option(fc.integer({ min: 1, max: 2_000 }), { nil: null }),
        })
        .map(({ bids, asks, age, freeze }) =>
          book(exchange, { bids, asks, lotSize, freezeQuantity: freeze, updatedAt: NOW - age }),
        ),
      { nil: undefined },
    );
  const scenario = fc.constantFrom(1, 5, 25).chain((lotSize) =>
    fc.record({
      lotSize: fc.constant(lotSize),
      nse: bookArb('NSE', lotSize),
      bse: bookArb('BSE', lotSize),
      side: fc.constantFrom<RouteSide>('BUY', 'SELL'),
      product: fc.constantFrom<RouteProduct>('CNC', 'MIS'),
      lots: fc.integer({ min: 1, max: 40 }),
      limitTicks: fc.option(fc.integer({ min: -15, max: 15 }), { nil: undefined }),
      preferred: fc.constantFrom<RouteExchange>('NSE', 'BSE'),
    }),
  );

  it('legs sum to the order in whole lots, never break the limit, and the cheaper lone venue wins', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const limitPrice = s.limitTicks === undefined ? undefined : BASE + s.limitTicks * TICK;
        const quantity = s.lots * s.lotSize;
        const request = order(s.side, quantity, {
          product: s.product,
          ...(limitPrice === undefined ? {} : { limitPrice }),
        });
        const d = routeOrder(request, { NSE: s.nse, BSE: s.bse }, { preferred: s.preferred });

        if (s.nse === undefined && s.bse === undefined) {
          expect(d.legs).toEqual([]);
          return;
        }
        expect(d.legs.reduce((sum, l) => sum + l.quantity, 0)).toBe(quantity);
        expect(new Set(d.legs.map((l) => l.exchange)).size).toBe(d.legs.length);
        for (const leg of d.legs) {
          expect(leg.quantity).toBeGreaterThan(0);
          expect(leg.quantity % s.lotSize).toBe(0);
          expect(leg.fromVisibleDepth).toBeLessThanOrEqual(leg.quantity);
          if (limitPrice !== undefined) {
            if (s.side === 'BUY') expect(leg.expectedAveragePrice).toBeLessThanOrEqual(limitPrice);
            else expect(leg.expectedAveragePrice).toBeGreaterThanOrEqual(limitPrice);
          }
        }
        const [a, b] = d.venues.map((v) => v.costAllOnIt);
        if (a !== undefined && b !== undefined) {
          expect(d.legs).toHaveLength(1);
          expect(d.legs[0]?.expectedCostPaise).toBe(Math.min(a, b));
          if (a === b) expect(d.legs[0]?.exchange).toBe(s.preferred);
        }
      }),
      { numRuns: 500 },
    );
  });
});
