// Zerodha's published charge schedule (zerodha.com/charges), dated: the rates in force from 1 October
// 2024, and from 1 April 2026 the STT of Union Budget 2026. Pure tables and one function per executed
// order, which charges a trade by the schedule of its IST trade date. Amounts are integer paise; rates are exact
// fractions, applied with BigInt so no turnover is large enough to lose a paisa to float rounding.
// What is not here: DP charges on delivery sells (Rs 15.34 per scrip per day, a demat charge, not an
// order charge), the NSE IPFT levy, and state-wise stamp duty differences (one all-India rate).

/** How an order is charged: Zerodha's columns. */
export type ChargeSegment =
  | 'equityDelivery'
  | 'equityIntraday'
  | 'futures'
  | 'options'
  | 'currencyFutures'
  | 'currencyOptions'
  | 'commodityFutures'
  | 'commodityOptions';

/** A rate as an exact fraction: `numerator / denominator` of the turnover. */
interface Rate {
  readonly numerator: number;
  readonly denominator: number;
}

const rate = (numerator: number, denominator: number): Rate => ({ numerator, denominator });
const percent = (p: string): Rate => {
  // "0.00297" percent -> 297 / 10^7: written as text so the table reads like Zerodha's page.
  const [whole = '0', fraction = ''] = p.split('.');
  return rate(Number(whole + fraction), 100 * 10 ** fraction.length);
};

/** One column of the schedule. */
export interface ChargeRule {
  /** Brokerage as a rate of the order's turnover, capped at `brokerageCapPaise`; null = flat cap. */
  readonly brokerageRate: Rate | null;
  readonly brokerageCapPaise: number;
  /** STT (equity, F&O) or CTT (commodities). */
  readonly transactionTaxType: 'stt' | 'ctt';
  readonly transactionTaxBuy: Rate;
  readonly transactionTaxSell: Rate;
  /** Exchange transaction charge by exchange (NSE, BSE, MCX ...). */
  readonly exchangeCharge: Readonly<Record<string, Rate>>;
  /** Stamp duty, buy side only. */
  readonly stampDutyBuy: Rate;
}

const NONE = rate(0, 1);

/** SEBI turnover fee: Rs 10 per crore, every segment. */
export const SEBI_RATE = rate(10, 10_000_000);
/** GST on brokerage + exchange transaction charge + SEBI fee. */
export const GST_RATE = rate(18, 100);

/** A schedule: one rule per segment. Options' rates apply to the premium turnover. */
export type ChargeRules = Readonly<Record<ChargeSegment, ChargeRule>>;

/** Zerodha's schedule from 1 October 2024 (zerodha.com/charges as published then). */
const FROM_OCTOBER_2024: ChargeRules = {
  equityDelivery: {
    brokerageRate: NONE,
    brokerageCapPaise: 0,
    transactionTaxType: 'stt',
    transactionTaxBuy: percent('0.1'),
    transactionTaxSell: percent('0.1'),
    exchangeCharge: { NSE: percent('0.00297'), BSE: percent('0.00375') },
    stampDutyBuy: percent('0.015'),
  },
  equityIntraday: {
    brokerageRate: percent('0.03'),
    brokerageCapPaise: 2000,
    transactionTaxType: 'stt',
    transactionTaxBuy: NONE,
    transactionTaxSell: percent('0.025'),
    exchangeCharge: { NSE: percent('0.00297'), BSE: percent('0.00375') },
    stampDutyBuy: percent('0.003'),
  },
  futures: {
    brokerageRate: percent('0.03'),
    brokerageCapPaise: 2000,
    transactionTaxType: 'stt',
    transactionTaxBuy: NONE,
    transactionTaxSell: percent('0.02'),
    exchangeCharge: { NFO: percent('0.00173'), BFO: NONE },
    stampDutyBuy: percent('0.002'),
  },
  options: {
    // Flat Rs 20 per executed order, whatever the premium.
    brokerageRate: null,
    brokerageCapPaise: 2000,
    transactionTaxType: 'stt',
    transactionTaxBuy: NONE,
    transactionTaxSell: percent('0.1'),
    exchangeCharge: { NFO: percent('0.03503'), BFO: percent('0.0325') },
    stampDutyBuy: percent('0.003'),
  },
  currencyFutures: {
    brokerageRate: percent('0.03'),
    brokerageCapPaise: 2000,
    transactionTaxType: 'stt',
    transactionTaxBuy: NONE,
    transactionTaxSell: NONE,
    exchangeCharge: { CDS: percent('0.00035'), BCD: percent('0.00045') },
    stampDutyBuy: percent('0.0001'),
  },
  currencyOptions: {
    brokerageRate: null,
    brokerageCapPaise: 2000,
    transactionTaxType: 'stt',
    transactionTaxBuy: NONE,
    transactionTaxSell: NONE,
    exchangeCharge: { CDS: percent('0.0311'), BCD: percent('0.001') },
    stampDutyBuy: percent('0.0001'),
  },
  commodityFutures: {
    brokerageRate: percent('0.03'),
    brokerageCapPaise: 2000,
    transactionTaxType: 'ctt',
    transactionTaxBuy: NONE,
    // Non-agricultural commodities; agri futures pay no CTT (none are listed here).
    transactionTaxSell: percent('0.01'),
    exchangeCharge: { MCX: percent('0.0021') },
    stampDutyBuy: percent('0.002'),
  },
  commodityOptions: {
    brokerageRate: null,
    brokerageCapPaise: 2000,
    transactionTaxType: 'ctt',
    transactionTaxBuy: NONE,
    transactionTaxSell: percent('0.05'),
    exchangeCharge: { MCX: percent('0.0418') },
    stampDutyBuy: percent('0.003'),
  },
};

