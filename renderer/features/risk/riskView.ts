import type { RiskLimits, RiskStatus } from '../../../shared/services/risk';
import { formatQuantity, formatRupees } from '../market';

// How the risk panel reads: what is used of each limit, and the limits as a form. Pure: no DOM.

/** Kite's order-rate limits per API key (the engine holds orders to them). */
export const KITE_ORDERS_PER_SECOND = 10;
export const KITE_ORDERS_PER_MINUTE = 400;
export const KITE_ORDERS_PER_DAY = 5000;

/** One usage bar: how much of a limit is used. */
export interface UsageBar {
  readonly id: string;
  readonly label: string;
  /** 0..1 of the limit (1 when over it); 0 when there is no limit. */
  readonly fraction: number;
  /** `used of limit`, or `used · no limit`. */
  readonly text: string;
  /** `off`: no limit. `warn` from 70%, `alarm` from 90%. */
  readonly level: 'ok' | 'warn' | 'alarm' | 'off';
}

function bar(
  id: string,
  label: string,
  used: number,
  limit: number | undefined,
  show: (n: number) => string,
): UsageBar {
  if (limit === undefined || limit <= 0) {
    return { id, label, fraction: 0, text: `${show(used)} · no limit`, level: 'off' };
  }
  const fraction = Math.max(0, Math.min(1, used / limit));
  const level = fraction >= 0.9 ? 'alarm' : fraction >= 0.7 ? 'warn' : 'ok';
  return { id, label, fraction, text: `${show(used)} of ${show(limit)}`, level };
}

/** The usage bars of the risk panel: open orders, the day's loss, and the order rates. */
export function riskUsage(status: RiskStatus, limits: RiskLimits | undefined): UsageBar[] {
  const count = (n: number) => formatQuantity(n);
  const rupees = (p: number) => `₹${formatRupees(p)}`;
  return [
    bar('open-orders', 'Open orders', status.openOrders, limits?.maxOpenOrders, count),
    bar('day-loss', 'Day loss', Math.max(0, -status.dayNetPaise), status.dailyLossLimitPaise, rupees),
    bar('orders-second', 'Orders this second', status.ordersLastSecond, KITE_ORDERS_PER_SECOND, count),
    bar('orders-minute', 'Orders this minute', status.ordersLastMinute, KITE_ORDERS_PER_MINUTE, count),
    bar('orders-today', 'Orders today', status.ordersToday, KITE_ORDERS_PER_DAY, count),
  ];
}

/** The limits the panel edits, how each is written, and whether it may be absent (no limit). */
export const LIMIT_FIELDS = [
  { key: 'maxOrderValuePaise', label: 'Max order value (₹)', unit: 'rupees', optional: false },
  { key: 'maxOrderQuantity', label: 'Max order quantity', unit: 'count', optional: true },
  { key: 'maxPosition', label: 'Max position (units)', unit: 'count', optional: true },
  { key: 'maxOpenOrders', label: 'Max open orders', unit: 'count', optional: false },
  { key: 'dailyLossLimitPaise', label: 'Daily loss limit (₹, 0 off)', unit: 'rupees', optional: false },
  { key: 'fatFingerBasisPoints', label: 'Fat finger (% from LTP)', unit: 'percent', optional: false },
  { key: 'fatFingerMinTicks', label: 'Fat finger floor (ticks)', unit: 'count', optional: false },
  { key: 'duplicateWindowMs', label: 'Duplicate window (ms, 0 off)', unit: 'count', optional: false },
] as const;

export type LimitKey = (typeof LIMIT_FIELDS)[number]['key'];
export type LimitForm = Readonly<Record<LimitKey, string>>;

/** The form's text for each limit: rupees from paise, percent from basis points, '' for no limit. */
export function limitForm(limits: RiskLimits): LimitForm {
  const text = (key: LimitKey, unit: 'rupees' | 'count' | 'percent'): string => {
    const v = limits[key];
    if (v === undefined) return '';
    if (unit === 'rupees')
      return v % 100 === 0 ? String(v / 100) : `${Math.trunc(v / 100)}.${String(v % 100).padStart(2, '0')}`;
    if (unit === 'percent') return v % 100 === 0 ? String(v / 100) : (v / 100).toFixed(2);
    return String(v);
  };
  const out = {} as Record<LimitKey, string>;
  for (const f of LIMIT_FIELDS) out[f.key] = text(f.key, f.unit);
  return out;
}

export type LimitPatch = Partial<Pick<RiskLimits, LimitKey>>;

/** Reads a form back: the limits that changed, or the first field that does not read. */
export function readLimitForm(
  form: LimitForm,
  limits: RiskLimits,
):
  | { readonly ok: true; readonly patch: LimitPatch }
  | { readonly ok: false; readonly key: LimitKey; readonly message: string } {
  const patch: Partial<Record<LimitKey, number>> = {};
  for (const f of LIMIT_FIELDS) {
    const raw = form[f.key].replace(/[,\s₹%]/g, '');
    const current = limits[f.key];
    if (raw === '') {
      if (current === undefined) continue;
      return {
        ok: false,
        key: f.key,
        message: f.optional
          ? `${f.label}: a limit once set cannot be cleared here; enter a large value`
          : `${f.label}: enter a value`,
      };
    }
    let value: number;
    if (f.unit === 'count') {
      if (!/^\d{1,15}$/.test(raw)) return { ok: false, key: f.key, message: `${f.label}: a whole number` };
      value = Number(raw);
    } else {
      const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(raw);
      if (m === null)
        return { ok: false, key: f.key, message: `${f.label}: a number with at most two decimals` };
      value = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
    }
    if (f.key === 'fatFingerBasisPoints' && (value < 1 || value > 10_000)) {
      return { ok: false, key: f.key, message: `${f.label}: between 0.01 and 100` };
    }
    if (f.key === 'fatFingerMinTicks' && value > 1_000) {
      return { ok: false, key: f.key, message: `${f.label}: at most 1000` };
    }
    if (f.key === 'duplicateWindowMs' && value > 60_000) {
      return { ok: false, key: f.key, message: `${f.label}: at most 60000` };
    }
    if (value !== current) patch[f.key] = value;
  }
  return { ok: true, patch };
}
