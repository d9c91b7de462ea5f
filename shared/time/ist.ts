/**
 * Indian Standard Time, the time of every Indian exchange: UTC+05:30 all year (India has no daylight
 * saving). Everything here is arithmetic on an epoch-ms instant and the UTC fields of a Date, so the
 * result is the same on a machine set to any time zone. Never format exchange time with the
 * machine's zone (`toLocaleString()`, `getHours()`): the official Kite client does, and is wrong
 * outside India.
 */

/** IST's offset from UTC, ms (+05:30). */
export const IST_OFFSET_MS = (5 * 60 + 30) * 60_000;

/** The calendar and clock fields of an instant, as read on a wall clock in India. */
export interface IstFields {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  /** 1..31 */
  readonly day: number;
  /** 0..23 */
  readonly hour: number;
  /** 0..59 */
  readonly minute: number;
  /** 0..59 */
  readonly second: number;
  /** 0..999 */
  readonly millisecond: number;
}

/**
 * Splits an instant (ms since the Unix epoch, UTC) into IST fields. Allocates one Date.
 * Throws a RangeError for NaN, ±Infinity and instants outside the range a Date can hold.
 */
export function istFields(epochMs: number): IstFields {
  const shifted = new Date(epochMs + IST_OFFSET_MS);
  if (!Number.isFinite(epochMs) || Number.isNaN(shifted.getTime())) {
    throw new RangeError(`not a valid instant: ${String(epochMs)}`);
  }
  // Shifting the instant by the offset and reading the UTC fields gives the IST wall clock.
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    millisecond: shifted.getUTCMilliseconds(),
  };
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad4(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(n)).padStart(4, '0');
}

/**
 * Formats an instant as the IST wall-clock time `HH:MM:SS` (24-hour), e.g. 2026-11-24T03:45:07Z ->
 * `09:15:07`. Milliseconds are truncated, not rounded, so a clock never shows a second early.
 * Throws a RangeError for an invalid instant (see `istFields`).
 */
export function formatIstTime(epochMs: number): string {
  const f = istFields(epochMs);
  return `${pad2(f.hour)}:${pad2(f.minute)}:${pad2(f.second)}`;
}

/**
 * Formats an instant as the IST date and time `YYYY-MM-DD HH:MM:SS`, e.g. 2026-11-24T03:45:07Z ->
 * `2026-11-24 09:15:07`. Throws a RangeError for an invalid instant (see `istFields`).
 */
export function formatIstDateTime(epochMs: number): string {
  const f = istFields(epochMs);
  return `${pad4(f.year)}-${pad2(f.month)}-${pad2(f.day)} ${pad2(f.hour)}:${pad2(f.minute)}:${pad2(f.second)}`;
}

/**
 * Formats an instant as the IST date `YYYY-MM-DD` (the trading day's calendar date in India).
 * Throws a RangeError for an invalid instant (see `istFields`).
 */
export function formatIstDate(epochMs: number): string {
  const f = istFields(epochMs);
  return `${pad4(f.year)}-${pad2(f.month)}-${pad2(f.day)}`;
}
