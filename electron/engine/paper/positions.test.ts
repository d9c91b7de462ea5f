import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PositionFill } from './positions';
import { divideRounded, paperMargins, positionsFromFills, wireToPaise } from './positions';

const NSE = 738561;
/** A CDS token (segment byte 3): wire units of 1e-7 rupee. */
const CDS = 0x1_0003;

const fill = (
  side: 'BUY' | 'SELL',
  quantity: number,
  price: number,
  over: Partial<PositionFill> = {},
): PositionFill => ({
  instrumentToken: NSE,
  exchange: 'NSE',
  tradingsymbol: 'RELIANCE',
  product: 'MIS',
  side,
  quantity,
  price,
  tradingDate: '2026-01-05',
  ...over,
});

describe('divideRounded', () => {
  it('rounds half away from zero', () => {
    expect(divideRounded(5, 2)).toBe(3);
    expect(divideRounded(-5, 2)).toBe(-3);
    expect(divideRounded(7, 3)).toBe(2);
    expect(divideRounded(-7, 3)).toBe(-2);
    expect(divideRounded(0, 3)).toBe(0);
  });

  it('agrees with a BigInt oracle over safe integers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (a, b) => {
          const n = BigInt(Math.abs(a));
          const d = BigInt(b);
          let q = n / d;
          if (2n * (n % d) >= d) q += 1n;
          expect(divideRounded(a, b)).toBe(Number(a < 0 ? -q : q));
        },
      ),
    );
  });
});

describe('positionsFromFills', () => {
  it('averages the open quantity first in first out, through a flip to short', () => {
    const [p] = positionsFromFills(
      [fill('BUY', 10, 100), fill('BUY', 10, 121), fill('SELL', 15, 110), fill('SELL', 10, 90)],
      '2026-01-05',
    );
    // Long 5 @ 121 left after the first sell; the second closes it and opens 5 short @ 90.
    expect(p).toMatchObject({ quantity: -5, averagePrice: 90, openValue: 450, overnightQuantity: 0 });
    // 10 x (110 - 100) + 5 x (110 - 121) + 5 x (90 - 121) = 100 - 55 - 155.
    expect(p?.realisedValue).toBe(-110);
  });

  it('rounds the average half away from zero; keeps products apart; carries yesterday as overnight', () => {
    const positions = positionsFromFills(
      [
        fill('BUY', 2, 100, { tradingDate: '2026-01-02', product: 'CNC' }),
        fill('BUY', 1, 101, { product: 'CNC' }),
        fill('BUY', 3, 500),
        fill('SELL', 3, 505, { tradingDate: '2026-01-02', product: 'NRML' }),
      ],
      '2026-01-05',
    );
    expect(positions.map((p) => [p.product, p.quantity, p.overnightQuantity, p.averagePrice])).toEqual([
      ['CNC', 3, 2, 100], // 301 / 3 = 100.33
      ['MIS', 3, 0, 500],
      ['NRML', -3, -3, 505],
    ]);
    expect(positionsFromFills([fill('BUY', 1, 3), fill('BUY', 1, 4)], '2026-01-05')[0]?.averagePrice).toBe(4);
  });

  it('leaves out earlier days positions that are flat, keeps todays closed ones', () => {
    const positions = positionsFromFills(
      [
        fill('BUY', 1, 100, { tradingDate: '2026-01-02' }),
        fill('SELL', 1, 100, { tradingDate: '2026-01-02' }),
        fill('BUY', 1, 100, { product: 'CNC' }),
        fill('SELL', 1, 102, { product: 'CNC' }),
      ],
      '2026-01-05',
    );
    expect(positions.map((p) => [p.product, p.quantity, p.averagePrice, p.realisedValue])).toEqual([
      ['CNC', 0, 0, 2],
    ]);
  });
});

describe('paper margins', () => {
  it('cash plus realised, less the notional of open positions, in paise', () => {
    const positions = positionsFromFills(
      [
        fill('BUY', 10, 10_000),
        fill('SELL', 4, 10_050),
        // 1000 units of USDINR at 83.1234567 rupees: 83,123.4567 rupees of notional.
        fill('BUY', 1_000, 831_234_567, { instrumentToken: CDS, exchange: 'CDS', tradingsymbol: 'USDINR' }),
      ],
      '2026-01-05',
    );
    expect(wireToPaise(CDS, 831_234_567_000)).toBe(8_312_346);
    expect(paperMargins(positions, 100_000_000)).toEqual({
      equity: {
        availableCash: 100_000_000 + 200,
        utilised: 60_000 + 8_312_346,
        net: 100_000_000 + 200 - 60_000 - 8_312_346,
      },
      commodity: null,
    });
  });
});
