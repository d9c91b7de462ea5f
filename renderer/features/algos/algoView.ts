import type {
  AlgoBenchmark,
  AlgoStatus,
  AlgoView,
  BracketLevel,
  Condition,
} from '../../../shared/services/algos';
import type { OrderStateName, OrderView } from '../../../shared/services/orders';
import { formatIstTime } from '../../../shared/time/ist';
import { EM_DASH, formatPriceUnits, formatQuantity } from '../market';
import { isWorking, orderPriceStyle } from '../orders';

// How an algorithm and its child orders read in the algos grid, and what can be done to them. Pure:
// no DOM, no engine.

/** How a status is coloured (algos.css). `expired`: a TWAP's or VWAP's window ended short of its total. */
export type AlgoTone = 'working' | 'done' | 'cancelled' | 'failed' | 'expired' | 'unknown';

export function algoStatusTone(status: AlgoStatus): AlgoTone {
  switch (status) {
    case 'WORKING':
      return 'working';
    case 'COMPLETED':
      return 'done';
    case 'CANCELLED':
      return 'cancelled';
    case 'FAILED':
      return 'failed';
    case 'EXPIRED':
      return 'expired';
  }
}

/** Cancel is offered while the algorithm works. */
export function canCancelAlgo(a: Pick<AlgoView, 'status'>): boolean {
  return a.status === 'WORKING';
}

/**
 * A bracket's target and stop can be moved while it works and once they are known (the entry has
 * filled, or they were given as prices).
 */
export function canEditExit(a: AlgoView, which: 'targetPrice' | 'stopPrice'): boolean {
  return a.kind === 'bracket' && a.status === 'WORKING' && a[which] > 0;
}

/** A level not known yet (ticks from a fill to come): `20 tk`. */
function levelText(level: BracketLevel): string {
  return 'ticks' in level ? `${formatQuantity(level.ticks)} tk` : EM_DASH;
}

/** The texts of an algorithm's row. */
export interface AlgoRowText {
  readonly time: string;
  /** `BRACKET`, `ICEBERG`, `TWAP`, `VWAP`, `IF` (a conditional, as the ticket names it). */
  readonly kind: string;
  /** Filled of the total: `3/10`. */
  readonly quantity: string;
  /**
   * An iceberg's limit, a bracket's entry (`MKT` at market, `SL-M 1490.00` for a stop-market entry),
   * a TWAP's or VWAP's limit (`TOUCH` without one: each slice at the touch).
   */
  readonly price: string;
  /** The price cell's title: the price, or an OCO's legs in words. */
  readonly priceTitle: string;
  readonly average: string;
  /** A bracket's target and stop now (after trailing), an OCO's two legs; '' for the other kinds. */
  readonly target: string;
  readonly stop: string;
  readonly status: string;
  /** A conditional's condition (`LTP ≥ 1560.00`, `≤1480.00 ≥1560.00`, `5m close ≤ 1490.00`, `RSI(14) 5m ↑ 70`, `at 14:30`); '' for the other kinds. */
  readonly condition: string;
  /** Where a conditional waits: `ENGINE` (while the app runs) or `GTT` (at the broker); '' for the other kinds. */
  readonly where: '' | 'ENGINE' | 'GTT';
}

/** A condition in a few words, prices in the instrument's style. */
export function conditionText(c: Condition, style: ReturnType<typeof orderPriceStyle>): string {
  const at = (direction: 'above' | 'below') => (direction === 'above' ? '≥' : '≤');
  switch (c.on) {
    case 'price':
      return `LTP ${at(c.direction)} ${formatPriceUnits(c.price, style)}`;
    case 'range':
      // Short enough for the two exit columns it takes: `≤1480.00 ≥1560.00`.
      return `≤${formatPriceUnits(c.below, style)} ≥${formatPriceUnits(c.above, style)}`;
    case 'barClose':
      return `${c.interval} close ${at(c.direction)} ${formatPriceUnits(c.price, style)}`;
    case 'indicator': {
      const value = c.indicator === 'rsi' ? String(c.value) : formatPriceUnits(c.value, style);
      return `${c.indicator.toUpperCase()}(${c.period}) ${c.interval} ${c.direction === 'above' ? '↑' : '↓'} ${value}`;
    }
    case 'time': {
      let time: string;
      try {
        time = formatIstTime(c.at).slice(0, 5);
      } catch {
        time = EM_DASH;
      }
      return `at ${time} IST`;
    }
  }
}

const KIND_WORDS: Readonly<Record<AlgoView['kind'], string>> = {
  bracket: 'BRACKET',
  iceberg: 'ICEBERG',
  twap: 'TWAP',
  vwap: 'VWAP',
  conditional: 'IF',
};