/**
 * From 1 April 2026, Union Budget 2026 (Finance Act 2026): STT on futures 0.02% -> 0.05% of the sold
 * turnover, on options 0.1% -> 0.15% of the sold premium. (STT on exercised options, 0.125% -> 0.15%
 * of the settlement value, is charged on exercise, not per order, so it is not in this table.)
 */
const FROM_APRIL_2026: ChargeRules = {
  ...FROM_OCTOBER_2024,
  futures: { ...FROM_OCTOBER_2024.futures, transactionTaxSell: percent('0.05') },
  options: { ...FROM_OCTOBER_2024.options, transactionTaxSell: percent('0.15') },
};

/** A schedule and the first IST trade date it applies to. */
export interface DatedChargeSchedule {
  /** `YYYY-MM-DD`, an IST trade date. */
  readonly from: string;
  /** Where the rates come from. */
  readonly basis: string;
  readonly rules: ChargeRules;
}

/**
 * Every schedule, oldest first. A trade is charged by the last one whose date is not after its IST
 * trade date; a trade before the first (an old backtest) gets the first, the oldest rates known here.
 */
export const CHARGE_SCHEDULES: readonly DatedChargeSchedule[] = [
  { from: '2024-10-01', basis: 'zerodha.com/charges, rates from 1 October 2024', rules: FROM_OCTOBER_2024 },
  {
    from: '2026-04-01',
    basis: 'Union Budget 2026: STT on futures 0.05%, on sold option premium 0.15%, from 1 April 2026',
    rules: FROM_APRIL_2026,
  },
];

/** Each schedule's first instant: midnight IST of its date, epoch ms. */
const STARTS = CHARGE_SCHEDULES.map((s) => Date.parse(`${s.from}T00:00:00+05:30`));

/** The schedule in force at `epochMs` (the trade's time, or now for an estimate). */
export function chargeScheduleAt(epochMs: number): DatedChargeSchedule {
  if (!Number.isFinite(epochMs)) throw new RangeError(`trade time ${epochMs} is not an epoch ms`);
  let k = 0;
  while (k + 1 < STARTS.length && epochMs >= (STARTS[k + 1] ?? Infinity)) k++;
  const schedule = CHARGE_SCHEDULES[k];
  if (schedule === undefined) throw new RangeError('no charge schedule');
  return schedule;
}

/** Which column of the schedule an order falls in. */
export function chargeSegment(exchange: string, instrumentType: string, product: string): ChargeSegment {
  const option = instrumentType === 'CE' || instrumentType === 'PE';
  if (exchange === 'NSE' || exchange === 'BSE') {
    return product === 'CNC' ? 'equityDelivery' : 'equityIntraday';
  }
  if (exchange === 'CDS' || exchange === 'BCD') return option ? 'currencyOptions' : 'currencyFutures';
  if (exchange === 'MCX') return option ? 'commodityOptions' : 'commodityFutures';
  return option ? 'options' : 'futures';
}

