import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instrumentsCsv } from '../../sim/instruments/instruments';
import { loadInstruments } from '../../sim/instruments/loadInstruments';
import {
  forEachCsvRecord,
  freezeQuantityLookup,
  INSTRUMENT_CSV_COLUMNS,
  InstrumentsCsvError,
  parseInstrumentsCsv,
} from './instrumentsCsv';
import type { Instrument } from './instruments';

const HEADER = INSTRUMENT_CSV_COLUMNS.join(',');

/** A cell as a CSV writer would put it: quoted when it must be, or when `always`. */
function cell(text: string, always: boolean): string {
  return always || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function rupees(units: number, divisor: number): string {
  const whole = Math.floor(units / divisor);
  const frac = String(units % divisor)
    .padStart(Math.round(Math.log10(divisor)), '0')
    .replace(/0+$/, '');
  return frac === '' ? String(whole) : `${whole}.${frac}`;
}

const segments = [
  { exchange: 'NSE', segment: 'NSE', id: 1, divisor: 100, type: 'EQ' },
  { exchange: 'NFO', segment: 'NFO-OPT', id: 2, divisor: 100, type: 'CE' },
  { exchange: 'NFO', segment: 'NFO-FUT', id: 2, divisor: 100, type: 'FUT' },
  { exchange: 'CDS', segment: 'CDS-OPT', id: 3, divisor: 10_000_000, type: 'PE' },
  { exchange: 'BCD', segment: 'BCD-FUT', id: 6, divisor: 10_000, type: 'FUT' },
  { exchange: 'MCX', segment: 'MCX-OPT', id: 7, divisor: 100, type: 'CE' },
  { exchange: 'NSE', segment: 'INDICES', id: 9, divisor: 100, type: 'EQ' },
] as const;

const instrumentArb: fc.Arbitrary<Instrument> = fc
  .record({
    seg: fc.constantFrom(...segments),
    exchangeToken: fc.integer({ min: 1, max: 0xffffff }),
    tradingSymbol: fc.stringMatching(/^[A-Z0-9&-][A-Z0-9& -]{0,24}[A-Z0-9]$/),
    // Names hold commas, quotes and spaces in real dumps ("BAJAJ AUTO, LTD", "SHREE "CEMENT").
    name: fc.string({
      unit: fc.constantFrom('A', 'B', ' ', ',', '"', '&', '.', '-', '1', '\r\n'),
      maxLength: 20,
    }),
    lastPrice: fc.integer({ min: 0, max: 10_000_000_000 }),
    strike: fc.integer({ min: 0, max: 10_000_000_000 }),
    tickSize: fc.integer({ min: 0, max: 100_000 }),
    lotSize: fc.integer({ min: 0, max: 100_000 }),
    expiry: fc.option(
      fc.date({
        min: new Date('2024-01-01T00:00:00Z'),
        max: new Date('2030-12-31T00:00:00Z'),
        noInvalidDate: true,
      }),
      { nil: undefined },
    ),
  })
  .map(({ seg, exchangeToken, tradingSymbol, name, lastPrice, strike, tickSize, lotSize, expiry }) => ({
    instrumentToken: exchangeToken * 256 + seg.id,
    exchangeToken,
    tradingSymbol,
    name: name.trim(),
    lastPrice: lastPrice as Instrument['lastPrice'],
    expiry: expiry === undefined ? '' : expiry.toISOString().slice(0, 10),
    strike: strike as Instrument['strike'],
    tickSize,
    lotSize,
    instrumentType: seg.type,
    segment: seg.segment,
    exchange: seg.exchange,
    priceDivisor: seg.divisor,
    freezeQuantity: null,
  }));

interface Shape {
  readonly eol: '\r\n' | '\n';
  readonly trailingNewline: boolean;
  readonly bom: boolean;
  readonly quoteAll: boolean;
  /** Write an equity's empty strike as '' instead of 0, as some dumps do. */
  readonly emptyZeroStrike: boolean;
}

function write(rows: readonly Instrument[], s: Shape): string {
  const lines = [HEADER];
  for (const r of rows) {
    lines.push(
      [
        String(r.instrumentToken),
        String(r.exchangeToken),
        r.tradingSymbol,
        r.name,
        rupees(r.lastPrice, r.priceDivisor),
        r.expiry,
        s.emptyZeroStrike && r.strike === 0 ? '' : rupees(r.strike, r.priceDivisor),
        rupees(r.tickSize, r.priceDivisor),
        String(r.lotSize),
        r.instrumentType,
        r.segment,
        r.exchange,
      ]
        .map((c) => cell(c, s.quoteAll))
        .join(','),
    );
  }
  return (s.bom ? '\uFEFF' : '') + lines.join(s.eol) + (s.trailingNewline ? s.eol : '');
}

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  eol: fc.constantFrom('\r\n' as const, '\n' as const),
  trailingNewline: fc.boolean(),
  bom: fc.boolean(),
  quoteAll: fc.boolean(),
  emptyZeroStrike: fc.boolean(),
});

