import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngineDatabase } from '../store';
import type { EngineDatabase } from '../store';
import { INSTRUMENT_CSV_COLUMNS, parseInstrumentsCsv } from './instrumentsCsv';
import { InstrumentStore, InstrumentStoreError } from './instrumentsStore';

const HEADER = INSTRUMENT_CSV_COLUMNS.join(',');
const DAY_ONE = [
  HEADER,
  '408065,1594,INFY,"INFOSYS",1523.45,,,0.05,1,EQ,NSE,NSE',
  '256265,1001,NIFTY 50,NIFTY 50,26000.5,,0,0,0,EQ,INDICES,NSE',
  '12011522,46920,NIFTY25DEC24000CE,"NIFTY",112.5,2025-12-30,24000,0.05,75,CE,NFO-OPT,NFO',
  '268043011,1047043,USDINR25DEC88.25CE,"USDINR",0.0125,2025-12-26,88.25,0.0025,1,CE,CDS-OPT,CDS',
  '408066,1595,BAD,BAD,1.234,,0,0.05,1,EQ,NSE,NSE',
].join('\r\n');
const DAY_TWO = [
  HEADER,
  '408065,1594,INFY,"INFOSYS",1530,,,0.05,1,EQ,NSE,NSE',
  '738561,2885,RELIANCE,RELIANCE INDUSTRIES,1500,,,0.1,1,EQ,NSE,NSE',
].join('\r\n');

let dir: string;
let file: string;
let db: EngineDatabase;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'shrivenq-instruments-'));
  file = path.join(dir, 'engine.db');
  db = openEngineDatabase({ file });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('InstrumentStore', () => {
  it('finds nothing before the first load', () => {
    const store = InstrumentStore.open(db);
    expect(store.loaded).toBeNull();
    expect(store.search('infy')).toEqual([]);
    expect(store.byToken(408065)).toBeUndefined();
  });

  it('stores a dump with integer prices, its date and freeze quantities, and reads it back after a reopen', () => {
    const store = InstrumentStore.open(db, { now: () => 1_765_340_000_000 });
    const result = store.loadCsv('2025-12-10', DAY_ONE, { freezeQuantities: { NIFTY: 1800 } });
    expect(result).toMatchObject({ tradingDate: '2025-12-10', loadedAt: 1_765_340_000_000, rowCount: 4 });
    expect(result.skipped.map((s) => s.line)).toEqual([6]);
    // SQLite holds integers, not REALs: the wire units exactly.
    const types = db.sql
      .prepare(
        'SELECT DISTINCT typeof(last_price) || typeof(strike) || typeof(tick_size) AS t FROM instruments',
      )
      .pluck()
      .all();
    expect(types).toEqual(['integerintegerinteger']);
    db.close();

    db = openEngineDatabase({ file });
    const reopened = InstrumentStore.open(db);
    expect(reopened.loaded).toEqual({ tradingDate: '2025-12-10', loadedAt: 1_765_340_000_000, rowCount: 4 });
    expect(reopened.bySymbol('NFO', 'NIFTY25DEC24000CE')).toEqual({
      instrumentToken: 12011522,
      exchangeToken: 46920,
      tradingSymbol: 'NIFTY25DEC24000CE',
      name: 'NIFTY',
      lastPrice: 11250,
      expiry: '2025-12-30',
      strike: 2_400_000,
      tickSize: 5,
      lotSize: 75,
      instrumentType: 'CE',
      segment: 'NFO-OPT',
      exchange: 'NFO',
      priceDivisor: 100,
      freezeQuantity: 1800,
    });
    expect(reopened.byToken(268043011)).toMatchObject({
      strike: 882_500_000,
      tickSize: 25_000,
      priceDivisor: 10_000_000,
    });
    expect(reopened.byToken(408065)?.freezeQuantity).toBeNull();
    expect(reopened.search('infosys')[0]?.instrument.tradingSymbol).toBe('INFY');
  });

  it("replaces the day as a whole: no row of yesterday's dump survives today's", () => {
    const store = InstrumentStore.open(db);
    store.loadCsv('2025-12-10', DAY_ONE);
    store.loadCsv('2025-12-11', DAY_TWO);
    expect(
      db.sql.prepare('SELECT tradingsymbol FROM instruments ORDER BY tradingsymbol').pluck().all(),
    ).toEqual(['INFY', 'RELIANCE']);
    expect(store.loaded?.tradingDate).toBe('2025-12-11');
    expect(store.byToken(408065)?.lastPrice).toBe(153_000);
    expect(store.search('nifty')).toEqual([]);
  });

  it('a load that fails half-way (a duplicate token) changes nothing, in the file or in memory', () => {
    const store = InstrumentStore.open(db);
    store.loadCsv('2025-12-10', DAY_ONE);
    const good = parseInstrumentsCsv(DAY_TWO).instruments;
    // The duplicate is last, so SQLite has already written the others when the constraint fails.
    const duplicate = [...good, { ...good[0]!, tradingSymbol: 'INFY-BE' }];
    let code: string | undefined;
    try {
      store.replaceDay('2025-12-11', duplicate);
    } catch (e) {
      code = e instanceof InstrumentStoreError ? e.code : String(e);
    }
    expect(code).toBe('LOAD_FAILED');
    expect(store.loaded?.tradingDate).toBe('2025-12-10');
    expect(store.bySymbol('NSE', 'RELIANCE')).toBeUndefined();
    expect(db.sql.prepare('SELECT count(*) FROM instruments').pluck().get()).toBe(4);
    expect(db.sql.prepare('SELECT trading_date FROM instruments_load').pluck().get()).toBe('2025-12-10');
    expect(() => store.replaceDay('10-12-2025', good)).toThrow(InstrumentStoreError);
  });
});
