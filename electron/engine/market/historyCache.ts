// Kite's historical candles in the engine's SQLite database (migration 2), with the spans of start
// times already fetched. The spans are what make the cache trustworthy: a span is recorded in the
// same transaction as the candles fetched for it, so the file never claims a span whose candles are
// not there, and an empty answer (a holiday, a date before listing) is remembered as well as a full
// one. Engine thread only, like the database itself.
import type Database from 'better-sqlite3';
import { priceFromUnits } from '../../../shared/domain/money';
import type { Candle, CandleInterval } from '../broker/types';
import type { EngineDatabase } from '../store';

/** A span of candle start times, epoch ms, half-open: `from` <= start < `to`. */
export interface TimeSpan {
  readonly from: number;
  readonly to: number;
}

interface CandleRow {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  oi: number | null;
}

interface SpanRow {
  from_ms: number;
  to_ms: number;
}

/**
 * The candle cache of one database. Open it once (it prepares its statements) and keep it; every
 * method runs synchronously on the engine thread.
 */
export class CandleCache {
  private readonly db: EngineDatabase;
  private readonly selectCandles: Database.Statement<[number, string, number, number], CandleRow>;
  private readonly deleteCandles: Database.Statement<[number, string, number, number]>;
  private readonly insertCandle: Database.Statement<
    [number, string, number, number, number, number, number, number, number | null]
  >;
  private readonly selectSpans: Database.Statement<[number, string, number, number], SpanRow>;
  private readonly selectTouching: Database.Statement<[number, string, number, number], SpanRow>;
  private readonly deleteTouching: Database.Statement<[number, string, number, number]>;
  private readonly insertSpan: Database.Statement<[number, string, number, number, number]>;

  private constructor(db: EngineDatabase) {
    this.db = db;
    const sql = db.sql;
    this.selectCandles = sql.prepare(
      `SELECT time, open, high, low, close, volume, oi FROM candles
       WHERE instrument_token = ? AND interval = ? AND time >= ? AND time < ? ORDER BY time`,
    );
    this.deleteCandles = sql.prepare(
      'DELETE FROM candles WHERE instrument_token = ? AND interval = ? AND time >= ? AND time < ?',
    );
    this.insertCandle = sql.prepare(
      `INSERT INTO candles (instrument_token, interval, time, open, high, low, close, volume, oi)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectSpans = sql.prepare(
      `SELECT from_ms, to_ms FROM candle_coverage
       WHERE instrument_token = ? AND interval = ? AND from_ms < ? AND to_ms > ? ORDER BY from_ms`,
    );
    // Touching as well as overlapping: [a, b) and [b, c) become one span [a, c).
    this.selectTouching = sql.prepare(
      `SELECT from_ms, to_ms FROM candle_coverage
       WHERE instrument_token = ? AND interval = ? AND from_ms <= ? AND to_ms >= ?`,
    );
    this.deleteTouching = sql.prepare(
      `DELETE FROM candle_coverage
       WHERE instrument_token = ? AND interval = ? AND from_ms <= ? AND to_ms >= ?`,
    );
    this.insertSpan = sql.prepare(
      `INSERT INTO candle_coverage (instrument_token, interval, from_ms, to_ms, fetched_at)
       VALUES (?, ?, ?, ?, ?)`,
    );
  }

  /** The cache of `db` (which must have run migration 2, as `openEngineDatabase` does). */
  static open(db: EngineDatabase): CandleCache {
    return new CandleCache(db);
  }

  /** The recorded spans that overlap `span`, oldest first (they never overlap one another). */
  covered(instrumentToken: number, interval: CandleInterval, span: TimeSpan): TimeSpan[] {
    return this.selectSpans
      .all(instrumentToken, interval, span.to, span.from)
      .map((r) => ({ from: r.from_ms, to: r.to_ms }));
  }

  /** The cached candles whose start lies in `span`, oldest first. Allocates the result. */
  read(instrumentToken: number, interval: CandleInterval, span: TimeSpan): Candle[] {
    return this.selectCandles.all(instrumentToken, interval, span.from, span.to).map((r) => ({
      time: r.time,
      open: priceFromUnits(r.open),
      high: priceFromUnits(r.high),
      low: priceFromUnits(r.low),
      close: priceFromUnits(r.close),
      volume: r.volume,
      oi: r.oi,
    }));
  }

  /**
   * Records one answer, in one transaction: the candles cached for `fetched` are replaced by
   * `candles` (those whose start lies in `fetched`; the caller has checked them), and the span
   * `[fetched.from, coveredTo)` is recorded as covered, merged with the spans it touches. A
   * `coveredTo` at or before `fetched.from` records the candles only (a span still forming: they
   * are kept for reading, and replaced by the next fetch). If anything throws, nothing is written.
   */
  store(
    instrumentToken: number,
    interval: CandleInterval,
    fetched: TimeSpan,
    candles: readonly Candle[],
    coveredTo: number,
    fetchedAt: number,
  ): void {
    this.db.transaction(() => {
      this.deleteCandles.run(instrumentToken, interval, fetched.from, fetched.to);
      for (const c of candles) {
        if (c.time < fetched.from || c.time >= fetched.to) continue;
        this.insertCandle.run(
          instrumentToken,
          interval,
          c.time,
          c.open,
          c.high,
          c.low,
          c.close,
          c.volume,
          c.oi,
        );
      }
      const to = Math.min(coveredTo, fetched.to);
      if (to <= fetched.from) return;
      let from = fetched.from;
      let end = to;
      for (const r of this.selectTouching.all(instrumentToken, interval, to, fetched.from)) {
        from = Math.min(from, r.from_ms);
        end = Math.max(end, r.to_ms);
      }
      // The same bounds as the select: spans never touch one another, so these are the merged ones.
      this.deleteTouching.run(instrumentToken, interval, to, fetched.from);
      this.insertSpan.run(instrumentToken, interval, from, end, fetchedAt);
    });
  }
}
