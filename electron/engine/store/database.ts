// The engine's SQLite database (ARCHITECTURE.md, Persistence): one file per profile, owned by the
// engine process. Opening it sets WAL, sets `synchronous` explicitly and reads both back, sets a busy
// timeout, and runs the versioned migrations this file has not run yet, each in its own transaction
// together with its row in `schema_version`. A file written by a newer build is refused untouched.
import Database from 'better-sqlite3';
import { ENGINE_MIGRATIONS } from './migrations';
import type { Migration } from './migrations';

/** Why the database cannot be opened or used; `code` says which case. */
export type StoreErrorCode =
  /** The file's schema is newer than this build knows; it was left untouched. */
  | 'NEWER_SCHEMA'
  /** A migration this file already ran has another name in this build (the code was edited). */
  | 'MIGRATION_MISMATCH'
  /** The migration list itself is malformed (versions not 1, 2, 3, ...). */
  | 'BAD_MIGRATIONS'
  /** A migration threw; the file stays at the version before it. */
  | 'MIGRATION_FAILED'
  /** SQLite did not take a setting we depend on (WAL, synchronous). */
  | 'PRAGMA_NOT_APPLIED'
  /** The database was closed. */
  | 'CLOSED';

/** A database that cannot be opened, migrated or used. */
export class StoreError extends Error {
  /** Which case (see `StoreErrorCode`). */
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** How a commit is made durable. FULL (default) survives power loss; NORMAL only process crashes. */
export type Synchronous = 'FULL' | 'NORMAL';

const SYNCHRONOUS_VALUE: Readonly<Record<Synchronous, number>> = { NORMAL: 1, FULL: 2 };

/** What `openEngineDatabase` needs. */
export interface EngineDatabaseOptions {
  /** The file; created when missing. */
  readonly file: string;
  /** FULL (default) survives power loss; NORMAL survives a process crash and is several times faster per commit (the engine's: ENGINE_SYNCHRONOUS). */
  readonly synchronous?: Synchronous;
  /**
   * SQLite's automatic checkpoint at 1000 WAL pages (default true). The engine turns it off and
   * checkpoints when its order path is quiet, so no order's commit pays for a checkpoint.
   */
  readonly autoCheckpoint?: boolean;
  /** How long a locked file is waited for before SQLITE_BUSY, ms (default 5000). */
  readonly busyTimeoutMs?: number;
  /** The migrations, in version order (default: the engine's, `ENGINE_MIGRATIONS`). */
  readonly migrations?: readonly Migration[];
  /** Epoch ms, stamped on each applied migration (default Date.now). */
  readonly now?: () => number;
}

/** One row of `schema_version`: a migration this file has run. */
export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  /** Epoch ms. */
  readonly appliedAt: number;
}

/** The connection's settings as SQLite reports them after opening (read back, not assumed). */
export interface DatabaseSettings {
  readonly journalMode: string;
  readonly synchronous: Synchronous;
  readonly busyTimeoutMs: number;
  readonly foreignKeys: boolean;
}

/** The mode of `checkpoint`: PASSIVE never waits; RESTART waits for readers and restarts the WAL. */
export type CheckpointMode = 'PASSIVE' | 'FULL' | 'RESTART' | 'TRUNCATE';

/**
 * The engine's open database. Single-threaded, like the engine's kernel: one connection, used from
 * the engine's main thread only. Areas keep their own prepared statements on `sql` (better-sqlite3
 * statements are cheap to run and should be prepared once), and group writes with `transaction`.
 */
export class EngineDatabase {
  /** The file this connection has open. */
  readonly file: string;
  /** The schema version after opening: the highest migration this file has run. */
  readonly schemaVersion: number;
  /** The settings read back from SQLite after they were set. */
  readonly settings: DatabaseSettings;
  private readonly db: Database.Database;
  private closed = false;
  /** idleCheckpoint's one-row write, prepared on first use. */
  private primer: Database.Statement | undefined;
  /** `changeCount` just after the last primer: equal again means nothing was written since. */
  private primedAt = '';

