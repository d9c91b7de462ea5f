// The day's instruments in the engine's SQLite database, and the search index built over them. A new
// dump replaces the stored one in one transaction: the database holds yesterday's rows or today's,
// never a mixture, and a failed load leaves the previous day (and its index) in place.
import type { EngineDatabase } from '../store';
import { freezeQuantityLookup, parseInstrumentsCsv } from './instrumentsCsv';
import type { SkippedRow } from './instrumentsCsv';
import { InstrumentIndex } from './instrumentsSearch';
import type { SearchHit, SearchOptions } from './instrumentsSearch';
import type { Instrument, InstrumentType } from './instruments';

/** Why a load failed. */
export class InstrumentStoreError extends Error {
  readonly code: 'LOAD_FAILED' | 'BAD_DATE';

  constructor(code: 'LOAD_FAILED' | 'BAD_DATE', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InstrumentStoreError';
    this.code = code;
  }
}

/** Which dump is loaded. */
export interface InstrumentsLoad {
  /** The trading day the dump is for (`YYYY-MM-DD`, IST). */
  readonly tradingDate: string;
  /** When it was stored, epoch ms. */
  readonly loadedAt: number;
  readonly rowCount: number;
}

/** What `loadCsv` did. */
export interface CsvLoadResult extends InstrumentsLoad {
  /** Rows of the dump that could not be represented exactly, and were left out. */
  readonly skipped: readonly SkippedRow[];
}

interface Row {
  instrument_token: number;
  exchange_token: number;
  tradingsymbol: string;
  name: string;
  last_price: number;
  expiry: string;
  strike: number;
  tick_size: number;
  lot_size: number;
  instrument_type: string;
  segment: string;
  exchange: string;
  price_divisor: number;
  freeze_quantity: number | null;
}

interface LoadRow {
  trading_date: string;
  loaded_at: number;
  row_count: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function fromRow(r: Row): Instrument {
  return {
    instrumentToken: r.instrument_token,
    exchangeToken: r.exchange_token,
    tradingSymbol: r.tradingsymbol,
    name: r.name,
    lastPrice: r.last_price as Instrument['lastPrice'],
    expiry: r.expiry,
    strike: r.strike as Instrument['strike'],
    tickSize: r.tick_size,
    lotSize: r.lot_size,
    instrumentType: r.instrument_type as InstrumentType,
    segment: r.segment,
    exchange: r.exchange,
    priceDivisor: r.price_divisor,
    freezeQuantity: r.freeze_quantity,
  };
}

/**
 * The instruments of the loaded day: stored in SQLite, searched in memory. Engine thread only. Reads
 * (`search`, `byToken`, ...) see the last committed day; before any load they find nothing.
 */
export class InstrumentStore {
  private readonly db: EngineDatabase;
  private readonly now: () => number;
  private current: InstrumentsLoad | null;
  private searchIndex: InstrumentIndex;

  private constructor(db: EngineDatabase, now: () => number) {
    this.db = db;
    this.now = now;
    const load = db.sql
      .prepare('SELECT trading_date, loaded_at, row_count FROM instruments_load WHERE id = 1')
      .get() as LoadRow | undefined;
    this.current =
      load === undefined
        ? null
        : { tradingDate: load.trading_date, loadedAt: load.loaded_at, rowCount: load.row_count };
    const rows = db.sql.prepare('SELECT * FROM instruments').all() as Row[];
    this.searchIndex = InstrumentIndex.build(rows.map(fromRow), this.current?.tradingDate ?? '1970-01-01');
  }

  /** Opens the store on the engine's database and builds the index of the stored day, if any. */
  static open(db: EngineDatabase, options: { readonly now?: () => number } = {}): InstrumentStore {
    return new InstrumentStore(db, options.now ?? Date.now);
  }

  /** The loaded dump, or null before the first load. */
  get loaded(): InstrumentsLoad | null {
    return this.current;
  }

  /** The search index of the loaded day (empty before the first load). */
  get index(): InstrumentIndex {
    return this.searchIndex;
  }

  /**
   * Replaces the stored instruments with `instruments` for `tradingDate` in one transaction, then
   * rebuilds the index. On failure (a duplicate token, a full disk) nothing changes, in the file or in
   * memory, and LOAD_FAILED is thrown.
   */
  replaceDay(tradingDate: string, instruments: readonly Instrument[]): InstrumentsLoad {
    if (!DATE.test(tradingDate))
      throw new InstrumentStoreError('BAD_DATE', `"${tradingDate}" is not YYYY-MM-DD`);
    const sql = this.db.sql;
    const insert = sql.prepare(
      `INSERT INTO instruments (instrument_token, exchange_token, tradingsymbol, name, last_price, expiry, strike,
        tick_size, lot_size, instrument_type, segment, exchange, price_divisor, freeze_quantity)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const load: InstrumentsLoad = { tradingDate, loadedAt: this.now(), rowCount: instruments.length };
    // Build the index first: if it throws, nothing has been written.
    const index = InstrumentIndex.build(instruments, tradingDate);
    try {
      this.db.transaction(() => {
        sql.prepare('DELETE FROM instruments').run();
        for (const i of instruments) {
          insert.run(
            i.instrumentToken,
            i.exchangeToken,
            i.tradingSymbol,
            i.name,
            i.lastPrice,
            i.expiry,
            i.strike,
            i.tickSize,
            i.lotSize,
            i.instrumentType,
            i.segment,
            i.exchange,
            i.priceDivisor,
            i.freezeQuantity,
          );
        }
        sql
          .prepare(
            'INSERT OR REPLACE INTO instruments_load (id, trading_date, loaded_at, row_count) VALUES (1, ?, ?, ?)',
          )
          .run(load.tradingDate, load.loadedAt, load.rowCount);
      });
    } catch (e) {
      throw new InstrumentStoreError(
        'LOAD_FAILED',
        `instruments for ${tradingDate} not stored: ${String(e)}`,
        {
          cause: e,
        },
      );
    }
    this.current = load;
    this.searchIndex = index;
    return load;
  }

  /**
   * Parses Kite's dump (see `parseInstrumentsCsv`) and stores it for `tradingDate`. `freezeQuantities`
   * fills the freeze quantity the dump lacks (see `freezeQuantityLookup`).
   */
  loadCsv(
    tradingDate: string,
    csv: string,
    options: {
      readonly freezeQuantities?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
    } = {},
  ): CsvLoadResult {
    const lookup =
      options.freezeQuantities === undefined ? undefined : freezeQuantityLookup(options.freezeQuantities);
    const parsed = parseInstrumentsCsv(csv, lookup);
    return { ...this.replaceDay(tradingDate, parsed.instruments), skipped: parsed.skipped };
  }

  /** Search by symbol and name (see `InstrumentIndex.search`). */
  search(query: string, options?: SearchOptions): SearchHit[] {
    return this.searchIndex.search(query, options);
  }

  /** The instrument with this token, with its derivative metadata. */
  byToken(instrumentToken: number): Instrument | undefined {
    return this.searchIndex.byToken(instrumentToken);
  }

  /** The instrument `exchange:tradingSymbol`. */
  bySymbol(exchange: string, tradingSymbol: string): Instrument | undefined {
    return this.searchIndex.bySymbol(exchange, tradingSymbol);
  }
}