/** One executed order's charges, integer paise, in Kite's contract-note breakdown. */
export interface OrderCharges {
  readonly transactionTaxType: 'stt' | 'ctt';
  readonly transactionTax: number;
  readonly exchangeTurnoverCharge: number;
  readonly sebiTurnoverCharge: number;
  readonly brokerage: number;
  readonly stampDuty: number;
  readonly gst: number;
  readonly total: number;
}

/** `turnover x rate`, rounded half up to a whole unit, exactly. */
function applyRate(turnover: number, r: Rate, unit = 1): number {
  if (r.numerator === 0) return 0;
  const n = BigInt(turnover) * BigInt(r.numerator);
  const d = BigInt(r.denominator) * BigInt(unit);
  return Number((n * 2n + d) / (2n * d)) * unit;
}

/**
 * The charges of one executed order with `turnoverPaise` = price x quantity in paise (the premium
 * turnover for options), traded at `tradeTimeMs` (epoch ms: which schedule applies). STT and CTT are rounded to the rupee, as on Zerodha's contract notes and
 * calculator; every other component to the paisa; GST is 18% of brokerage + exchange + SEBI.
 */
export function orderCharges(
  segment: ChargeSegment,
  exchange: string,
  side: 'BUY' | 'SELL',
  turnoverPaise: number,
  tradeTimeMs: number,
): OrderCharges {
  if (!Number.isSafeInteger(turnoverPaise) || turnoverPaise < 0) {
    throw new RangeError(`turnover ${turnoverPaise} is not a whole non-negative number of paise`);
  }
  const rule = chargeScheduleAt(tradeTimeMs).rules[segment];
  const brokerage =
    turnoverPaise === 0
      ? 0
      : rule.brokerageRate === null
        ? rule.brokerageCapPaise
        : Math.min(rule.brokerageCapPaise, applyRate(turnoverPaise, rule.brokerageRate));
  const transactionTax = applyRate(
    turnoverPaise,
    side === 'BUY' ? rule.transactionTaxBuy : rule.transactionTaxSell,
    100,
  );
  const exchangeTurnoverCharge = applyRate(turnoverPaise, rule.exchangeCharge[exchange] ?? NONE);
  const sebiTurnoverCharge = applyRate(turnoverPaise, SEBI_RATE);
  const stampDuty = side === 'BUY' ? applyRate(turnoverPaise, rule.stampDutyBuy) : 0;
  const gst = applyRate(brokerage + exchangeTurnoverCharge + sebiTurnoverCharge, GST_RATE);
  return {
    transactionTaxType: rule.transactionTaxType,
    transactionTax,
    exchangeTurnoverCharge,
    sebiTurnoverCharge,
    brokerage,
    stampDuty,
    gst,
    total: brokerage + transactionTax + exchangeTurnoverCharge + sebiTurnoverCharge + stampDuty + gst,
  };
}

/** Adds charges component by component (a basket, a round trip). */
export function sumCharges(all: readonly OrderCharges[]): OrderCharges {
  let transactionTax = 0;
  let exchangeTurnoverCharge = 0;
  let sebiTurnoverCharge = 0;
  let brokerage = 0;
  let stampDuty = 0;
  let gst = 0;
  for (const c of all) {
    transactionTax += c.transactionTax;
    exchangeTurnoverCharge += c.exchangeTurnoverCharge;
    sebiTurnoverCharge += c.sebiTurnoverCharge;
    brokerage += c.brokerage;
    stampDuty += c.stampDuty;
    gst += c.gst;
  }
  return {
    transactionTaxType: all[0]?.transactionTaxType ?? 'stt',
    transactionTax,
    exchangeTurnoverCharge,
    sebiTurnoverCharge,
    brokerage,
    stampDuty,
    gst,
    total: brokerage + transactionTax + exchangeTurnoverCharge + sebiTurnoverCharge + stampDuty + gst,
  };
}
