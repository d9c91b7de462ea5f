import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseInstrumentsCsv } from './instrumentsCsv';
import { generateInstrumentsCsv } from './instrumentsFixture';
import { InstrumentIndex } from './instrumentsSearch';
import type { SearchHit } from './instrumentsSearch';
import type { Instrument } from './instruments';

const DAY = '2025-12-10';
let index: InstrumentIndex;
let all: readonly Instrument[];

beforeAll(() => {
  all = parseInstrumentsCsv(generateInstrumentsCsv(DAY, 7)).instruments;
  index = InstrumentIndex.build(all, DAY);
});

const key = (h: SearchHit): string => `${h.instrument.exchange}:${h.instrument.tradingSymbol}`;
const classOf = (i: Instrument): number =>
  i.instrumentType === 'EQ' ? 0 : i.instrumentType === 'FUT' ? 1 : 2;

describe('InstrumentIndex on a full-size dump', () => {
  it('is full size: about 100,000 rows over every segment', () => {
    expect(all.length).toBeGreaterThan(95_000);
    expect(new Set(all.map((i) => i.segment))).toEqual(
      new Set([
        'NSE',
        'BSE',
        'INDICES',
        'NFO-FUT',
        'NFO-OPT',
        'BFO-FUT',
        'BFO-OPT',
        'CDS-FUT',
        'CDS-OPT',
        'BCD-FUT',
        'MCX-FUT',
        'MCX-OPT',
      ]),
    );
  });

  it('"infy" and "INFY": the equity first (NSE, then BSE), then its futures by expiry, then options', () => {
    for (const q of ['infy', 'INFY', '  Infy ']) {
      const hits = index.search(q, { limit: 20 });
      expect(hits.slice(0, 5).map(key)).toEqual([
        'NSE:INFY',
        'BSE:INFY',
        'NFO:INFY25DECFUT',
        'NFO:INFY26JANFUT',
        'NFO:INFY26FEBFUT',
      ]);
      expect(hits[0]?.match).toBe('symbol');
      const rest = hits.slice(5).map((h) => h.instrument);
      expect(
        rest.every((i) => i.name === 'INFY' && (i.instrumentType === 'CE' || i.instrumentType === 'PE')),
      ).toBe(true);
      // Nearest expiry first, and near the money (INFY's dump price is 1523.45) before far strikes.
      expect(rest.every((i) => i.expiry === '2025-12-30')).toBe(true);
      expect(rest.slice(0, 4).map((i) => i.strike / 100)).toEqual([1500, 1500, 1550, 1550]);
    }
  });

  it('"infosys" finds INFY by its name', () => {
    expect(index.search('infosys', { limit: 3 }).map(key)).toEqual([
      'NSE:INFY',
      'BSE:INFY',
      'NFO:INFY25DECFUT',
    ]);
    expect(index.search('infos')[0]?.instrument.tradingSymbol).toBe('INFY');
  });

  it('"nifty 25 dec 24000 ce": the exact contract first, then only NIFTY 24000 CE of December 2025', () => {
    const hits = index.search('nifty 25 dec 24000 ce');
    expect(key(hits[0]!)).toBe('NFO:NIFTY25DEC24000CE');
    expect(hits.length).toBeGreaterThan(1);
    for (const h of hits) {
      expect(h.instrument).toMatchObject({ name: 'NIFTY', instrumentType: 'CE', strike: 2_400_000 });
      expect(h.instrument.expiry.startsWith('2025-12')).toBe(true);
    }
    // The same words in another order, or run together, find the same contract.
    expect(key(index.search('NIFTY DEC 24000 CE 25')[0]!)).toBe('NFO:NIFTY25D1624000CE');
    expect(index.search('nifty dec 24000ce').map(key)).toContain('NFO:NIFTY25DEC24000CE');
  });

  it('"banknifty fut": BANKNIFTY futures only, near month first', () => {
    const hits = index.search('banknifty fut');
    expect(hits.map(key)).toEqual([
      'NFO:BANKNIFTY25DECFUT',
      'NFO:BANKNIFTY26JANFUT',
      'NFO:BANKNIFTY26FEBFUT',
    ]);
  });

  it('"nifty": the index, then its futures, then the nearest weekly options; other NIFTY* after', () => {
    const hits = index.search('nifty', { limit: 200 });
    expect(key(hits[0]!)).toBe('NSE:NIFTY 50');
    expect(hits.slice(1, 4).map(key)).toEqual([
      'NFO:NIFTY25DECFUT',
      'NFO:NIFTY26JANFUT',
      'NFO:NIFTY26FEBFUT',
    ]);
    expect(hits[4]?.instrument.expiry).toBe('2025-12-16');
    // Within the family, classes and expiries never go backwards.
    const family = hits.filter(
      (h) => h.instrument.name === 'NIFTY' || h.instrument.tradingSymbol === 'NIFTY 50',
    );
    for (let k = 1; k < family.length; k++) {
      const a = family[k - 1]!.instrument;
      const b = family[k]!.instrument;
      expect(classOf(a) < classOf(b) || (classOf(a) === classOf(b) && a.expiry <= b.expiry)).toBe(true);
    }
  });

  it('finds a word of a name ("tata motors", "nifty bank") and a misspelling ("reliace") fuzzily', () => {
    expect(key(index.search('tata motors')[0]!)).toBe('NSE:TATAMOTORS');
    expect(key(index.search('nifty bank')[0]!)).toBe('NSE:NIFTY BANK');
    const fuzzy = index.search('reliace', { limit: 3 });
    expect(fuzzy.map(key)).toEqual(['NSE:RELIANCE', 'BSE:RELIANCE', 'NFO:RELIANCE25DECFUT']);
    expect(fuzzy[0]?.match).toBe('fuzzy');
    expect(index.search('qqqqzzzz')).toEqual([]);
  });

  it('applies filters: exchange, segment, expiry, strike range, option type, underlying', () => {
    const hits = index.search('sensex', {
      limit: 500,
      filters: {
        exchange: 'BFO',
        optionType: 'PE',
        expiry: '2025-12-11',
        strikeMin: 8_400_000,
        strikeMax: 8_500_000,
      },
    });
    expect(hits).toHaveLength(11);
    for (const h of hits) {
      expect(h.instrument).toMatchObject({ exchange: 'BFO', instrumentType: 'PE', expiry: '2025-12-11' });
      expect(h.instrument.strike).toBeGreaterThanOrEqual(8_400_000);
    }
    const chain = index.search('', {
      limit: 1000,
      filters: { underlying: 'banknifty', segment: 'NFO-OPT', expiry: '2025-12-30' },
    });
    expect(chain).toHaveLength(202);
    expect(chain.every((h) => h.match === 'filter')).toBe(true);
    expect(index.search('', {})).toEqual([]);
    expect(index.search('infy', { filters: { exchange: ['BSE'] } }).map(key)[0]).toBe('BSE:INFY');
  });

  it('a full trading symbol typed exactly is always the first hit (any instrument of the dump)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: all.length - 1 }), fc.boolean(), (k, lower) => {
        const target = all[k]!;
        const q = lower ? target.tradingSymbol.toLowerCase() : target.tradingSymbol;
        const first = index.search(q, { limit: 5 })[0];
        expect(first?.instrument.tradingSymbol.replace(/\s/g, '')).toBe(
          target.tradingSymbol.replace(/\s/g, ''),
        );
        expect(first?.match).toBe('symbol');
      }),
      { numRuns: 300 },
    );
  });

  it('every hit satisfies the filters, whatever the query', () => {
    const exchanges = ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX'];
    fc.assert(
      fc.property(
        fc.constantFrom(
          'n',
          'nifty',
          'infy',
          'usd',
          'crude',
          'gold 26',
          '24000',
          'ce',
          'tata',
          'sensex fut',
          '',
        ),
        fc.option(fc.constantFrom(...exchanges), { nil: undefined }),
        fc.option(fc.constantFrom('CE' as const, 'PE' as const), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
        (q, exchange, optionType, strikeMin) => {
          const filters = {
            ...(exchange === undefined ? {} : { exchange }),
            ...(optionType === undefined ? {} : { optionType }),
            ...(strikeMin === undefined ? {} : { strikeMin }),
          };
          for (const h of index.search(q, { limit: 30, filters })) {
            if (exchange !== undefined) expect(h.instrument.exchange).toBe(exchange);
            if (optionType !== undefined) expect(h.instrument.instrumentType).toBe(optionType);
            if (strikeMin !== undefined) expect(h.instrument.strike).toBeGreaterThanOrEqual(strikeMin);
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('gives derivative metadata and the underlying of a derivative', () => {
    const option = index.bySymbol('NFO', 'NIFTY25DEC24000CE')!;
    expect(option).toMatchObject({
      name: 'NIFTY',
      expiry: '2025-12-30',
      strike: 2_400_000,
      lotSize: 75,
      tickSize: 5,
    });
    expect(index.underlyingOf(option)?.tradingSymbol).toBe('NIFTY 50');
    expect(index.underlyingOf(index.bySymbol('NFO', 'INFY25DECFUT')!)).toMatchObject({
      exchange: 'NSE',
      tradingSymbol: 'INFY',
    });
    expect(index.underlyingOf(index.bySymbol('BFO', 'SENSEX25DECFUT')!)?.tradingSymbol).toBe('SENSEX');
    expect(index.underlyingOf(index.bySymbol('NSE', 'INFY')!)).toBeUndefined();
    expect(index.byToken(option.instrumentToken)).toBe(option);
    expect(index.familyOf(option)).toBe('NIFTY');
  });
});
