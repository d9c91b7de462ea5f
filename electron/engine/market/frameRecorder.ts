// Optional recording of the raw ticker frames into the engine's database (migration 4), and their
// replay through the same decoder: a session recorded once can be played back into a QuoteBoard,
// bars and strategies as often as wanted. Frames are buffered and written in one transaction every
// `flushMs`, so recording costs a copy per frame on the tick path, never an fsync.
import type { EngineDatabase } from '../store';

/** One recorded frame. */
export interface RecordedFrame {
  readonly seq: number;
  readonly receivedAt: number;
  readonly connection: number;
  readonly frame: Uint8Array;
}

export interface FrameRecorderOptions {
  readonly db: EngineDatabase;
  /** How often buffered frames are written (default 250 ms). */
  readonly flushMs?: number;
  /** Frames buffered at most; beyond it the oldest unwritten are dropped and counted (default 100k). */
  readonly maxBuffered?: number;
}

/** Records frames. Engine thread only; `dispose` writes what is buffered. */
export class FrameRecorder {
  private readonly db: EngineDatabase;
  private buffer: { receivedAt: number; connection: number; frame: Uint8Array }[] = [];
  private readonly maxBuffered: number;
  private readonly timer: ReturnType<typeof setInterval>;
  /** Frames written, and frames dropped because the buffer was full. */
  written = 0;
  dropped = 0;

  constructor(options: FrameRecorderOptions) {
    this.db = options.db;
    this.maxBuffered = options.maxBuffered ?? 100_000;
    this.timer = setInterval(() => {
      this.flush();
    }, options.flushMs ?? 250);
    this.timer.unref();
  }

  /** Keeps a copy of `frame` (the socket's buffer is not ours to hold). Allocates the copy. */
  record(frame: Uint8Array, receivedAt: number, connection = 0): void {
    if (this.buffer.length >= this.maxBuffered) {
      this.buffer.shift();
      this.dropped++;
    }
    this.buffer.push({ receivedAt, connection, frame: frame.slice() });
  }

  /** Writes the buffered frames in one transaction. */
  flush(): void {
    if (this.buffer.length === 0) return;
    const frames = this.buffer;
    this.buffer = [];
    const insert = this.db.sql.prepare(
      'INSERT INTO tick_frames (received_at, connection, frame) VALUES (?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const f of frames) insert.run(f.receivedAt, f.connection, f.frame);
    });
    this.written += frames.length;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.flush();
  }
}

/** Recorded frames received in `[fromMs, toMs]`, oldest first, one at a time (no whole-day array). */
export function* recordedFrames(db: EngineDatabase, fromMs: number, toMs: number): Generator<RecordedFrame> {
  const rows = db.sql
    .prepare<[number, number], { seq: number; received_at: number; connection: number; frame: Buffer }>(
      'SELECT seq, received_at, connection, frame FROM tick_frames WHERE received_at BETWEEN ? AND ? ORDER BY seq',
    )
    .iterate(fromMs, toMs);
  for (const r of rows) {
    yield { seq: r.seq, receivedAt: r.received_at, connection: r.connection, frame: new Uint8Array(r.frame) };
  }
}
