import { describe, expect, it } from 'vitest';
import type { PositionView } from '../../../shared/services/portfolio';
import { formatNetQuantity, pnlText, positionKey, positionText } from './positionView';

const long: PositionView = {
  instrumentToken: 408065,
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  priceDivisor: 100,
  product: 'CNC',
  quantity: 10,
  averagePrice: 154_490,
  overnightQuantity: 0,
  dayBuyQuantity: 10,
  daySellQuantity: 0,
  dayBuyValue: 1_544_900,
  daySellValue: 0,
  lastPrice: 154_600,
  realized: 0,
  unrealized: 1_100,
  charges: 944,
  net: 156,
};

describe('a position in the grid', () => {
  it('reads with a signed net quantity, prices and coloured P&L', () => {
    expect(positionKey(long)).toBe('408065:CNC');
    expect(positionText(long)).toEqual({
      quantity: '+10',
      average: '1544.90',
      lastPrice: '1546.00',
      realized: '0.00',
      unrealized: '+11.00',
      charges: '9.44',
      net: '+1.56',
      side: 'up',
      realizedDir: 'flat',
      unrealizedDir: 'up',
      netDir: 'up',
    });
  });

  it('shows a closed position flat, with no average and its realized loss', () => {
    const flat = positionText({
      ...long,
      quantity: 0,
      averagePrice: 0,
      realized: -25_050,
      unrealized: 0,
      net: -25_994,
    });
    expect(flat.quantity).toBe('0');
    expect(flat.average).toBe('—');
    expect(flat.realized).toBe('-250.50');
    expect(flat.net).toBe('-259.94');
    expect(flat.netDir).toBe('down');
    expect(flat.side).toBe('flat');
    expect(formatNetQuantity(-1200)).toBe('-1,200');
  });

  it("totals the day's P&L; dashes before the first", () => {
    expect(pnlText(undefined).net).toBe('—');
    expect(pnlText({ realized: 10_000, unrealized: -2_500, charges: 1_888, net: 5_612, at: 1 })).toEqual({
      realized: '+100.00',
      unrealized: '-25.00',
      charges: '18.88',
      net: '+56.12',
      realizedDir: 'up',
      unrealizedDir: 'down',
      netDir: 'up',
    });
  });
});
