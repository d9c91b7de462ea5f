// The engine database's schema, as migrations in code. Append only: a released step is never edited
// or reordered, because a file that already ran it will not run it again (and the opener refuses a
// file whose recorded names differ from these). Each area that needs tables adds its step here.
import type Database from 'better-sqlite3';

/** One schema step: from version `version - 1` to `version`. */
export interface Migration {
  /** 1, 2, 3, ... in list order. */
  readonly version: number;
  /** A short stable name, recorded in `schema_version` and checked on every open. */
  readonly name: string;
  /** SQL to run, or a function for steps that need to read data; runs inside the step's transaction. */
  readonly up: string | ((db: Database.Database) => void);
}

/** The engine's migrations, in order. */
export const ENGINE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'instruments',
    // Prices (last_price, strike, tick_size) are integers in the instrument's wire unit
    // (price_divisor: 1e7 CDS, 1e4 BCD, else 100), never rupees as REAL. `(exchange, tradingsymbol)`
    // is not declared unique: the store trusts the instrument_token, the key of every tick.
    up: `
    CREATE TABLE instruments (
      instrument_token  INTEGER PRIMARY KEY,
      exchange_token    INTEGER NOT NULL,
      tradingsymbol     TEXT NOT NULL,
      name              TEXT NOT NULL,
      last_price        INTEGER NOT NULL,
      expiry            TEXT NOT NULL,
      strike            INTEGER NOT NULL,
      tick_size         INTEGER NOT NULL,
      lot_size          INTEGER NOT NULL,
      instrument_type   TEXT NOT NULL,
      segment           TEXT NOT NULL,
      exchange          TEXT NOT NULL,
      price_divisor     INTEGER NOT NULL,
      freeze_quantity   INTEGER
    ) STRICT;
    CREATE INDEX instruments_by_symbol ON instruments (exchange, tradingsymbol);
    CREATE TABLE instruments_load (
      id            INTEGER PRIMARY KEY CHECK (id = 1),
      trading_date  TEXT NOT NULL,
      loaded_at     INTEGER NOT NULL,
      row_count     INTEGER NOT NULL
    ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'candles',
    // The historical candle cache (market/historyCache.ts). `interval` is Kite's name (`minute`,
    // `day`, ...): the rows are Kite's candles as sent, prices in integer wire units, `time` the
    // candle's start (epoch ms), `oi` NULL when it was not asked for. `candle_coverage` records the
    // spans of start times [from_ms, to_ms) already fetched, so that a covered span is never asked
    // again even when it holds no candle (a holiday, before listing); spans of one key never overlap
    // or touch (the cache merges them when it records one).
    up: `
    CREATE TABLE candles (
      instrument_token  INTEGER NOT NULL,
      interval          TEXT NOT NULL,
      time              INTEGER NOT NULL,
      open              INTEGER NOT NULL,
      high              INTEGER NOT NULL,
      low               INTEGER NOT NULL,
      close             INTEGER NOT NULL,
      volume            INTEGER NOT NULL,
      oi                INTEGER,
      PRIMARY KEY (instrument_token, interval, time)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE candle_coverage (
      instrument_token  INTEGER NOT NULL,
      interval          TEXT NOT NULL,
      from_ms           INTEGER NOT NULL,
      to_ms             INTEGER NOT NULL,
      fetched_at        INTEGER NOT NULL,
      PRIMARY KEY (instrument_token, interval, from_ms),
      CHECK (to_ms > from_ms)
    ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'session tokens',
    // The day's Kite access token per API key (session/tokenCache.ts), so a restart on the same IST
    // trading day needs no new login. Kite invalidates it at about 06:00 IST the next day; the row
    // is only used for the date it was issued on, and dropped when Kite refuses it.
    up: `
    CREATE TABLE session_tokens (
      api_key       TEXT PRIMARY KEY,
      trading_date  TEXT NOT NULL,
      access_token  TEXT NOT NULL,
      saved_at      INTEGER NOT NULL
    ) STRICT;
    `,
  },
  {
    version: 4,
    name: 'tick frames',
    // Raw Kite ticker frames as they arrived (market/frameRecorder.ts), for replay through the same
    // decoder: `frame` is the binary message byte for byte, `received_at` epoch ms, `connection` the
    // ticker connection it came on (0-2).
    up: `
    CREATE TABLE tick_frames (
      seq          INTEGER PRIMARY KEY,
      received_at  INTEGER NOT NULL,
      connection   INTEGER NOT NULL,
      frame        BLOB NOT NULL
    ) STRICT;
    CREATE INDEX tick_frames_time ON tick_frames (received_at);
    `,
  },
  {
    version: 5,
    name: 'settings',
    // The user's settings (shared/services/settings.ts) as one JSON document, validated on read.
    up: `
    CREATE TABLE settings (
      id        INTEGER PRIMARY KEY CHECK (id = 1),
      json      TEXT NOT NULL,
      saved_at  INTEGER NOT NULL
    ) STRICT;
    `,
  },
  {
    version: 6,
    name: 'order journal',
    // The order journal (store/orderJournal.ts). `orders` holds each order's intent as sent (one row
    // per client order id, written in the same transaction as its first events, before anything is
    // sent) and a projection of its state that every event rewrites in the event's transaction;
    // `order_events` is append-only: the state is rebuilt from it at start and checked against the
    // projection. `account` is the venue and user the order belongs to (`sim:...`, `paper:...`,
    // `live:...`); `trading_date` the IST date it was placed on. Prices are wire units; `fill_value`
    // is the sum of quantity x price of the fills (wire units). `fills` has one row per trade id and
    // account: a trade is recorded once, whichever path brought it. `journal_runs` records each
    // run's client-order-id prefix, so a prefix is never reused. Shaped for the order path's commits
    // (ARCHITECTURE.md: OMS accept -> bytes <= 100 us): `placed_quantity` is the quantity as first
    // sent (modifications change `quantity`), the tables are clustered on their keys
    // (WITHOUT ROWID), an event's key is (order, its number), and there is no index a placement does
    // not need, so a placement's commit touches two leaf pages and an acknowledgement's three.
    up: `
    CREATE TABLE journal_runs (
      run_prefix  TEXT PRIMARY KEY,
      started_at  INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE orders (
      client_order_id     TEXT PRIMARY KEY,
      account             TEXT NOT NULL,
      source              TEXT NOT NULL CHECK (source IN ('manual', 'strategy', 'external')),
      strategy_id         TEXT,
      instrument_token    INTEGER NOT NULL,
      exchange            TEXT NOT NULL,
      tradingsymbol       TEXT NOT NULL,
      price_divisor       INTEGER NOT NULL,
      side                TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
      order_type          TEXT NOT NULL,
      product             TEXT NOT NULL,
      variety             TEXT NOT NULL,
      validity            TEXT NOT NULL,
      validity_ttl        INTEGER,
      disclosed_quantity  INTEGER NOT NULL,
      market_protection   REAL,
      algo_id             TEXT,
      trading_date        TEXT NOT NULL,
      created_at          INTEGER NOT NULL,
      placed_quantity     INTEGER NOT NULL CHECK (placed_quantity > 0),
      quantity            INTEGER NOT NULL CHECK (quantity > 0),
      price               INTEGER NOT NULL,
      trigger_price       INTEGER NOT NULL,
      state               TEXT NOT NULL,
      broker_order_id     TEXT,
      filled_quantity     INTEGER NOT NULL CHECK (filled_quantity >= 0 AND filled_quantity <= quantity),
      fill_value          INTEGER NOT NULL,
      reason              TEXT,
      updated_at          INTEGER NOT NULL,
      event_count         INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE UNIQUE INDEX orders_by_broker_id ON orders (account, broker_order_id)
      WHERE broker_order_id IS NOT NULL;
    CREATE TABLE order_events (
      client_order_id  TEXT NOT NULL REFERENCES orders (client_order_id),
      n                INTEGER NOT NULL CHECK (n > 0),
      at               INTEGER NOT NULL,
      type             TEXT NOT NULL,
      data             TEXT NOT NULL,
      PRIMARY KEY (client_order_id, n)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE fills (
      account           TEXT NOT NULL,
      trade_id          TEXT NOT NULL,
      client_order_id   TEXT NOT NULL REFERENCES orders (client_order_id),
      broker_order_id   TEXT NOT NULL,
      instrument_token  INTEGER NOT NULL,
      side              TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
      product           TEXT NOT NULL,
      quantity          INTEGER NOT NULL CHECK (quantity > 0),
      price             INTEGER NOT NULL CHECK (price > 0),
      time              INTEGER NOT NULL,
      trading_date      TEXT NOT NULL,
      PRIMARY KEY (account, trade_id)
    ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 7,
    name: 'paper broker',
    // The paper broker's book (engine/paper): its orders and fills, written in one transaction per
    // state change before the change is reported, and read back whole when the engine starts.
    // `paper_orders` holds each order as the broker knows it now (Kite's status strings; `tag` our
    // client order id); `seq` orders them and numbers the order id (`P` + 12 digits). Prices are
    // wire units; `fill_value` is the sum of quantity x price of its fills (wire units);
    // `market_protection` the request's (-1 auto, or a percentage: the one REAL), and
    // `protection_price` the worst price a working MARKET / triggered SL-M order may take, fixed
    // when it reached the book; `queue_ahead` the quantity ahead of a resting limit order at its
    // price (NULL: not yet seen). `paper_trades` has one row per fill (`PT` + 12 digits).
    // `trading_date` is the IST date: of the placing for an order, of the fill for a trade.
    up: `
    CREATE TABLE paper_orders (
      order_id            TEXT PRIMARY KEY,
      seq                 INTEGER NOT NULL UNIQUE,
      tag                 TEXT,
      instrument_token    INTEGER NOT NULL,
      exchange            TEXT NOT NULL,
      tradingsymbol       TEXT NOT NULL,
      side                TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
      order_type          TEXT NOT NULL CHECK (order_type IN ('MARKET', 'LIMIT', 'SL', 'SL-M')),
      product             TEXT NOT NULL,
      variety             TEXT NOT NULL,
      validity            TEXT NOT NULL,
      validity_ttl        INTEGER,
      quantity            INTEGER NOT NULL CHECK (quantity > 0),
      filled_quantity     INTEGER NOT NULL CHECK (filled_quantity >= 0 AND filled_quantity <= quantity),
      fill_value          INTEGER NOT NULL,
      price               INTEGER NOT NULL,
      trigger_price       INTEGER NOT NULL,
      disclosed_quantity  INTEGER NOT NULL,
      market_protection   REAL,
      protection_price    INTEGER,
      algo_id             TEXT,
      status              TEXT NOT NULL
        CHECK (status IN ('OPEN', 'TRIGGER PENDING', 'COMPLETE', 'CANCELLED', 'REJECTED')),
      reason              TEXT,
      queue_ahead         INTEGER,
      trading_date        TEXT NOT NULL,
      order_time          INTEGER NOT NULL,
      update_time         INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX paper_orders_by_tag ON paper_orders (tag);
    CREATE TABLE paper_trades (
      trade_id          TEXT PRIMARY KEY,
      seq               INTEGER NOT NULL UNIQUE,
      order_id          TEXT NOT NULL REFERENCES paper_orders (order_id),
      instrument_token  INTEGER NOT NULL,
      exchange          TEXT NOT NULL,
      tradingsymbol     TEXT NOT NULL,
      side              TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
      product           TEXT NOT NULL,
      quantity          INTEGER NOT NULL CHECK (quantity > 0),
      price             INTEGER NOT NULL CHECK (price > 0),
      time              INTEGER NOT NULL,
      trading_date      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX paper_trades_by_order ON paper_trades (order_id, seq);
    `,
  },
  {
    version: 8,
    name: 'position stop-losses',
    // Stop-losses the engine keeps on positions (store/positionStops.ts, oms/stopLosses.ts): one
    // row per account, instrument and product, rewritten as it is set, moved, triggered or removed.
    // `stop_price` in wire units; `direction` the position's when set.
    up: `
    CREATE TABLE position_stops (
      account                TEXT NOT NULL,
      instrument_token       INTEGER NOT NULL,
      product                TEXT NOT NULL,
      exchange               TEXT NOT NULL,
      tradingsymbol          TEXT NOT NULL,
      price_divisor          INTEGER NOT NULL CHECK (price_divisor > 0),
      stop_price             INTEGER NOT NULL CHECK (stop_price > 0),
      direction              TEXT NOT NULL CHECK (direction IN ('long', 'short')),
      state                  TEXT NOT NULL CHECK (state IN ('armed', 'triggered', 'refused', 'removed')),
      message                TEXT NOT NULL,
      exit_client_order_id   TEXT,
      set_at                 INTEGER NOT NULL,
      updated_at             INTEGER NOT NULL,
      PRIMARY KEY (account, instrument_token, product)
    ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    name: 'wal primer',
    // One row that EngineDatabase.idleCheckpoint rewrites after a quiet checkpoint, so that SQLite
    // restarts the WAL (a new header, fsynced even in NORMAL) then and not in the next order's commit.
    up: `
    CREATE TABLE wal_primer (
      id  INTEGER PRIMARY KEY CHECK (id = 1),
      n   INTEGER NOT NULL
    ) STRICT;
    `,
  },
  {
    version: 10,
    name: 'algos',
    // Engine algorithms (electron/engine/algos): a parent order (bracket, iceberg, ...) whose child
    // orders are ordinary journaled orders carrying its id in `parent_id`. `spec` is what the user
    // asked for (JSON, the contract's AlgoSpec), `state` what the algorithm must remember beyond its
    // children (JSON, per kind), `status` WORKING until it ends. Its children are the truth of what
    // was sent and filled: a restart rebuilds the algorithm from them, never from a counter here.
    up: `
    ALTER TABLE orders ADD COLUMN parent_id TEXT;
    CREATE INDEX orders_by_parent ON orders (parent_id) WHERE parent_id IS NOT NULL;
    CREATE TABLE algos (
      algo_id      TEXT PRIMARY KEY,
      account      TEXT NOT NULL,
      kind         TEXT NOT NULL,
      spec         TEXT NOT NULL,
      state        TEXT NOT NULL,
      status       TEXT NOT NULL,
      reason       TEXT NOT NULL,
      trading_date TEXT NOT NULL,
      created_at   INTEGER NOT NULL,
      updated_at   INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX algos_working ON algos (account, status);
    `,
  },
];