/** An entry's price as the row shows it: MKT, `SL-M <trigger>`, or its limit. */
function entryText(
  entry: {
    readonly orderType: string;
    readonly price?: number | undefined;
    readonly triggerPrice?: number | undefined;
  },
  style: ReturnType<typeof orderPriceStyle>,
): string {
  if (entry.orderType === 'MARKET') return 'MKT';
  if (entry.orderType === 'SL-M') return `SL-M ${formatPriceUnits(entry.triggerPrice ?? 0, style)}`;
  return formatPriceUnits(entry.price ?? 0, style);
}

/** A TWAP's or VWAP's price without a limit: each slice goes in at the touch. */
export const AT_TOUCH = 'TOUCH';

export function algoRowText(a: AlgoView): AlgoRowText {
  const style = orderPriceStyle(a.priceDivisor);
  let time: string;
  try {
    time = formatIstTime(a.createdAt);
  } catch {
    time = EM_DASH;
  }
  let price: string;
  let target = '';
  let stop = '';
  let condition = '';
  let priceTitle = '';
  let where: AlgoRowText['where'] = '';
  const spec = a.spec;
  if (spec.kind === 'iceberg') {
    price = formatPriceUnits(spec.price, style);
  } else if (spec.kind === 'twap' || spec.kind === 'vwap') {
    price = spec.limitPrice === undefined ? AT_TOUCH : formatPriceUnits(spec.limitPrice, style);
  } else if (spec.kind === 'conditional') {
    // What it places once its condition is met (the order, or the bracket's entry); a range's two
    // ways out in the target and stop columns.
    const t = spec.then;
    if (t.type === 'oco') {
      price = 'OCO';
      const leg = (p: number | undefined) => (p === undefined ? 'MKT' : formatPriceUnits(p, style));
      target = leg(t.abovePrice);
      stop = leg(t.belowPrice);
      priceTitle = `OCO: the stop's order ${stop}, the target's ${target}; one of them, never both`;
    } else if (t.type === 'bracket') {
      price = entryText(t.entry, style);
      target = levelText(t.target);
      stop = levelText(t.stop);
      priceTitle = `Then a bracket: entry ${price}, target ${target}, stop ${stop}`;
    } else price = entryText(t, style);
    condition = conditionText(spec.condition, style);
    where = spec.gtt ? 'GTT' : 'ENGINE';
  } else {
    price = entryText(spec.entry, style);
    target = a.targetPrice > 0 ? formatPriceUnits(a.targetPrice, style) : levelText(spec.target);
    stop = a.stopPrice > 0 ? formatPriceUnits(a.stopPrice, style) : levelText(spec.stop);
  }
  return {
    time,
    kind: KIND_WORDS[a.kind],
    quantity: `${formatQuantity(a.filledQuantity)}/${formatQuantity(a.quantity)}`,
    price,
    priceTitle: priceTitle === '' ? price : priceTitle,
    average: formatPriceUnits(a.averagePrice, style),
    target,
    stop,
    status: a.status,
    condition,
    where,
  };
}

/** Where the fills are against the schedule: ahead of it, behind it, on it. */
export type ScheduleTone = 'ahead' | 'behind' | 'on';
/** How a slippage reads: worse for the trader (the loss colour), better (the profit colour), nil, not known. */
export type SlippageTone = 'worse' | 'better' | 'flat' | 'none';

/** The texts of a TWAP's or VWAP's benchmarks (its line under its row). */
export interface BenchmarkText {
  /** Filled of what the schedule wants done by now: `6/8`. */
  readonly schedule: string;
  /** How far ahead or behind: `2 behind`, `3 ahead`, `on plan`. */
  readonly scheduleDelta: string;
  readonly scheduleTone: ScheduleTone;
  /** The price when the window opened. */
  readonly arrival: string;
  /** The market's VWAP since the window opened; EM_DASH before a trade. */
  readonly intervalVwap: string;
  /** Slippage in basis points, signed, one decimal: `+3.2` (worse), `-1.1` (better); EM_DASH unknown. */
  readonly slipArrival: string;
  readonly slipArrivalTone: SlippageTone;
  readonly slipVwap: string;
  readonly slipVwapTone: SlippageTone;
  /** When the window ends, IST `HH:MM:SS`. */
  readonly endsAt: string;
}

/** Basis points to one decimal, rounded half away from zero, signed: `+3.2`, `-0.4`, `0.0`. */
export function formatBps(bps: number | null): { readonly text: string; readonly tone: SlippageTone } {
  if (bps === null || !Number.isFinite(bps)) return { text: EM_DASH, tone: 'none' };
  const tenths = Math.round(Math.abs(bps) * 10);
  if (tenths === 0) return { text: '0.0', tone: 'flat' };
  const text = `${Math.floor(tenths / 10)}.${tenths % 10}`;
  return bps > 0 ? { text: `+${text}`, tone: 'worse' } : { text: `-${text}`, tone: 'better' };
}

/** A benchmark's price (an average: rarely whole wire units) to the nearest wire unit. */
function benchmarkPrice(units: number | null, style: ReturnType<typeof orderPriceStyle>): string {
  if (units === null || !Number.isFinite(units)) return EM_DASH;
  return formatPriceUnits(Math.round(units), style);
}

