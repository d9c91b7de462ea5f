// The state file's SQLite schema, its migrations and the connection settings. The file is owned by one
// process (the simulator); nothing else writes it.
import Database from 'better-sqlite3';

/** Why the state file cannot be used; `code` says which case. */
export type ExchangeStateErrorCode =
  | 'NEWER_SCHEMA'
  | 'OTHER_TRADING_DATE'
  | 'INSTRUMENTS_CHANGED'
  | 'REPLAY_DIVERGED'
  | 'JOURNAL_FAILED'
  | 'CLOSED'
  | 'BAD_OPTIONS';

/** A state file that cannot be opened, replayed or written. */
export class ExchangeStateError extends Error {
  /** Which case (see `ExchangeStateErrorCode`). */
  readonly code: ExchangeStateErrorCode;

  constructor(code: ExchangeStateErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExchangeStateError';
    this.code = code;
  }
}

/**
 * The migrations, in order: `MIGRATIONS[n]` takes the file from `user_version` n to n + 1. Append
 * only; a released step is never edited (a file that already ran it would not run it again).
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE days (
    trading_date        TEXT PRIMARY KEY,
    first_order_number  INTEGER NOT NULL,
    session_open        INTEGER NOT NULL,
    instruments_sha256  TEXT NOT NULL,
    created_at          INTEGER NOT NULL,
    archived_at         INTEGER
  ) STRICT;
  CREATE UNIQUE INDEX days_one_current ON days ((archived_at IS NULL)) WHERE archived_at IS NULL;
  CREATE TABLE journal (
    seq           INTEGER PRIMARY KEY,
    trading_date  TEXT NOT NULL REFERENCES days (trading_date),
    at            INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    args          TEXT NOT NULL,
    result        TEXT NOT NULL,
    events        INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX journal_by_day ON journal (trading_date, seq);
  `,
];

/** The schema version this code writes: `PRAGMA user_version` after the last migration. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** How the connection commits. FULL (default) survives power loss; NORMAL only process crashes. */
export type Synchronous = 'FULL' | 'NORMAL';

/**
 * Opens (or creates) the state file: WAL, `synchronous` set explicitly, a busy timeout, foreign keys,
 * then the migrations this file has not run, each in its own transaction. Throws NEWER_SCHEMA for a
 * file written by a newer version (it is left untouched).
 */
export function openStateDatabase(
  file: string,
  options: { readonly synchronous?: Synchronous; readonly busyTimeoutMs?: number } = {},
): Database.Database {
  const db = new Database(file, { timeout: options.busyTimeoutMs ?? 5_000 });
  try {
    // Check the version before changing anything in a file we may not understand.
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > SCHEMA_VERSION) {
      throw new ExchangeStateError(
        'NEWER_SCHEMA',
        `${file} has schema version ${version}; this build knows up to ${SCHEMA_VERSION}. ` +
          'Use a newer ShrivenQ or another --state file.',
      );
    }
    db.pragma('journal_mode = WAL');
    // Set after journal_mode: better-sqlite3 builds with SQLITE_DEFAULT_WAL_SYNCHRONOUS=1, which
    // silently makes a reopened WAL file NORMAL (reliability.md section 3). Never rely on the default.
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('foreign_keys = ON');
    for (let v = version; v < SCHEMA_VERSION; v++) {
      const step = MIGRATIONS[v] ?? '';
      db.transaction(() => {
        db.exec(step);
        db.pragma(`user_version = ${v + 1}`);
      })();
    }
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
