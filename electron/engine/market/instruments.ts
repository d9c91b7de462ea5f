// The instrument as the engine sees it: Kite's instruments dump (kite-protocol.md 4.3) with every
// price in integer wire units and the derivative metadata a ticket and the OMS need (underlying,
// expiry, strike, lot size, tick size, freeze quantity). Pure.
import { priceDivisor, SEGMENT } from '../../../shared/domain/money';
import type { Price, SegmentId } from '../../../shared/domain/money';

/** Kite's `instrument_type` column: equities and indices are EQ. */
export type InstrumentType = 'EQ' | 'FUT' | 'CE' | 'PE';

/** One row of the dump, in the engine's words. */
export interface Instrument {
  /** Kite's key for ticks and history: `(exchangeToken << 8) | segment`. */
  readonly instrumentToken: number;
  readonly exchangeToken: number;
  /** `INFY`, `NIFTY25DEC24000CE`, `NIFTY 50`. */
  readonly tradingSymbol: string;
  /** Company name for equities (`INFOSYS`); the underlying for derivatives (`NIFTY`, `INFY`). */
  readonly name: string;
  /** The dump's last price (often 0), wire units. */
  readonly lastPrice: Price;
  /** `YYYY-MM-DD`, or '' for equities and indices. */
  readonly expiry: string;
  /** Wire units; 0 unless an option. */
  readonly strike: Price;
  /** Wire units (5 for 0.05 at a divisor of 100); 0 for indices. */
  readonly tickSize: number;
  /** Units per lot: 1 for equities, 0 for indices. */
  readonly lotSize: number;
  readonly instrumentType: InstrumentType;
  /** `NSE`, `BSE`, `NFO-FUT`, `NFO-OPT`, `CDS-FUT`, `BCD-OPT`, `MCX-FUT`, `INDICES`, ... */
  readonly segment: string;
  /** `NSE`, `BSE`, `NFO`, `BFO`, `CDS`, `BCD`, `MCX`, ... */
  readonly exchange: string;
  /** Wire units per rupee: 1e7 for CDS, 1e4 for BCD, else 100 (shared/domain/money.ts). */
  readonly priceDivisor: number;
  /**
   * The largest quantity one order may carry, where known. Kite's dump has no such column: it comes
   * from the exchange's freeze-quantity list, given when the dump is loaded. null when unknown.
   */
  readonly freezeQuantity: number | null;
}

/** True for futures and options. */
export function isDerivative(i: Pick<Instrument, 'instrumentType'>): boolean {
  return i.instrumentType !== 'EQ';
}

/** True for index rows (segment INDICES): they stream prices but cannot be traded. */
export function isIndex(i: Pick<Instrument, 'segment'>): boolean {
  return i.segment === 'INDICES';
}

/** The underlying's name of a derivative (`NIFTY`, `INFY`); '' for equities and indices. */
export function underlyingName(i: Pick<Instrument, 'instrumentType' | 'name'>): string {
  return isDerivative(i) ? i.name : '';
}

const EXCHANGE_SEGMENT: Readonly<Record<string, SegmentId>> = {
  NSE: SEGMENT.NSE,
  NFO: SEGMENT.NFO,
  CDS: SEGMENT.CDS,
  BSE: SEGMENT.BSE,
  BFO: SEGMENT.BFO,
  BCD: SEGMENT.BCD,
  MCX: SEGMENT.MCX,
};

const KNOWN_SEGMENT_IDS: ReadonlySet<number> = new Set(Object.values(SEGMENT));

/**
 * The divisor of a row: from the token's segment byte (what the tick decoder will use for the same
 * instrument), else from the exchange column for a segment byte money.ts does not know.
 */
export function divisorOf(instrumentToken: number, exchange: string): number {
  const byte = instrumentToken & 0xff;
  if (KNOWN_SEGMENT_IDS.has(byte)) return priceDivisor(byte as SegmentId);
  const segment = EXCHANGE_SEGMENT[exchange];
  return segment === undefined ? 100 : priceDivisor(segment);
}

/**
 * Index derivatives' underlying index rows (the dump does not link them): `NIFTY` options follow
 * `NIFTY 50`. Equity derivatives follow the equity with the same symbol on NSE (NFO) or BSE (BFO).
 */
export const INDEX_OF_UNDERLYING: Readonly<Record<string, string>> = {
  NIFTY: 'NIFTY 50',
  BANKNIFTY: 'NIFTY BANK',
  FINNIFTY: 'NIFTY FIN SERVICE',
  MIDCPNIFTY: 'NIFTY MID SELECT',
  NIFTYNXT50: 'NIFTY NEXT 50',
  SENSEX: 'SENSEX',
  BANKEX: 'BANKEX',
  SENSEX50: 'SNSX50',
};