/** A TWAP's or VWAP's benchmarks as they read; undefined for a bracket or an iceberg (no benchmark). */
export function benchmarkText(
  a: Pick<AlgoView, 'benchmark' | 'filledQuantity' | 'priceDivisor'>,
): BenchmarkText | undefined {
  const b: AlgoBenchmark | null = a.benchmark;
  if (b === null) return undefined;
  const style = orderPriceStyle(a.priceDivisor);
  const delta = a.filledQuantity - b.scheduledQuantity;
  const arrival = formatBps(b.slippageArrivalBps);
  const vwap = formatBps(b.slippageVwapBps);
  let endsAt: string;
  try {
    endsAt = formatIstTime(b.endAt);
  } catch {
    endsAt = EM_DASH;
  }
  return {
    schedule: `${formatQuantity(a.filledQuantity)}/${formatQuantity(b.scheduledQuantity)}`,
    scheduleDelta:
      delta === 0 ? 'on plan' : `${formatQuantity(Math.abs(delta))} ${delta > 0 ? 'ahead' : 'behind'}`,
    scheduleTone: delta === 0 ? 'on' : delta > 0 ? 'ahead' : 'behind',
    arrival: formatPriceUnits(b.arrivalPrice, style),
    intervalVwap: benchmarkPrice(b.intervalVwap, style),
    slipArrival: arrival.text,
    slipArrivalTone: arrival.tone,
    slipVwap: vwap.text,
    slipVwapTone: vwap.tone,
    endsAt,
  };
}

/** What a child order is to its algorithm. */
export type ChildRole = 'entry' | 'target' | 'stop' | 'exit' | 'leg' | 'slice';

/**
 * A child's part: an iceberg's children are its legs, a TWAP's or VWAP's its slices; a bracket's
 * first child is its entry, and the rest its exits: a limit is the target, a stop order the stop, a
 * market order an exit at market.
 */
export function childRole(
  a: Pick<AlgoView, 'kind'>,
  order: Pick<OrderView, 'orderType'>,
  index: number,
): ChildRole {
  if (a.kind === 'iceberg') return 'leg';
  if (a.kind === 'twap' || a.kind === 'vwap') return 'slice';
  if (index === 0) return 'entry';
  if (order.orderType === 'LIMIT') return 'target';
  if (order.orderType === 'SL' || order.orderType === 'SL-M') return 'stop';
  return 'exit';
}

/** The texts of a child's row: its values in the columns of its algorithm's that they are. */
export interface ChildRowText {
  /** `leg 3`, `slice 2`, `entry`, `target`, `stop`, `exit`. */
  readonly role: string;
  readonly quantity: string;
  readonly price: string;
  readonly average: string;
  readonly target: string;
  readonly stop: string;
  readonly state: string;
  readonly tone: AlgoTone;
}

const STATE_WORDS: Partial<Record<OrderStateName, string>> = {
  PENDING_NEW: 'PENDING',
  TRIGGER_PENDING: 'TRIG PENDING',
  AMO_QUEUED: 'AMO',
  MODIFY_PENDING: 'MODIFYING',
  CANCEL_PENDING: 'CANCELLING',
};

export function childStateTone(state: OrderStateName): AlgoTone {
  if (state === 'COMPLETE') return 'done';
  if (state === 'CANCELLED') return 'cancelled';
  if (state === 'REJECTED') return 'failed';
  if (state === 'UNKNOWN') return 'unknown';
  return isWorking(state) ? 'working' : 'cancelled';
}

export function childRowText(a: Pick<AlgoView, 'kind'>, order: OrderView, index: number): ChildRowText {
  const style = orderPriceStyle(order.priceDivisor);
  const role = childRole(a, order, index);
  const limit =
    order.orderType === 'MARKET' || order.orderType === 'SL-M' ? 'MKT' : formatPriceUnits(order.price, style);
  return {
    role: role === 'leg' || role === 'slice' ? `${role} ${index + 1}` : role,
    quantity: `${formatQuantity(order.filledQuantity)}/${formatQuantity(order.quantity)}`,
    price: role === 'target' || role === 'stop' ? '' : limit,
    average: formatPriceUnits(order.averagePrice, style),
    target: role === 'target' ? limit : '',
    stop: role === 'stop' ? formatPriceUnits(order.triggerPrice, style) : '',
    state: STATE_WORDS[order.state] ?? order.state,
    tone: childStateTone(order.state),
  };
}

/**
 * A child's part before the order stream has brought its view (the streams are conflated apart):
 * a leg's or slice's number, else EM_DASH (a bracket's part depends on the order's type).
 */
export function pendingRoleText(a: Pick<AlgoView, 'kind'>, index: number): string {
  if (a.kind === 'iceberg') return `leg ${index + 1}`;
  if (a.kind === 'twap' || a.kind === 'vwap') return `slice ${index + 1}`;
  return EM_DASH;
}