  /** Use `openEngineDatabase`. */
  constructor(db: Database.Database, file: string, schemaVersion: number, settings: DatabaseSettings) {
    this.db = db;
    this.file = file;
    this.schemaVersion = schemaVersion;
    this.settings = settings;
  }

  /** The better-sqlite3 connection, for preparing statements. Throws CLOSED after `close`. */
  get sql(): Database.Database {
    if (this.closed) throw new StoreError('CLOSED', `${this.file} is closed`);
    return this.db;
  }

  /** Whether `close` has been called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Runs `fn` in one write transaction and returns its result: everything it wrote commits together
   * (one fsync under FULL) or, if it throws, none of it does. BEGIN IMMEDIATE takes the write lock up
   * front, so a reader elsewhere cannot make the commit fail half-way with SQLITE_BUSY. Nested calls
   * become savepoints (better-sqlite3's rule).
   */
  transaction<T>(fn: () => T): T {
    return this.sql.transaction(fn).immediate();
  }

  /** The migrations this file has run, oldest first. */
  appliedMigrations(): AppliedMigration[] {
    return readApplied(this.sql);
  }

  /**
   * Folds the WAL back into the database file. Call it at idle moments (after the close, between
   * bursts), never on the order path: RESTART and TRUNCATE wait for readers (reliability.md 3).
   */
  checkpoint(mode: CheckpointMode = 'PASSIVE'): { busy: boolean; walFrames: number; checkpointed: number } {
    const row = this.sql.pragma(`wal_checkpoint(${mode})`) as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    const r = row[0] ?? { busy: 0, log: 0, checkpointed: 0 };
    return { busy: r.busy !== 0, walFrames: r.log, checkpointed: r.checkpointed };
  }

  /**
   * The checkpoint for the engine's quiet moments. Folds the WAL back (PASSIVE) and, when every frame
   * was folded, rewrites `wal_primer` so that SQLite restarts the WAL now: the first commit into a
   * restarted WAL writes a new header and fsyncs it, even in NORMAL (sqlite.org ticket ff5be73dee).
   * Without the primer the next order's commit after each quiet checkpoint pays that fsync (bench
   * oms: "first order after a quiet checkpoint"). Does nothing when nothing was written since the
   * last one, so an idle engine does not fsync every time it is asked.
   */
  idleCheckpoint(): { checkpointed: boolean; primed: boolean } {
    const sql = this.sql;
    const changes = this.changeCount(sql);
    if (changes === this.primedAt) return { checkpointed: false, primed: false };
    const r = this.checkpoint('PASSIVE');
    if (r.busy || r.checkpointed < r.walFrames) return { checkpointed: true, primed: false };
    this.primer ??= sql.prepare(
      'INSERT INTO wal_primer (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = n + 1',
    );
    this.primer.run();
    this.primedAt = this.changeCount(sql);
    return { checkpointed: true, primed: true };
  }

  /** Rows this connection changed, and other connections' commits, as one comparable key. */
  private changeCount(sql: Database.Database): string {
    const total = Number(sql.prepare('SELECT total_changes()').pluck().get());
    return `${total}:${Number(sql.pragma('data_version', { simple: true }))}`;
  }

  /** SQLite's `integrity_check`: true when the file is sound. */
  integrityCheck(): boolean {
    return this.sql.pragma('integrity_check', { simple: true }) === 'ok';
  }

  /** Closes the connection (SQLite checkpoints the WAL on the last close). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

interface AppliedRow {
  version: number;
  name: string;
  applied_at: number;
}

function readApplied(db: Database.Database): AppliedMigration[] {
  const rows = db
    .prepare('SELECT version, name, applied_at FROM schema_version ORDER BY version')
    .all() as AppliedRow[];
  return rows.map((r) => ({ version: r.version, name: r.name, appliedAt: r.applied_at }));
}

function hasSchemaTable(db: Database.Database): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get() !==
    undefined
  );
}

/** Versions must be exactly 1, 2, 3, ...: a gap or a repeat is a bug in the list, not in the file. */
function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StoreError(
        'BAD_MIGRATIONS',
        `migration #${i} ("${m.name}") has version ${m.version}; expected ${i + 1}`,
      );
    }
  });
}

