import { describe, expect, it } from 'vitest';
import { FREEZE_QUANTITY_SCHEDULES, freezeQuantitiesOn } from './freezeQuantities';
import type { Instrument } from './instruments';
import { freezeQuantityLookup } from './instrumentsCsv';

describe('freeze quantities by trading date', () => {
  it('takes the revision in force on the date: BANKNIFTY 900, then 600 from 3 November 2025', () => {
    expect(freezeQuantitiesOn('2025-11-02')['NFO:BANKNIFTY']).toBe(900);
    expect(freezeQuantitiesOn('2025-11-03')['NFO:BANKNIFTY']).toBe(600);
    expect(freezeQuantitiesOn('2026-12-02')).toMatchObject({ 'NFO:NIFTY': 1800, 'NFO:BANKNIFTY': 600 });
    // Before the first revision nothing is known.
    expect(freezeQuantitiesOn('2025-08-29')).toEqual({});
    expect(() => freezeQuantitiesOn('2 Dec 2026')).toThrow(RangeError);
    const starts = FREEZE_QUANTITY_SCHEDULES.map((s) => s.from);
    expect([...starts].sort()).toEqual(starts);
  });

  it("fills every NFO future and option on the underlying, not BSE's nor an equity of the name", () => {
    const lookup = freezeQuantityLookup(freezeQuantitiesOn('2026-12-02'));
    const row = (
      exchange: Instrument['exchange'],
      name: string,
      instrumentType: Instrument['instrumentType'],
    ): Pick<Instrument, 'exchange' | 'name' | 'tradingSymbol' | 'instrumentType'> => ({
      exchange,
      name,
      tradingSymbol: `${name}26DECFUT`,
      instrumentType,
    });
    expect(lookup(row('NFO', 'NIFTY', 'FUT'))).toBe(1800);
    expect(lookup(row('NFO', 'BANKNIFTY', 'CE'))).toBe(600);
    expect(lookup(row('BFO', 'SENSEX', 'PE'))).toBeNull();
    expect(lookup(row('NSE', 'NIFTY', 'EQ'))).toBeNull();
  });
});
