// Where the market's day lies on the clock, and how busy and how volatile it is through the day.
import { IST_OFFSET_MS } from '../../../shared/time/ist';

const DAY_MS = 86_400_000;

/**
 * The part of each IST day the market trades. `marketHours`: 09:15-15:30 IST, Monday to Friday
 * (holidays are not modelled, as in the exchange). Always-open: the whole IST day, every day.
 */
export interface SessionWindow {
  readonly marketHours: boolean;
  /** Minutes after IST midnight. */
  readonly openMinute: number;
  readonly closeMinute: number;
}

/** NSE's normal market, 09:15-15:30 IST on weekdays. */
export const MARKET_HOURS: SessionWindow = { marketHours: true, openMinute: 555, closeMinute: 930 };
/** A market that never closes (the simulator's `--always-open`). */
export const ALWAYS_OPEN: SessionWindow = { marketHours: false, openMinute: 0, closeMinute: 1440 };

/** The IST calendar day of an instant, as days since 1970-01-01. */
export function istDayOf(epochMs: number): number {
  return Math.floor((epochMs + IST_OFFSET_MS) / DAY_MS);
}

/** The day number (days since 1970-01-01) of an IST calendar date `YYYY-MM-DD`; throws a RangeError otherwise. */
export function dayOfDate(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ms = m === null ? Number.NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (m === null || new Date(ms).getUTCDate() !== Number(m[3])) throw new RangeError(`not a date: ${text}`);
  return ms / DAY_MS;
}

/** Epoch ms of IST midnight starting `day`. */
export function istMidnight(day: number): number {
  return day * DAY_MS - IST_OFFSET_MS;
}

/** Whether the market trades at all on `day`. */
export function isTradingDay(w: SessionWindow, day: number): boolean {
  if (!w.marketHours) return true;
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday
  return weekday !== 0 && weekday !== 6;
}

/** The trading day before `day`. */
export function previousTradingDay(w: SessionWindow, day: number): number {
  let d = day - 1;
  while (!isTradingDay(w, d)) d--;
  return d;
}

/** The trading day after `day`. */
export function nextTradingDay(w: SessionWindow, day: number): number {
  let d = day + 1;
  while (!isTradingDay(w, d)) d++;
  return d;
}

/** Epoch ms of the session's open on `day`. */
export function sessionOpenMs(w: SessionWindow, day: number): number {
  return istMidnight(day) + w.openMinute * 60_000;
}

/** Length of one session, ms. */
export function sessionLengthMs(w: SessionWindow): number {
  return (w.closeMinute - w.openMinute) * 60_000;
}

/** Whether the market is trading at an instant. */
export function inSession(w: SessionWindow, epochMs: number): boolean {
  const day = istDayOf(epochMs);
  if (!isTradingDay(w, day)) return false;
  const open = sessionOpenMs(w, day);
  return epochMs >= open && epochMs < open + sessionLengthMs(w);
}

/** The next instant at or after `epochMs` when the market trades. */
export function nextSessionInstant(w: SessionWindow, epochMs: number): number {
  if (inSession(w, epochMs)) return epochMs;
  let day = istDayOf(epochMs);
  if (!isTradingDay(w, day) || epochMs >= sessionOpenMs(w, day)) day = nextTradingDay(w, day);
  return sessionOpenMs(w, day);
}

/** How far through its session an instant is, 0 at the open to 1 at the close (clamped). */
export function sessionFraction(w: SessionWindow, epochMs: number): number {
  const open = sessionOpenMs(w, istDayOf(epochMs));
  return Math.min(1, Math.max(0, (epochMs - open) / sessionLengthMs(w)));
}

// The intraday shapes: 1 + a e^(-u/tau) + b e^(-(1-u)/tau), normalised to a mean of 1 over the day.
// With tau = 0.06 (about 22 minutes of NSE's 375) the open and the close stand out and the middle
// is flat, the shape intraday volume and volatility studies of NSE stocks find. Always-open has no
// open or close to crowd around, so its shapes are flat.
const TAU = 0.06;

function shapeMean(a: number, b: number): number {
  const edge = TAU * (1 - Math.exp(-1 / TAU));
  return 1 + a * edge + b * edge;
}

function shape(u: number, a: number, b: number): number {
  return (1 + a * Math.exp(-u / TAU) + b * Math.exp(-(1 - u) / TAU)) / shapeMean(a, b);
}

/** Relative activity (order arrivals, volume) at session fraction `u`: U-shaped, mean 1. */
export function activityShape(w: SessionWindow, u: number): number {
  return w.marketHours ? shape(u, 4.0, 3.0) : 1;
}

/** The largest value of `activityShape`, for thinning. */
export function activityPeak(w: SessionWindow): number {
  return w.marketHours ? shape(0, 4.0, 3.0) : 1;
}

/** Relative variance per unit time at session fraction `u`: higher at the open and close, mean 1. */
export function varianceShape(w: SessionWindow, u: number): number {
  return w.marketHours ? shape(u, 3.0, 1.5) : 1;
}
