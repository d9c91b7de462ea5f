// Kite's instruments dump (kite-protocol.md 4.3) parsed into integer-priced Instruments. Pure: text
// in, rows out. Takes the dump as Kite sends it: RFC 4180 quoting (names may hold commas and
// quotes), CRLF or LF line ends, a trailing newline or none, an optional UTF-8 BOM, empty expiry and
// strike cells. A row that cannot be represented exactly (a price with more decimals than its
// segment has, an unknown instrument type, a bad date) is skipped and reported, never rounded: one
// odd row must not cost the trader the other 99,999.
import { toPrice } from '../../../shared/domain/money';
import type { Price } from '../../../shared/domain/money';
import { divisorOf } from './instruments';
import type { Instrument, InstrumentType } from './instruments';

/** The dump's columns, in Kite's order. */
export const INSTRUMENT_CSV_COLUMNS = [
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
] as const;

type Column = (typeof INSTRUMENT_CSV_COLUMNS)[number];

/** A dump that cannot be read at all (no header, a missing column, an unterminated quote). */
export class InstrumentsCsvError extends Error {
  readonly code: 'BAD_HEADER' | 'UNTERMINATED_QUOTE';

  constructor(code: 'BAD_HEADER' | 'UNTERMINATED_QUOTE', message: string) {
    super(message);
    this.name = 'InstrumentsCsvError';
    this.code = code;
  }
}

/** A row that was skipped, and why. `line` is 1-based in the text (the header is line 1). */
export interface SkippedRow {
  readonly line: number;
  readonly reason: string;
}

/** What `parseInstrumentsCsv` returns. */
export interface ParsedInstruments {
  readonly instruments: Instrument[];
  readonly skipped: SkippedRow[];
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/**
 * Splits CSV text into records of fields (RFC 4180), calling `onRecord(fields, line)` for each
 * non-blank record; `line` is the 1-based line the record starts on. A blank line is skipped (so a
 * trailing newline yields no junk row). Throws UNTERMINATED_QUOTE for a quote left open at the end.
 * Allocates the field strings and one array per record.
 */
export function forEachCsvRecord(text: string, onRecord: (fields: string[], line: number) => void): void {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let endOfRecord = false;
    while (!endOfRecord) {
      let value: string;
      if (i < n && text.charCodeAt(i) === QUOTE) {
        // Quoted field: "" is a quote; commas and line breaks inside are data.
        let out = '';
        let from = ++i;
        for (;;) {
          if (i >= n)
            throw new InstrumentsCsvError('UNTERMINATED_QUOTE', `line ${startLine}: quote never closed`);
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            if (text.charCodeAt(i + 1) === QUOTE) {
              out += text.slice(from, i + 1);
              i += 2;
              from = i;
              continue;
            }
            out += text.slice(from, i);
            i++;
            break;
          }
          if (c === LF) line++;
          i++;
        }
        // Anything between the closing quote and the delimiter is kept, as lenient readers do.
        const rest = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === COMMA || c === LF || c === CR) break;
          i++;
        }
        value = out + text.slice(rest, i);
      } else {
        const from = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === COMMA || c === LF || c === CR) break;
          i++;
        }
        value = text.slice(from, i);
      }
      fields.push(value);
      if (i >= n) {
        endOfRecord = true;
      } else {
        const c = text.charCodeAt(i);
        if (c === COMMA) {
          i++;
        } else {
          // CRLF, LF or a lone CR ends the record.
          i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
          line++;
          endOfRecord = true;
        }
      }
    }
    const blank = fields.length === 1 && fields[0] === '';
    if (!blank) onRecord(fields, startLine);
  }
}

