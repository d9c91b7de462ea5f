// The session clock: turns the injected time into the exchange's session calls (open, MIS square-off,
// close, TTL expiry). Pure apart from the calls it makes; the host decides how often to tick it.
import { IST_OFFSET_MS } from '../../../shared/time/ist';

/** 09:15 IST, in minutes after midnight: the normal market opens. */
export const MARKET_OPEN_MINUTE = 9 * 60 + 15;
/** 15:20 IST: Zerodha's MIS auto square-off for equity. */
export const SQUARE_OFF_MINUTE = 15 * 60 + 20;
/** 15:30 IST: the normal market closes. */
export const MARKET_CLOSE_MINUTE = 15 * 60 + 30;

/** Minutes after IST midnight of an instant. */
export function istMinuteOfDay(epochMs: number): number {
  return Math.floor(((((epochMs + IST_OFFSET_MS) % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
}

/** The IST calendar day of an instant, as days since 1970-01-01. */
export function istDay(epochMs: number): number {
  return Math.floor((epochMs + IST_OFFSET_MS) / 86_400_000);
}

/** Whether the normal market is open at an instant: 09:15-15:30 IST, Monday to Friday (no holidays). */
export function isMarketOpen(epochMs: number): boolean {
  const weekday = (istDay(epochMs) + 4) % 7; // 1970-01-01 was a Thursday
  if (weekday === 0 || weekday === 6) return false;
  const m = istMinuteOfDay(epochMs);
  return m >= MARKET_OPEN_MINUTE && m < MARKET_CLOSE_MINUTE;
}

/** What the session clock drives: the Exchange's session calls. */
export interface SessionTarget {
  readonly sessionOpen: boolean;
  openSession(): void;
  closeSession(): void;
  squareOffIntraday(): void;
  expireOrders(): void;
}

/**
 * Calls the exchange's session functions as time passes. With `marketHours` the session follows
 * 09:15-15:30 IST on weekdays with the MIS square-off at 15:20; without it the session is always open
 * and nothing is squared off (a market to play with at any hour).
 */
export class SessionClock {
  private lastSquareOffDay = -1;

  /** `marketHours`: follow the exchange's hours (true) or stay open (false). */
  constructor(
    private readonly target: SessionTarget,
    private readonly marketHours: boolean,
  ) {}

  /** Brings the session up to `epochMs`. Call it often (e.g. every second of simulated time). */
  tick(epochMs: number): void {
    if (!this.marketHours) {
      if (!this.target.sessionOpen) this.target.openSession();
      this.target.expireOrders();
      return;
    }
    const open = isMarketOpen(epochMs);
    if (open && !this.target.sessionOpen) this.target.openSession();
    this.target.expireOrders();
    const day = istDay(epochMs);
    if (open && istMinuteOfDay(epochMs) >= SQUARE_OFF_MINUTE && this.lastSquareOffDay !== day) {
      this.lastSquareOffDay = day;
      this.target.squareOffIntraday();
    }
    if (!open && this.target.sessionOpen) this.target.closeSession();
  }
}
