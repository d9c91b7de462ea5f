/**
 * The position stop-losses' table (migration 8): one row per account, instrument and product,
 * upserted on every change. Single-threaded: the engine's kernel thread.
 */
import type Database from 'better-sqlite3';
import type { PositionStopView } from '../../../shared/services/risk';
import type { EngineDatabase } from './database';

interface Row {
  instrument_token: number;
  product: string;
  exchange: string;
  tradingsymbol: string;
  price_divisor: number;
  stop_price: number;
  direction: string;
  state: string;
  message: string;
  exit_client_order_id: string | null;
  set_at: number;
  updated_at: number;
}

export class PositionStopStore {
  private readonly upsert: Database.Statement;
  private readonly select: Database.Statement;

  constructor(db: EngineDatabase) {
    this.upsert = db.sql.prepare(
      `INSERT INTO position_stops (account, instrument_token, product, exchange, tradingsymbol,
         price_divisor, stop_price, direction, state, message, exit_client_order_id, set_at, updated_at)
       VALUES (@account, @instrumentToken, @product, @exchange, @tradingsymbol, @priceDivisor,
         @stopPrice, @direction, @state, @message, @exitClientOrderId, @setAt, @updatedAt)
       ON CONFLICT (account, instrument_token, product) DO UPDATE SET
         exchange = excluded.exchange, tradingsymbol = excluded.tradingsymbol,
         price_divisor = excluded.price_divisor, stop_price = excluded.stop_price,
         direction = excluded.direction, state = excluded.state, message = excluded.message,
         exit_client_order_id = excluded.exit_client_order_id, set_at = excluded.set_at,
         updated_at = excluded.updated_at`,
    );
    this.select = db.sql.prepare(
      `SELECT * FROM position_stops WHERE account = ? AND state != 'removed' ORDER BY set_at`,
    );
  }

  /** Writes the stop (one commit). Throws when SQLite refuses. */
  save(account: string, s: PositionStopView): void {
    this.upsert.run({ account, ...s });
  }

  /** The account's stops that are not removed, oldest first. */
  load(account: string): PositionStopView[] {
    return (this.select.all(account) as Row[]).map((r) => ({
      instrumentToken: r.instrument_token,
      product: r.product as PositionStopView['product'],
      exchange: r.exchange,
      tradingsymbol: r.tradingsymbol,
      priceDivisor: r.price_divisor,
      stopPrice: r.stop_price,
      direction: r.direction as PositionStopView['direction'],
      state: r.state as PositionStopView['state'],
      message: r.message,
      exitClientOrderId: r.exit_client_order_id,
      setAt: r.set_at,
      updatedAt: r.updated_at,
    }));
  }
}
