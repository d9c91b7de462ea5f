// Expiry dates of the simulated contracts, computed from a trading date. Calendar dates only (IST
// `YYYY-MM-DD`); exchange holidays are not modelled, so an expiry that falls on a holiday is not moved.

/** A calendar date in India. */
export interface CalendarDate {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  /** 1..31 */
  readonly day: number;
}

const TUESDAY = 2;

/** Parses `YYYY-MM-DD`; throws a RangeError for anything else or a date that does not exist. */
export function parseCalendarDate(text: string): CalendarDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m === null) throw new RangeError(`not a YYYY-MM-DD date: ${text}`);
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const back = fromDayNumber(dayNumber(d));
  if (back.month !== d.month || back.day !== d.day) throw new RangeError(`no such date: ${text}`);
  return d;
}

/** `YYYY-MM-DD`. */
export function formatCalendarDate(d: CalendarDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** Days since 1970-01-01. */
export function dayNumber(d: CalendarDate): number {
  return Math.floor(Date.UTC(d.year, d.month - 1, d.day) / 86_400_000);
}

/** The date `n` days after 1970-01-01. */
export function fromDayNumber(n: number): CalendarDate {
  const t = new Date(n * 86_400_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** 0 = Sunday .. 6 = Saturday. */
export function weekday(d: CalendarDate): number {
  return (dayNumber(d) + 4) % 7; // 1970-01-01 was a Thursday
}

function lastDayOfMonth(year: number, month: number): CalendarDate {
  const n = nextMonth(year, month);
  return fromDayNumber(dayNumber({ year: n.year, month: n.month, day: 1 }) - 1);
}

/** The last `weekdayWanted` of a month. */
export function lastWeekdayOfMonth(year: number, month: number, weekdayWanted: number): CalendarDate {
  const last = dayNumber(lastDayOfMonth(year, month));
  const back = (weekday(fromDayNumber(last)) - weekdayWanted + 7) % 7;
  return fromDayNumber(last - back);
}

function nextMonth(year: number, month: number): { year: number; month: number } {
  return month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
}

/**
 * The monthly index-derivative expiry on or after `from`: the last Tuesday of the month (NSE moved
 * index F&O expiries to Tuesday from September 2025), else the next month's.
 */
export function monthlyExpiry(from: CalendarDate): CalendarDate {
  const here = lastWeekdayOfMonth(from.year, from.month, TUESDAY);
  if (dayNumber(here) >= dayNumber(from)) return here;
  const n = nextMonth(from.year, from.month);
  return lastWeekdayOfMonth(n.year, n.month, TUESDAY);
}

/**
 * The NIFTY weekly expiry for a weekly chain: the first Tuesday on or after `from` that is not the
 * monthly expiry (a weekly that falls on the monthly expiry is the monthly contract).
 */
export function weeklyExpiry(from: CalendarDate): CalendarDate {
  let n = dayNumber(from);
  n += (TUESDAY - weekday(from) + 7) % 7;
  const monthly = dayNumber(monthlyExpiry(from));
  if (n === monthly) n += 7;
  return fromDayNumber(n);
}

/**
 * The USDINR monthly expiry on or after `from`: two working days (Mon-Fri) before the last working
 * day of the month.
 */
export function currencyExpiry(from: CalendarDate): CalendarDate {
  const inMonth = (year: number, month: number): CalendarDate => {
    let n = dayNumber(lastDayOfMonth(year, month));
    while (isWeekend(fromDayNumber(n))) n--;
    for (let back = 0; back < 2;) {
      n--;
      if (!isWeekend(fromDayNumber(n))) back++;
    }
    return fromDayNumber(n);
  };
  const here = inMonth(from.year, from.month);
  if (dayNumber(here) >= dayNumber(from)) return here;
  const m = nextMonth(from.year, from.month);
  return inMonth(m.year, m.month);
}

/**
 * An MCX expiry on or after `from` on a fixed day of the month (moved back to a Friday when it falls
 * on a weekend), e.g. the 19th for CRUDEOIL.
 */
export function dayOfMonthExpiry(from: CalendarDate, day: number): CalendarDate {
  const inMonth = (year: number, month: number): CalendarDate => {
    let n = dayNumber({ year, month, day });
    while (isWeekend(fromDayNumber(n))) n--;
    return fromDayNumber(n);
  };
  const here = inMonth(from.year, from.month);
  if (dayNumber(here) >= dayNumber(from)) return here;
  const m = nextMonth(from.year, from.month);
  return inMonth(m.year, m.month);
}

function isWeekend(d: CalendarDate): boolean {
  const w = weekday(d);
  return w === 0 || w === 6;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKLY_MONTH_CODES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'O', 'N', 'D'];

/** Kite's monthly contract code: `25NOV`. */
export function monthlyCode(d: CalendarDate): string {
  return `${String(d.year % 100).padStart(2, '0')}${MONTHS[d.month - 1] ?? ''}`;
}

/** Kite's weekly option code: year, month code (1-9, O, N, D), day: `25N11`. */
export function weeklyCode(d: CalendarDate): string {
  return `${String(d.year % 100).padStart(2, '0')}${WEEKLY_MONTH_CODES[d.month - 1] ?? ''}${String(d.day).padStart(2, '0')}`;
}