describe('parseInstrumentsCsv', () => {
  it('reads back exactly what was written, in any of the shapes Kite and CSV writers produce', () => {
    fc.assert(
      fc.property(fc.array(instrumentArb, { maxLength: 30 }), shapeArb, (rows, shape) => {
        const parsed = parseInstrumentsCsv(write(rows, shape));
        expect(parsed.skipped).toEqual([]);
        expect(parsed.instruments).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });

  it('parses the local exchange dump (real-shaped, CRLF, no trailing newline) to the same wire units', () => {
    const sim = loadInstruments('2025-12-10');
    const parsed = parseInstrumentsCsv(instrumentsCsv(sim));
    expect(parsed.skipped).toEqual([]);
    expect(parsed.instruments).toHaveLength(sim.length);
    parsed.instruments.forEach((p, k) => {
      const s = sim[k]!;
      expect([
        p.instrumentToken,
        p.tradingSymbol,
        p.lastPrice,
        p.strike,
        p.tickSize,
        p.lotSize,
        p.expiry,
      ]).toEqual([
        s.instrument_token,
        s.tradingsymbol,
        s.last_price,
        s.strike,
        s.tick_size,
        s.lot_size,
        s.expiry,
      ]);
      expect(p.priceDivisor).toBe(s.priceDivisor);
    });
    // USDINR futures are CDS: 88.5 rupees is 885,000,000 at 1e7.
    expect(parsed.instruments.find((i) => i.exchange === 'CDS')?.priceDivisor).toBe(10_000_000);
  });

  it('reads rows exactly as Kite sends them: quoted names, empty expiry and strike, CRLF, a final newline', () => {
    const text =
      `${HEADER}\r\n` +
      '408065,1594,INFY,"INFOSYS",1523.45,,,0.05,1,EQ,NSE,NSE\r\n' +
      '256265,1001,NIFTY 50,NIFTY 50,0,,0,0,0,EQ,INDICES,NSE\r\n' +
      '12011522,46920,NIFTY25DEC24000CE,"NIFTY",112.5,2025-12-30,24000,0.05,75,CE,NFO-OPT,NFO\r\n' +
      '268043011,1047043,USDINR25DEC88.25CE,"USDINR",0.0125,2025-12-26,88.25,0.0025,1,CE,CDS-OPT,CDS\r\n' +
      '7050246,27540,EURINR25DECFUT,"EURINR",95.1234,2025-12-26,0,0.0001,1,FUT,BCD-FUT,BCD\r\n' +
      '1234567,4822,"BAJAJ, ""AUTO""",BAJAJ AUTO,9000,,,0.5,1,EQ,NSE,NSE\r\n';
    const { instruments, skipped } = parseInstrumentsCsv(text);
    expect(skipped).toEqual([]);
    expect(
      instruments.map((i) => [i.tradingSymbol, i.lastPrice, i.strike, i.tickSize, i.priceDivisor]),
    ).toEqual([
      ['INFY', 152345, 0, 5, 100],
      ['NIFTY 50', 0, 0, 0, 100],
      ['NIFTY25DEC24000CE', 11250, 2400000, 5, 100],
      ['USDINR25DEC88.25CE', 125000, 882500000, 25000, 10_000_000],
      ['EURINR25DECFUT', 951234, 0, 1, 10_000],
      ['BAJAJ, "AUTO"', 900000, 0, 50, 100],
    ]);
    expect(instruments[2]).toMatchObject({
      name: 'NIFTY',
      expiry: '2025-12-30',
      lotSize: 75,
      instrumentType: 'CE',
    });
  });

  it('skips and reports rows it cannot represent exactly, keeping the rest', () => {
    const text = [
      HEADER,
      '408065,1594,INFY,INFOSYS,1523.456,,0,0.05,1,EQ,NSE,NSE',
      '408066,1595,TCS,TCS,3000,,0,0.05,1,XX,NSE,NSE',
      '408067,1596,HDFC,HDFC,NaN,,0,0.05,1,EQ,NSE,NSE',
      '12011522,46920,NIFTYX,NIFTY,0,2025-02-30,0,0.05,75,FUT,NFO-FUT,NFO',
      '408068,1597,SBIN,SBIN,800,,0,0.05,1,EQ,NSE',
      '408069,1598,ITC,ITC,400,,0,0.05,1,EQ,NSE,NSE',
    ].join('\n');
    const { instruments, skipped } = parseInstrumentsCsv(text);
    expect(instruments.map((i) => i.tradingSymbol)).toEqual(['ITC']);
    expect(skipped.map((s) => s.line)).toEqual([2, 3, 4, 5, 6]);
    expect(skipped[0]?.reason).toMatch(/last_price/);
    expect(skipped[1]?.reason).toMatch(/instrument_type/);
  });

  it('finds columns by name, refuses a dump without a column, and an unterminated quote', () => {
    const reordered =
      'exchange,segment,instrument_type,lot_size,tick_size,strike,expiry,last_price,name,tradingsymbol,exchange_token,instrument_token\nNSE,NSE,EQ,1,0.05,0,,10,X,X,1,257';
    expect(parseInstrumentsCsv(reordered).instruments[0]).toMatchObject({
      instrumentToken: 257,
      lastPrice: 1000,
    });
    const code = (text: string): string | undefined => {
      try {
        parseInstrumentsCsv(text);
      } catch (e) {
        return e instanceof InstrumentsCsvError ? e.code : String(e);
      }
      return undefined;
    };
    expect(code('')).toBe('BAD_HEADER');
    expect(code('instrument_token,tradingsymbol\n1,X')).toBe('BAD_HEADER');
    expect(code(`${HEADER}\n1,1,"X,Y,0,,0,0.05,1,EQ,NSE,NSE`)).toBe('UNTERMINATED_QUOTE');
  });

  it('applies freeze quantities by underlying, exchange-specific first, and per equity', () => {
    const text = [
      HEADER,
      '12011522,46920,NIFTY25DECFUT,NIFTY,0,2025-12-30,0,0.05,75,FUT,NFO-FUT,NFO',
      '12011778,46921,NIFTY25DEC24000CE,NIFTY,0,2025-12-30,24000,0.05,75,CE,NFO-OPT,NFO',
      '12011525,46921,SENSEX25DECFUT,SENSEX,0,2025-12-30,0,0.05,20,FUT,BFO-FUT,BFO',
      '408065,1594,INFY,INFOSYS,0,,0,0.05,1,EQ,NSE,NSE',
      '2714625,10604,BHARTIARTL,BHARTI AIRTEL,0,,0,0.05,1,EQ,NSE,NSE',
    ].join('\r\n');
    const lookup = freezeQuantityLookup({
      NIFTY: 1800,
      'NFO:NIFTY': 1755,
      SENSEX: 1000,
      'NSE:INFY': 100_000,
    });
    const got = parseInstrumentsCsv(text, lookup).instruments.map((i) => i.freezeQuantity);
    expect(got).toEqual([1755, 1755, 1000, 100_000, null]);
  });
});

describe('forEachCsvRecord', () => {
  it('splits quoted fields with embedded line breaks and reports the line each record starts on', () => {
    const seen: [string[], number][] = [];
    forEachCsvRecord('a,"b\r\nc",d\r\n\r\ne,,"""f"""\r\n', (f, line) => seen.push([f, line]));
    expect(seen).toEqual([
      [['a', 'b\r\nc', 'd'], 1],
      [['e', '', '"f"'], 4],
    ]);
  });

  it('round-trips any table of strings through a quoting writer', () => {
    const field = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'Z'), maxLength: 6 });
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 2, maxLength: 5 }), { maxLength: 10 }),
        fc.constantFrom('\r\n', '\n'),
        (table, eol) => {
          const text = table.map((r) => r.map((c) => cell(c, c === '')).join(',')).join(eol);
          const out: string[][] = [];
          forEachCsvRecord(text, (f) => out.push(f));
          expect(out).toEqual(table);
        },
      ),
      { numRuns: 500 },
    );
  });
});
