import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyOrderEvent } from '../oms/orderLifecycle';
import { sampleIntent } from '../testing/sampleIntent';
import { openEngineDatabase } from './index';
import type { EngineDatabase } from './index';
import { IntentLog, intentLine, intentLogFileFor, parseIntentLog } from './intentLog';
import { JournalError, OrderJournal } from './orderJournal';

const CHILD = path.join(__dirname, '..', 'testing', 'intentCrashChild.ts');

let dir: string;
let file: string;
let logFile: string;
const open: { db: EngineDatabase; journal: OrderJournal }[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'shrivenq-intents-'));
  file = path.join(dir, 'engine.sqlite');
  logFile = intentLogFileFor(file)!;
});
afterEach(() => {
  for (const o of open.splice(0)) {
    try {
      o.journal.close();
    } catch {
      // A test that broke the database on purpose.
    }
    if (o.db.sql.open) o.db.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The engine's journal on `file`, as the trading side builds it. */
function start(now: () => number = () => 1_000): { db: EngineDatabase; journal: OrderJournal } {
  const db = openEngineDatabase({ file, synchronous: 'NORMAL' });
  const journal = new OrderJournal(db, now, intentLogFileFor(file));
  const o = { db, journal };
  open.push(o);
  return o;
}

/** What SQLite holds, read by a second connection (not through the journal, which would settle). */
function committed(): { id: string; state: string }[] {
  const db = openEngineDatabase({ file, synchronous: 'NORMAL' });
  try {
    return db.sql
      .prepare('SELECT client_order_id AS id, state FROM orders ORDER BY client_order_id')
      .all() as {
      id: string;
      state: string;
    }[];
  } finally {
    db.close();
  }
}

describe('intent log format', () => {
  it('reads back what it wrote; drops a torn tail; reports a damaged line and reads past it', () => {
    const a = sampleIntent('a', { createdAt: 1 });
    const b = sampleIntent('b', { createdAt: 2 });
    const c = sampleIntent('c', { createdAt: 3 });
    const good = intentLine(a) + intentLine(b);
    expect(parseIntentLog(good)).toEqual({ intents: [a, b], damaged: [], tornBytes: 0 });
    // A write cut short: the order it held was never sent.
    const torn = intentLine(c).slice(0, 40);
    expect(parseIntentLog(good + torn)).toEqual({ intents: [a, b], damaged: [], tornBytes: 40 });
    // One flipped byte in the middle line: its checksum fails; the lines around it still count.
    const bLine = intentLine(b);
    const flipped = bLine.replace('"quantity":1', '"quantity":9');
    expect(flipped).not.toBe(bLine);
    const r = parseIntentLog(intentLine(a) + flipped + intentLine(c));
    expect(r.intents).toEqual([a, c]);
    expect(r.damaged).toEqual(['line 2: checksum does not match']);
    // A line with a right checksum over JSON that is not an intent, and one that is not JSON.
    const line = (json: string) => `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
    const odd = parseIntentLog(line('{"no":"id"}') + line('{"clientOrderId"') + intentLine(a));
    expect(odd.intents).toEqual([a]);
    expect(odd.damaged).toHaveLength(2);
    expect(odd.damaged[0]).toBe('line 1: no client order id');
    expect(odd.damaged[1]).toMatch(/^line 2: /);
  });

  it('has no log for an in-memory database', () => {
    expect(intentLogFileFor(':memory:')).toBeUndefined();
    expect(intentLogFileFor('')).toBeUndefined();
    expect(intentLogFileFor('file::memory:?cache=shared')).toBeUndefined();
    expect(intentLogFileFor('/x/engine.sqlite')).toBe('/x/engine.sqlite-intents');
  });

  it('appends after what the file already holds, and clear empties it', () => {
    const first = new IntentLog(logFile);
    first.append(sampleIntent('a', { createdAt: 1 }));
    first.close();
    const again = new IntentLog(logFile);
    expect(again.size).toBe(statSync(logFile).size);
    again.append(sampleIntent('b', { createdAt: 2 }));
    expect(again.read().intents.map((i) => i.clientOrderId)).toEqual(['a', 'b']);
    again.clear();
    expect(statSync(logFile).size).toBe(0);
    again.close();
  });
});

describe('OrderJournal with the intent log', () => {
  it('submit writes the log before SQLite; settle commits it as SENT; every read settles first', () => {
    const { journal } = start();
    const j = journal.submit(sampleIntent('s-1', { createdAt: 1_000 }));
    expect(j.order.state).toBe('SENT');
    expect(journal.unsettled).toBe(1);
    expect(committed()).toEqual([]);
    expect(new IntentLog(logFile).read().intents.map((i) => i.clientOrderId)).toEqual(['s-1']);
    journal.settle();
    expect(journal.unsettled).toBe(0);
    expect(committed()).toEqual([{ id: 's-1', state: 'SENT' }]);
    // An event for an order submitted and not settled: the order's rows go first, then the event.
    const j2 = journal.submit(sampleIntent('s-2', { createdAt: 1_001 }));
    const event = { type: 'Acknowledged', orderId: 'X-2' } as const;
    const r = applyOrderEvent(j2.order, event);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    journal.append(j2, event, r.order);
    expect(journal.unsettled).toBe(0);
    expect(committed()).toEqual([
      { id: 's-1', state: 'SENT' },
      { id: 's-2', state: 'ACCEPTED' },
    ]);
    expect(journal.events('s-2').map((e) => e.type)).toEqual(['Submitted', 'Acknowledged']);
    expect(journal.check()).toMatchObject({ ok: true, orders: 2 });
  });

  it('a crash before settle: the next start commits the logged orders as SENT, once, and empties the log', () => {
    const first = start();
    first.journal.submit(sampleIntent('k-1', { createdAt: 1_000 }));
    first.journal.settle();
    first.journal.submit(sampleIntent('k-2', { createdAt: 1_001 }));
    first.journal.submit(sampleIntent('k-3', { createdAt: 1_002 }));
    // The process dies here: no settle, no close (the file descriptors die with it).
    first.db.close();
    open.splice(0);
    const second = start();
    expect(second.journal.recovery).toEqual({ recovered: ['k-2', 'k-3'], damaged: [], tornBytes: 0 });
    expect(committed()).toEqual([
      { id: 'k-1', state: 'SENT' },
      { id: 'k-2', state: 'SENT' },
      { id: 'k-3', state: 'SENT' },
    ]);
    expect(statSync(logFile).size).toBe(0);
    for (const id of ['k-2', 'k-3'])
      expect(second.journal.events(id).map((e) => e.type)).toEqual(['Submitted']);
    expect(second.journal.check().ok).toBe(true);
    // A third start finds nothing to recover.
    second.journal.close();
    second.db.close();
    open.splice(0);
    expect(start().journal.recovery.recovered).toEqual([]);
  });

  it('a record SQLite already holds (a crash between the commit and clearing the log) is not written twice', () => {
    const first = start();
    first.journal.submit(sampleIntent('d-1', { createdAt: 1_000 }));
    first.journal.settle();
    const before = readFileSync(logFile, 'utf8');
    expect(before).not.toBe('');
    first.journal.close();
    first.db.close();
    open.splice(0);
    const second = start();
    expect(second.journal.recovery.recovered).toEqual([]);
    expect(second.journal.events('d-1').map((e) => e.type)).toEqual(['Submitted']);
  });

  it('at start a torn tail is dropped and a damaged line is reported, never replayed', () => {
    writeFileSync(
      logFile,
      intentLine(sampleIntent('t-1', { createdAt: 1 })) +
        intentLine(sampleIntent('t-2', { createdAt: 2 })).replace('"INFY"', '"INFZ"') +
        intentLine(sampleIntent('t-3', { createdAt: 3 })) +
        intentLine(sampleIntent('t-4', { createdAt: 4 })).slice(0, 25),
    );
    const { journal } = start();
    expect(journal.recovery).toEqual({
      recovered: ['t-1', 't-3'],
      damaged: ['line 2: checksum does not match'],
      tornBytes: 25,
    });
    expect(committed().map((r) => r.id)).toEqual(['t-1', 't-3']);
    expect(statSync(logFile).size).toBe(0);
  });

  it('a failed SQLite commit keeps the order in the log and pending; the next start commits it', () => {
    const first = start();
    // A trigger makes the orders insert fail, as a full disk or a constraint would.
    first.db.sql.exec(
      "CREATE TEMP TRIGGER fail_orders BEFORE INSERT ON orders BEGIN SELECT RAISE(ABORT, 'disk is full'); END",
    );
    first.journal.submit(sampleIntent('f-1', { createdAt: 1_000 }));
    expect(() => {
      first.journal.settle();
    }).toThrow(JournalError);
    expect(() => {
      first.journal.settle();
    }).toThrow(/f-1 is in the intent log but could not be committed: disk is full/);
    expect(first.journal.unsettled).toBe(1);
    expect(committed()).toEqual([]);
    first.db.close();
    open.splice(0);
    expect(start().journal.recovery.recovered).toEqual(['f-1']);
    expect(committed()).toEqual([{ id: 'f-1', state: 'SENT' }]);
  });

  it('a client order id already journaled (committed or pending) is refused at submit, and nothing is written', () => {
    const { journal } = start();
    // Ids of this journal's run are checked against what it journaled; others against SQLite.
    journal.startRun('qrun0000000a');
    const ids = ['qrun0000000a1', 'qrun0000000a2', 'u-1', 'u-2'];
    for (const id of ids) {
      journal.submit(sampleIntent(id, { createdAt: 1_000 }));
      if (id.endsWith('1')) journal.settle();
    }
    journal.create(sampleIntent('qrun0000000a3', { createdAt: 1_001 }), [{ type: 'Submitted' }]);
    const size = statSync(logFile).size;
    for (const id of [...ids, 'qrun0000000a3'])
      expect(() => journal.submit(sampleIntent(id, { createdAt: 1_002 }))).toThrow(
        new JournalError(`order ${id} is already in the journal`),
      );
    expect(statSync(logFile).size).toBe(size);
    expect(committed().map((o) => o.id)).toEqual([
      'qrun0000000a1',
      'qrun0000000a2',
      'qrun0000000a3',
      'u-1',
      'u-2',
    ]);
    expect(journal.events('u-1').map((e) => e.type)).toEqual(['Submitted']);
    // A foreign id submitted twice before a settle.
    journal.submit(sampleIntent('u-3', { createdAt: 1_003 }));
    expect(() => journal.submit(sampleIntent('u-3', { createdAt: 1_004 }))).toThrow(JournalError);
    journal.settle();
    // A new id of the run still goes through.
    journal.submit(sampleIntent('qrun0000000a4', { createdAt: 1_003 }));
    expect(journal.unsettled).toBe(1);
  });

  it('the log is emptied once it is long and everything in it is committed', () => {
    const { journal } = start();
    const line = intentLine(sampleIntent('l-0000', { createdAt: 1 })).length;
    const needed = Math.ceil((64 * 1024) / line) + 1;
    let cleared = false;
    for (let k = 0; k < needed && !cleared; k++) {
      journal.submit(sampleIntent(`l-${String(k).padStart(4, '0')}`, { createdAt: k }));
      journal.settle();
      cleared = statSync(logFile).size === 0;
    }
    expect(cleared).toBe(true);
    expect(committed().length).toBeGreaterThan((64 * 1024) / line - 1);
  });

  it('without an intent log (an in-memory database) submit commits at once', () => {
    const db = openEngineDatabase({ file, synchronous: 'NORMAL' });
    const journal = new OrderJournal(db, () => 1);
    journal.submit(sampleIntent('m-1', { createdAt: 1 }));
    expect(journal.unsettled).toBe(0);
    expect(committed()).toEqual([{ id: 'm-1', state: 'SENT' }]);
    expect(() => journal.submit(sampleIntent('m-1', { createdAt: 2 }))).toThrow(JournalError);
    db.close();
    expect(existsSync(logFile)).toBe(false);
  });
});

describe('a real SIGKILL between the log write and the SQLite commit', () => {
  it('the next start has every order: the settled ones once, the unsettled ones recovered as SENT', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, '--db', file, '--settled', '3', '--unsettled', '4'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
      child.on('exit', (_code, s) => {
        resolve(s);
      });
    });
    expect(signal, err).toBe('SIGKILL');
    expect(out).toBe('submitted 4\n');
    // SQLite holds only what was settled; the log holds all seven.
    expect(committed().map((r) => r.id)).toEqual(['c-0', 'c-1', 'c-2']);
    expect(parseIntentLog(readFileSync(logFile, 'utf8')).intents).toHaveLength(7);
    const { journal } = start();
    expect(journal.recovery).toEqual({ recovered: ['c-3', 'c-4', 'c-5', 'c-6'], damaged: [], tornBytes: 0 });
    expect(committed()).toEqual(
      ['c-0', 'c-1', 'c-2', 'c-3', 'c-4', 'c-5', 'c-6'].map((id) => ({ id, state: 'SENT' })),
    );
    expect(journal.check()).toMatchObject({ ok: true, orders: 7, events: 7 });
  }, 30_000);
});