const INSTRUMENT_TYPES: ReadonlySet<string> = new Set<InstrumentType>(['EQ', 'FUT', 'CE', 'PE']);
const INTEGER = /^\d+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(text: string): boolean {
  const m = DATE.exec(text);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

class RowError extends Error {}

function integer(text: string, column: string): number {
  const t = text.trim();
  if (!INTEGER.test(t)) throw new RowError(`${column} "${text}" is not a whole number`);
  const v = Number(t);
  if (!Number.isSafeInteger(v)) throw new RowError(`${column} ${text} is out of range`);
  return v;
}

function price(text: string, divisor: number, column: string): Price {
  const t = text.trim();
  if (t === '') return 0 as Price;
  try {
    return toPrice(t, divisor);
  } catch (e) {
    throw new RowError(`${column}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Parses the dump. `freezeQuantity` is looked up per row (see `freezeQuantityLookup`); it defaults to
 * unknown (null) for every row. Throws InstrumentsCsvError when the text has no usable header.
 */
export function parseInstrumentsCsv(
  text: string,
  freezeQuantity: (row: Omit<Instrument, 'freezeQuantity'>) => number | null = () => null,
): ParsedInstruments {
  const instruments: Instrument[] = [];
  const skipped: SkippedRow[] = [];
  let at: Record<Column, number> | undefined;
  forEachCsvRecord(text, (fields, line) => {
    if (at === undefined) {
      const names = fields.map((f) => f.trim().toLowerCase());
      const positions: Partial<Record<Column, number>> = {};
      for (const c of INSTRUMENT_CSV_COLUMNS) {
        const p = names.indexOf(c);
        if (p < 0) throw new InstrumentsCsvError('BAD_HEADER', `the header has no "${c}" column`);
        positions[c] = p;
      }
      at = positions as Record<Column, number>;
      return;
    }
    const cols = at;
    const get = (c: Column): string => fields[cols[c]] ?? '';
    try {
      if (fields.length < INSTRUMENT_CSV_COLUMNS.length) {
        throw new RowError(`${fields.length} cells; expected ${INSTRUMENT_CSV_COLUMNS.length}`);
      }
      const instrumentToken = integer(get('instrument_token'), 'instrument_token');
      const exchange = get('exchange').trim();
      const divisor = divisorOf(instrumentToken, exchange);
      const type = get('instrument_type').trim();
      if (!INSTRUMENT_TYPES.has(type))
        throw new RowError(`instrument_type "${type}" is not EQ, FUT, CE or PE`);
      const expiry = get('expiry').trim();
      if (expiry !== '' && !validDate(expiry)) throw new RowError(`expiry "${expiry}" is not YYYY-MM-DD`);
      const tradingSymbol = get('tradingsymbol').trim();
      if (tradingSymbol === '') throw new RowError('tradingsymbol is empty');
      const tickSize = price(get('tick_size'), divisor, 'tick_size');
      if (tickSize < 0) throw new RowError('tick_size is negative');
      const row: Omit<Instrument, 'freezeQuantity'> = {
        instrumentToken,
        exchangeToken: integer(get('exchange_token'), 'exchange_token'),
        tradingSymbol,
        name: get('name').trim(),
        lastPrice: price(get('last_price'), divisor, 'last_price'),
        expiry,
        strike: price(get('strike'), divisor, 'strike'),
        tickSize,
        lotSize: Number(price(get('lot_size'), 1, 'lot_size')),
        instrumentType: type as InstrumentType,
        segment: get('segment').trim(),
        exchange,
        priceDivisor: divisor,
      };
      instruments.push({ ...row, freezeQuantity: freezeQuantity(row) });
    } catch (e) {
      if (!(e instanceof RowError)) throw e;
      skipped.push({ line, reason: e.message });
    }
  });
  if (at === undefined) throw new InstrumentsCsvError('BAD_HEADER', 'the dump is empty');
  return { instruments, skipped };
}

/**
 * Freeze quantities by underlying, as the exchanges publish them (NSE's qtyfreeze list is keyed by
 * symbol): `NIFTY` applies to every NIFTY future and option; `NFO:NIFTY` to NFO's only, and wins
 * over the bare name; `NSE:INFY` gives one equity's cap. Returns a lookup for `parseInstrumentsCsv`.
 */
export function freezeQuantityLookup(
  quantities: ReadonlyMap<string, number> | Readonly<Record<string, number>>,
): (row: Pick<Instrument, 'exchange' | 'tradingSymbol' | 'name' | 'instrumentType'>) => number | null {
  const map: ReadonlyMap<string, number> =
    quantities instanceof Map ? quantities : new Map(Object.entries(quantities));
  return (row) => {
    if (row.instrumentType === 'EQ') return map.get(`${row.exchange}:${row.tradingSymbol}`) ?? null;
    return map.get(`${row.exchange}:${row.name}`) ?? map.get(row.name) ?? null;
  };
}
