import { describe, expect, it } from 'vitest';
import {
  currencyExpiry,
  dayOfMonthExpiry,
  formatCalendarDate,
  monthlyExpiry,
  parseCalendarDate,
  weekday,
  weeklyCode,
  weeklyExpiry,
} from './expiry';
import { SEGMENT_ID, band, buildInstruments, instrumentToken, instrumentsCsv } from './instruments';
import { loadInstruments } from './loadInstruments';

const d = (s: string): ReturnType<typeof parseCalendarDate> => parseCalendarDate(s);

describe('expiries', () => {
  it('puts the NIFTY monthly on the last Tuesday of the month, else next month', () => {
    expect(formatCalendarDate(monthlyExpiry(d('2025-11-10')))).toBe('2025-11-25');
    expect(formatCalendarDate(monthlyExpiry(d('2025-11-25')))).toBe('2025-11-25');
    expect(formatCalendarDate(monthlyExpiry(d('2025-11-26')))).toBe('2025-12-30');
    expect(weekday(monthlyExpiry(d('2026-02-01')))).toBe(2);
  });

  it('puts the weekly on the next Tuesday that is not the monthly', () => {
    expect(formatCalendarDate(weeklyExpiry(d('2025-11-05')))).toBe('2025-11-11');
    expect(formatCalendarDate(weeklyExpiry(d('2025-11-11')))).toBe('2025-11-11');
    // 2025-11-25 is the monthly, so the weekly chain is the week after.
    expect(formatCalendarDate(weeklyExpiry(d('2025-11-20')))).toBe('2025-12-02');
    expect(weeklyCode(d('2025-11-11'))).toBe('25N11');
    expect(weeklyCode(d('2025-10-07'))).toBe('25O07');
  });

  it('computes USDINR and CRUDEOIL expiries', () => {
    // Last working day of Nov 2025 is Fri 28th; two working days before: Wed 26th.
    expect(formatCalendarDate(currencyExpiry(d('2025-11-03')))).toBe('2025-11-26');
    // 19 Oct 2025 is a Sunday: back to Friday 17th.
    expect(formatCalendarDate(dayOfMonthExpiry(d('2025-10-01'), 19))).toBe('2025-10-17');
    expect(formatCalendarDate(dayOfMonthExpiry(d('2025-10-18'), 19))).toBe('2025-11-19');
  });

  it('refuses dates that do not exist', () => {
    expect(() => parseCalendarDate('2025-02-30')).toThrow(RangeError);
    expect(() => parseCalendarDate('25-02-03')).toThrow(RangeError);
  });
});

describe('instruments', () => {
  const all = loadInstruments('2025-11-24');

  it('loads the files into Kite-shaped records', () => {
    const nse = all.filter((i) => i.segment === 'NSE');
    const bse = all.filter((i) => i.segment === 'BSE');
    expect(nse.length).toBeGreaterThanOrEqual(50);
    expect(bse.length).toBeGreaterThanOrEqual(12);
    const infy = nse.find((i) => i.tradingsymbol === 'INFY')!;
    expect(infy.instrument_token).toBe(408065);
    expect(infy.tick_size).toBe(5);
    expect(all.find((i) => i.tradingsymbol === 'TATASTEEL' && i.exchange === 'NSE')!.tick_size).toBe(1);
    const nifty = all.find((i) => i.tradingsymbol === 'NIFTY 50')!;
    expect(nifty.instrument_token).toBe(256265);
    expect(nifty.tradable).toBe(false);
    expect(all.find((i) => i.tradingsymbol === 'NIFTY BANK')!.instrument_token).toBe(260105);
    for (const i of all) {
      expect(i.instrument_token).toBe(
        instrumentToken(i.exchange_token, SEGMENT_ID[i.segment.split('-')[0] as keyof typeof SEGMENT_ID]),
      );
      if (i.tradable) {
        expect(i.last_price % i.tick_size).toBe(0);
        expect(i.lowerCircuit % i.tick_size).toBe(0);
        expect(i.upperCircuit % i.tick_size).toBe(0);
        expect(i.lowerCircuit).toBeLessThanOrEqual(i.last_price);
        expect(i.upperCircuit).toBeGreaterThanOrEqual(i.last_price);
      }
    }
  });

  it('generates futures and weekly and monthly option chains from the date', () => {
    const fut = all.find((i) => i.tradingsymbol === 'NIFTY25NOVFUT')!;
    expect(fut.lot_size).toBe(75);
    expect(fut.freezeQuantity).toBe(1800);
    expect(fut.expiry).toBe('2025-11-25');
    expect(all.find((i) => i.tradingsymbol === 'BANKNIFTY25NOVFUT')!.lot_size).toBe(35);
    const weekly = all.filter(
      (i) => i.segment === 'NFO-OPT' && i.name === 'NIFTY' && i.expiry === '2025-12-02',
    );
    const monthly = all.filter(
      (i) => i.segment === 'NFO-OPT' && i.name === 'NIFTY' && i.expiry === '2025-11-25',
    );
    expect(weekly.length).toBe(82);
    expect(monthly.length).toBe(82);
    expect(weekly.some((i) => i.tradingsymbol === 'NIFTY25D0226000CE')).toBe(true);
    expect(monthly.some((i) => i.tradingsymbol === 'NIFTY25NOV26000PE')).toBe(true);
    const strikes = new Set(monthly.map((i) => i.strike));
    expect([...strikes].filter((s) => s < 2_600_000).length).toBeGreaterThanOrEqual(15);
    expect([...strikes].filter((s) => s > 2_600_000).length).toBeGreaterThanOrEqual(15);
    expect(all.find((i) => i.segment === 'CDS-FUT')!.priceDivisor).toBe(10_000_000);
    expect(all.find((i) => i.segment === 'MCX-FUT')!.tradingsymbol).toBe('CRUDEOIL25DECFUT');
  });

  it("writes the instruments CSV with Kite's header", () => {
    const csv = instrumentsCsv(all.slice(0, 2));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange',
    );
    expect(lines[1]).toBe('738561,2885,RELIANCE,RELIANCE INDUSTRIES,1520.4,,0,0.05,1,EQ,NSE,NSE');
    expect(csv.endsWith('\n')).toBe(false);
  });

  it('rejects a file that fails validation', () => {
    expect(() =>
      buildInstruments(
        {
          nseEquities: [
            { symbol: 'X', name: 'X', exchangeToken: 1, previousClose: 100, tickSize: 3, bandPercent: 20 },
          ],
          indices: [],
          derivatives: { indexDerivatives: [], currencyFutures: [], commodityFutures: [] },
        },
        '2025-11-24',
      ),
    ).toThrow(/tickSize/);
  });

  it('computes bands on the tick', () => {
    expect(band(100_005, 20, 5)).toEqual({ lower: 80_005, upper: 120_005 });
    expect(band(10, 20, 5)).toEqual({ lower: 10, upper: 10 });
  });
});
