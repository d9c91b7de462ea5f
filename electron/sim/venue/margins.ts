// Margins without SPAN: flat percentages of the notional per kind of contract, so that the account
// screens and the margin calculator give plausible, repeatable numbers. All amounts integer paise.
// The rates (an approximation, stated because they are ours, not the exchange's):
//   equity delivery (CNC)   100% of the value                      -> `delivery` / order `var`
//   equity intraday (MIS)   20% of the value (Zerodha's 5x)        -> `exposure` / order `var`
//   index futures (NFO)     SPAN 9% + exposure 2% of the notional
//   options bought          the premium                             -> `option_premium`
//   options sold            SPAN 9% + exposure 2% of strike x quantity
//   currency futures (CDS)  SPAN 2% + exposure 1%
//   commodity futures (MCX) SPAN 10% + exposure 3%

/** One contract's blocked margin, paise, in Kite's components. */
export interface MarginParts {
  readonly span: number;
  readonly exposure: number;
  readonly optionPremium: number;
  /** Equity: the cash an order blocks (Kite's `var` on order margins). */
  readonly var: number;
  /** CNC buys: the full value. */
  readonly delivery: number;
  readonly leverage: number;
  readonly total: number;
}

/** What a margin needs to know of an order or a position. Values in paise. */
export interface MarginInput {
  readonly exchange: string;
  readonly instrumentType: string;
  readonly product: string;
  readonly side: 'BUY' | 'SELL';
  /** price x quantity, paise. */
  readonly valuePaise: number;
  /** strike x quantity for options, paise (0 otherwise). */
  readonly strikeValuePaise: number;
}

const pct = (paise: number, percent: number): number => Math.round((paise * percent) / 100);

const FUTURES_RATES: Readonly<Record<string, { span: number; exposure: number }>> = {
  NFO: { span: 9, exposure: 2 },
  BFO: { span: 9, exposure: 2 },
  CDS: { span: 2, exposure: 1 },
  BCD: { span: 2, exposure: 1 },
  MCX: { span: 10, exposure: 3 },
};

/** The margin one order (or open position) blocks. */
export function marginFor(m: MarginInput): MarginParts {
  const none = { span: 0, exposure: 0, optionPremium: 0, var: 0, delivery: 0 };
  if (m.exchange === 'NSE' || m.exchange === 'BSE') {
    if (m.product === 'CNC') {
      // A delivery sell is paid for by the holding, not by cash.
      const value = m.side === 'BUY' ? m.valuePaise : 0;
      return { ...none, var: value, delivery: value, leverage: 1, total: value };
    }
    const intraday = pct(m.valuePaise, 20);
    return { ...none, var: intraday, exposure: intraday, leverage: 5, total: intraday };
  }
  const option = m.instrumentType === 'CE' || m.instrumentType === 'PE';
  if (option && m.side === 'BUY') {
    return { ...none, optionPremium: m.valuePaise, leverage: 1, total: m.valuePaise };
  }
  const rates = FUTURES_RATES[m.exchange] ?? { span: 9, exposure: 2 };
  const notional = option ? m.strikeValuePaise : m.valuePaise;
  const span = pct(notional, rates.span);
  const exposure = pct(notional, rates.exposure);
  return { ...none, span, exposure, leverage: 1, total: span + exposure };
}

/** Kite's segment of an exchange in `GET /user/margins`: commodities apart, the rest is equity. */
export function marginSegment(exchange: string): 'equity' | 'commodity' {
  return exchange === 'MCX' ? 'commodity' : 'equity';
}
