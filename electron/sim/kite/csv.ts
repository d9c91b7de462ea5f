/**
 * The instrument dump as Kite serves it (kite-protocol.md 4.3): the exact header, one row per
 * instrument, CRLF line ends as in Kite's dump, no trailing newline (the JS client's CSV parser turns a trailing newline into a junk
 * row). Pure.
 */
import type { KiteInstrumentRow } from './venue';

/** The header row, in Kite's column order. */
export const INSTRUMENT_COLUMNS = [
  'instrument_token',
  'exchange_token',
  'tradingsymbol',
  'name',
  'last_price',
  'expiry',
  'strike',
  'tick_size',
  'lot_size',
  'instrument_type',
  'segment',
  'exchange',
] as const satisfies readonly (keyof KiteInstrumentRow)[];

function cell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes rows as Kite's CSV. */
export function instrumentsCsv(rows: readonly KiteInstrumentRow[]): string {
  const lines = [INSTRUMENT_COLUMNS.join(',')];
  for (const row of rows) lines.push(INSTRUMENT_COLUMNS.map((c) => cell(row[c])).join(','));
  return lines.join('\r\n');
}