/**
 * The engine's `synchronous` in WAL: NORMAL. A commit is durable across a crash of the process (the
 * case the order journal must survive: SQLite guarantees it in WAL whatever `synchronous` says), and
 * costs about 21 us here instead of about 150 us with FULL (reliability.md 3), which is what keeps the
 * order path within its 100 us budget. On power loss the last commits before it can roll back; what
 * they recorded and the broker saw (an order, a fill) is recovered by the start-up reconciliation,
 * which finds our orders by their tags. The run's client-id prefix is checkpointed when it is written.
 */
export const ENGINE_SYNCHRONOUS: Synchronous = 'NORMAL';

/**
 * Opens (or creates) the engine's database file. In order: refuses a file whose `schema_version` is
 * newer than `migrations` (NEWER_SCHEMA; nothing is written), switches to WAL, sets `synchronous`
 * (after WAL: better-sqlite3's build default silently makes a *reopened* WAL file NORMAL,
 * reliability.md 3) and checks both took (PRAGMA_NOT_APPLIED), turns on foreign keys, then runs each
 * missing migration in its own transaction with its `schema_version` row. Throws StoreError; the
 * connection is closed on any failure.
 */
export function openEngineDatabase(options: EngineDatabaseOptions): EngineDatabase {
  const migrations = options.migrations ?? ENGINE_MIGRATIONS;
  checkMigrationList(migrations);
  const known = migrations.length;
  const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  const now = options.now ?? Date.now;
  const db = new Database(options.file, { timeout: busyTimeoutMs });
  try {
    // Read the version before changing anything in a file we may not understand.
    const applied = hasSchemaTable(db) ? readApplied(db) : [];
    const current = applied.reduce((v, m) => Math.max(v, m.version), 0);
    if (current > known) {
      throw new StoreError(
        'NEWER_SCHEMA',
        `${options.file} has schema version ${current}; this build knows up to ${known}. ` +
          'Use a newer ShrivenQ or another profile.',
      );
    }
    for (const a of applied) {
      const m = migrations[a.version - 1];
      if (m?.name !== a.name) {
        throw new StoreError(
          'MIGRATION_MISMATCH',
          `${options.file} ran migration ${a.version} as "${a.name}"; this build calls it "${m?.name ?? '?'}"`,
        );
      }
    }

    const journalMode = String(db.pragma('journal_mode = WAL', { simple: true }));
    if (journalMode !== 'wal') {
      throw new StoreError('PRAGMA_NOT_APPLIED', `${options.file}: journal_mode is ${journalMode}, not wal`);
    }
    const synchronous = options.synchronous ?? 'FULL';
    db.pragma(`synchronous = ${synchronous}`);
    const readBack = Number(db.pragma('synchronous', { simple: true }));
    if (readBack !== SYNCHRONOUS_VALUE[synchronous]) {
      throw new StoreError(
        'PRAGMA_NOT_APPLIED',
        `${options.file}: synchronous reads ${readBack} after setting ${synchronous}`,
      );
    }
    db.pragma('foreign_keys = ON');
    if (options.autoCheckpoint === false) db.pragma('wal_autocheckpoint = 0');

    db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
      version     INTEGER PRIMARY KEY,
      name        TEXT NOT NULL,
      applied_at  INTEGER NOT NULL
    ) STRICT`);
    const record = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
    for (let v = current; v < known; v++) {
      const m = migrations[v];
      if (m === undefined) break;
      try {
        db.transaction(() => {
          if (typeof m.up === 'string') db.exec(m.up);
          else m.up(db);
          record.run(m.version, m.name, now());
        }).immediate();
      } catch (e) {
        throw new StoreError(
          'MIGRATION_FAILED',
          `migration ${m.version} ("${m.name}") failed: ${String(e)}`,
          {
            cause: e,
          },
        );
      }
    }
    return new EngineDatabase(db, options.file, known, {
      journalMode,
      synchronous,
      busyTimeoutMs: Number(db.pragma('busy_timeout', { simple: true })),
      foreignKeys: Number(db.pragma('foreign_keys', { simple: true })) === 1,
    });
  } catch (e) {
    db.close();
    throw e;
  }
}
