/**
 * The intent log: an append-only file next to the engine's database (`engine.sqlite-intents`) that
 * holds a new order's intent from the moment before its request is written until the order's row is
 * committed to SQLite (OrderJournal.submit and settle).
 *
 * Why: the order path's budget (ARCHITECTURE.md, 100 us from accept to the request's bytes) cannot
 * hold a SQLite commit of the order's rows (two B-tree leaves, six lock calls and four writes, ~60 us
 * at the median after a pause). One `write(2)` of one line can, and it is as durable: like the WAL
 * under `synchronous=NORMAL` it is in the kernel when the call returns, so it survives a crash of
 * the engine (SIGKILL included) and, like NORMAL, not a power cut before the OS writes it out. The
 * order is committed before anything is sent, as the design asks; the SQLite rows follow it in the
 * same turn, after the send.
 *
 * A record is one line: the CRC-32 of the JSON (8 hex digits), a space, the intent as JSON, `\n`. A
 * line without its newline is the tail of a write a crash cut short (power cut): its order was never
 * sent, and it is dropped. At start the journal commits every record whose order is not in SQLite
 * (as SENT: reconciliation then finds it by tag, never by sending it again) and empties the file.
 */
import { closeSync, ftruncateSync, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { OrderIntent } from './orderJournal';

/** What `read` found: the intact records in order, and what was dropped. */
export interface IntentLogContents {
  readonly intents: readonly OrderIntent[];
  /** Lines whose checksum or JSON was wrong (not the torn tail): listed, never replayed. */
  readonly damaged: readonly string[];
  /** Bytes of an unfinished last line (a write cut short), dropped. */
  readonly tornBytes: number;
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/** Encodes one intent as the log's line. */
export function intentLine(intent: OrderIntent): string {
  const json = JSON.stringify(intent);
  return `${hex8(crc32(json))} ${json}\n`;
}

/** Decodes the log's text (see the file's comment for the format). */
export function parseIntentLog(text: string): IntentLogContents {
  const intents: OrderIntent[] = [];
  const damaged: string[] = [];
  const end = text.lastIndexOf('\n') + 1;
  let start = 0;
  let lineNo = 0;
  while (start < end) {
    const nl = text.indexOf('\n', start);
    const line = text.slice(start, nl);
    start = nl + 1;
    lineNo++;
    const space = line.indexOf(' ');
    const json = line.slice(space + 1);
    if (space !== 8 || line.slice(0, 8) !== hex8(crc32(json))) {
      damaged.push(`line ${lineNo}: checksum does not match`);
      continue;
    }
    try {
      const value = JSON.parse(json) as OrderIntent;
      if (typeof value.clientOrderId !== 'string') throw new Error('no client order id');
      intents.push(value);
    } catch (e) {
      damaged.push(`line ${lineNo}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { intents, damaged, tornBytes: Buffer.byteLength(text.slice(end)) };
}

/** The intent log of the database `file` (none for an in-memory database). */
export function intentLogFileFor(file: string): string | undefined {
  return file === '' || file === ':memory:' || file.startsWith('file::memory:')
    ? undefined
    : `${file}-intents`;
}

/** The log file, open for appending. Synchronous, on the engine's thread. */
export class IntentLog {
  private fd: number;
  private bytes: number;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'a+');
    this.bytes = fstatSync(this.fd).size;
  }

  /** Appends `intent` with one write; durable against a crash of this process when it returns. */
  append(intent: OrderIntent): void {
    // The string itself, not a Buffer of it: Node encodes a short one on the stack, no copy.
    const line = intentLine(intent);
    let written = 0;
    try {
      written = writeSync(this.fd, line);
      const length = Buffer.byteLength(line);
      if (written !== length) throw new Error(`wrote ${written} of ${length} bytes`);
    } catch (e) {
      // A short or failed write (a full disk) leaves no part of a line for the next one to join.
      if (written > 0) ftruncateSync(this.fd, this.bytes);
      throw new Error(`intent log ${this.file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    this.bytes += written;
  }

  /** The file's records (for the start's recovery and tests). */
  read(): IntentLogContents {
    return parseIntentLog(readFileSync(this.file, 'utf8'));
  }

  /** Bytes in the file. */
  get size(): number {
    return this.bytes;
  }

  /** Empties the file: call only when every record in it is committed to SQLite. */
  clear(): void {
    ftruncateSync(this.fd, 0);
    this.bytes = 0;
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
