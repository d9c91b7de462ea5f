// Which companies make up each simulated index. NIFTY 50 is every company in nseEquities.json (all
// fifty), equally weighted; NIFTY BANK is the banks among them, equally weighted. NSE weights by
// free-float market cap; equal weights keep the file small and the index's moves easy to check
// (its log move is the mean of its constituents' log moves). Change the lists here.

/** Index tradingsymbol -> constituent NSE symbols; an index not listed uses every company. */
export const INDEX_CONSTITUENTS: Readonly<Record<string, readonly string[]>> = {
  'NIFTY BANK': ['HDFCBANK', 'ICICIBANK', 'SBIN', 'KOTAKBANK', 'AXISBANK', 'INDUSINDBK'],
};

/** Derivative `name` -> the tradingsymbol of its underlying, where they differ (index derivatives). */
export const DERIVATIVE_UNDERLYINGS: Readonly<Record<string, string>> = {
  NIFTY: 'NIFTY 50',
  BANKNIFTY: 'NIFTY BANK',
};
