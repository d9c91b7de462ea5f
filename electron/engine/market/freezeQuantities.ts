// The exchanges' freeze quantities (the most one order may carry), which Kite's instruments dump
// lacks and no Kite API gives. Dated, as the exchanges revise them by circular; the day's table fills
// `Instrument.freezeQuantity` when the dump is loaded (instrumentsCsv.ts `freezeQuantityLookup` keys).
// An instrument not listed has none known: the OMS then learns it from the exchange's refusal
// (orderManager.ts, `learnFreezeQuantity`). Sources: ../shared/reference/reliability.md 2.4.

/** One revision: the first IST trading date it applies to and the whole table from then on. */
export interface FreezeQuantitySchedule {
  /** `YYYY-MM-DD`, an IST trading date. */
  readonly from: string;
  readonly basis: string;
  /** `EXCHANGE:UNDERLYING` (every future and option on it) -> units per order. */
  readonly quantities: Readonly<Record<string, number>>;
}

const SEPTEMBER_2025: Readonly<Record<string, number>> = {
  'NFO:NIFTY': 1800,
  'NFO:BANKNIFTY': 900,
  'NFO:FINNIFTY': 1800,
  'NFO:MIDCPNIFTY': 2800,
  'NFO:NIFTYNXT50': 600,
};

/** Oldest first. */
export const FREEZE_QUANTITY_SCHEDULES: readonly FreezeQuantitySchedule[] = [
  { from: '2025-09-01', basis: 'NSE circular, effective 1 September 2025', quantities: SEPTEMBER_2025 },
  {
    from: '2025-11-03',
    basis: 'NSE circular, effective 3 November 2025: BANKNIFTY 600, the others unchanged',
    quantities: { ...SEPTEMBER_2025, 'NFO:BANKNIFTY': 600 },
  },
];

/**
 * The table for an IST trading date (`YYYY-MM-DD`): the last revision not after it, or none before
 * the first (an old replay then learns them from refusals).
 */
export function freezeQuantitiesOn(tradingDate: string): Readonly<Record<string, number>> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(tradingDate))
    throw new RangeError(`trading date ${tradingDate} is not YYYY-MM-DD`);
  let table: Readonly<Record<string, number>> = {};
  for (const s of FREEZE_QUANTITY_SCHEDULES) if (s.from <= tradingDate) table = s.quantities;
  return table;
}
