import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE_MIGRATIONS, openEngineDatabase, StoreError } from './index';
import type { Migration } from './index';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'shrivenq-store-'));
  file = path.join(dir, 'engine.db');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const notes: Migration[] = [
  { version: 1, name: 'notes', up: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT' },
  {
    version: 2,
    name: 'notes-tag',
    up: (db) => {
      db.exec("ALTER TABLE notes ADD COLUMN tag TEXT NOT NULL DEFAULT ''");
      db.prepare("UPDATE notes SET tag = 'old'").run();
    },
  },
];

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof StoreError ? e.code : `not a StoreError: ${String(e)}`;
  }
  return undefined;
}

function sha(p: string): string {
  return createHash('sha256').update(readFileSync(p)).digest('hex');
}

describe('openEngineDatabase', () => {
  it('opens a new file in WAL with synchronous FULL by default, and keeps FULL when reopened', () => {
    const first = openEngineDatabase({ file });
    expect(first.settings).toEqual({
      journalMode: 'wal',
      synchronous: 'FULL',
      busyTimeoutMs: 5000,
      foreignKeys: true,
    });
    expect(Number(first.sql.pragma('synchronous', { simple: true }))).toBe(2);
    first.close();
    // better-sqlite3's build default would make this reopened WAL file NORMAL (1) if we relied on it.
    const again = openEngineDatabase({ file });
    expect(Number(again.sql.pragma('synchronous', { simple: true }))).toBe(2);
    expect(String(again.sql.pragma('journal_mode', { simple: true }))).toBe('wal');
    again.close();
  });

  it('sets NORMAL when asked, and the busy timeout', () => {
    openEngineDatabase({ file }).close();
    const db = openEngineDatabase({ file, synchronous: 'NORMAL', busyTimeoutMs: 250 });
    expect(db.settings.synchronous).toBe('NORMAL');
    expect(Number(db.sql.pragma('synchronous', { simple: true }))).toBe(1);
    expect(Number(db.sql.pragma('busy_timeout', { simple: true }))).toBe(250);
    db.close();
  });

  it('runs the engine migrations once and records each in schema_version', () => {
    let clock = 1_700_000_000_000;
    const db = openEngineDatabase({ file, now: () => clock++ });
    expect(db.schemaVersion).toBe(ENGINE_MIGRATIONS.length);
    expect(db.appliedMigrations()).toEqual(
      ENGINE_MIGRATIONS.map((m, i) => ({
        version: m.version,
        name: m.name,
        appliedAt: 1_700_000_000_000 + i,
      })),
    );
    db.close();
    const again = openEngineDatabase({ file, now: () => 0 });
    expect(again.appliedMigrations().map((m) => m.appliedAt)[0]).toBe(1_700_000_000_000);
    again.close();
  });

  it('upgrades an older file step by step and keeps its data', () => {
    const v1 = openEngineDatabase({ file, migrations: notes.slice(0, 1) });
    v1.sql.prepare("INSERT INTO notes (body) VALUES ('kept')").run();
    v1.close();
    const v2 = openEngineDatabase({ file, migrations: notes });
    expect(v2.schemaVersion).toBe(2);
    expect(v2.sql.prepare('SELECT body, tag FROM notes').all()).toEqual([{ body: 'kept', tag: 'old' }]);
    v2.close();
  });

  it('refuses a newer schema with NEWER_SCHEMA and leaves the file byte for byte as it was', () => {
    openEngineDatabase({ file, migrations: notes }).close();
    const before = sha(file);
    expect(codeOf(() => openEngineDatabase({ file, migrations: notes.slice(0, 1) }))).toBe('NEWER_SCHEMA');
    expect(sha(file)).toBe(before);
    // Still usable by the build that wrote it.
    openEngineDatabase({ file, migrations: notes }).close();
  });

  it('refuses a file whose recorded migration has another name (edited history)', () => {
    openEngineDatabase({ file, migrations: notes }).close();
    const renamed: Migration[] = [{ ...notes[0]!, name: 'renamed' }, notes[1]!];
    expect(codeOf(() => openEngineDatabase({ file, migrations: renamed }))).toBe('MIGRATION_MISMATCH');
  });

  it('rolls back a failing migration entirely and stays at the version before it', () => {
    const broken: Migration[] = [
      notes[0]!,
      { version: 2, name: 'half', up: 'CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);' },
    ];
    expect(codeOf(() => openEngineDatabase({ file, migrations: broken }))).toBe('MIGRATION_FAILED');
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT max(version) AS v FROM schema_version').get()).toEqual({ v: 1 });
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    raw.close();
  });

  it('rejects a migration list with a gap or a repeat before touching the file', () => {
    const gap: Migration[] = [notes[0]!, { ...notes[1]!, version: 3 }];
    expect(codeOf(() => openEngineDatabase({ file, migrations: gap }))).toBe('BAD_MIGRATIONS');
    expect(codeOf(() => openEngineDatabase({ file, migrations: [notes[0]!, notes[0]!] }))).toBe(
      'BAD_MIGRATIONS',
    );
  });

  it('commits a transaction as a whole or not at all', () => {
    const db = openEngineDatabase({ file, migrations: notes });
    const insert = db.sql.prepare('INSERT INTO notes (body) VALUES (?)');
    expect(db.transaction(() => insert.run('a').changes + insert.run('b').changes)).toBe(2);
    expect(() =>
      db.transaction(() => {
        insert.run('c');
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(db.sql.prepare('SELECT body FROM notes ORDER BY id').pluck().all()).toEqual(['a', 'b']);
    db.close();
  });

  it('a committed write is visible to a second connection while the first stays open (WAL)', () => {
    const db = openEngineDatabase({ file, migrations: notes });
    db.transaction(() => db.sql.prepare("INSERT INTO notes (body) VALUES ('seen')").run());
    const reader = new Database(file, { readonly: true });
    expect(reader.prepare('SELECT body FROM notes').pluck().all()).toEqual(['seen']);
    reader.close();
    expect(db.checkpoint('PASSIVE').busy).toBe(false);
    expect(db.integrityCheck()).toBe(true);
    db.close();
  });

  it('idleCheckpoint folds the WAL and restarts it at once, and does nothing when nothing was written since', () => {
    const db = openEngineDatabase({ file, synchronous: 'NORMAL', autoCheckpoint: false });
    const put = db.sql.prepare('INSERT INTO journal_runs (run_prefix, started_at) VALUES (?, ?)');
    for (let k = 0; k < 20; k++) put.run(`R${k}`, k);
    expect(db.idleCheckpoint()).toEqual({ checkpointed: true, primed: true });
    // The primer's commit restarted the WAL: it holds that one frame, not the 20 commits before it.
    expect(db.checkpoint('PASSIVE').walFrames).toBe(1);
    expect(db.idleCheckpoint()).toEqual({ checkpointed: false, primed: false });
    put.run('R20', 20);
    expect(db.idleCheckpoint()).toEqual({ checkpointed: true, primed: true });

    // A reader in the middle of a read keeps frames the checkpoint cannot fold: no primer then.
    const reader = new Database(file, { readonly: true });
    reader.prepare('BEGIN').run();
    expect(reader.prepare('SELECT count(*) FROM journal_runs').pluck().get()).toBe(21);
    put.run('R21', 21);
    expect(db.idleCheckpoint()).toEqual({ checkpointed: true, primed: false });
    reader.prepare('COMMIT').run();
    reader.close();
    expect(db.idleCheckpoint()).toEqual({ checkpointed: true, primed: true });
    expect(db.integrityCheck()).toBe(true);
    db.close();
  });

  it('throws CLOSED after close, and close is idempotent', () => {
    const db = openEngineDatabase({ file });
    db.close();
    db.close();
    expect(db.isClosed).toBe(true);
    expect(codeOf(() => db.sql)).toBe('CLOSED');
    expect(codeOf(() => db.transaction(() => 1))).toBe('CLOSED');
  });
});
