/**
 * Kite's binary market-data frames (kite-protocol.md section 7.3-7.4) decoded straight into
 * native/'s QuoteBoard, with every read bounds-checked and nothing allocated per tick.
 *
 * A frame is `[uint16 packet count]` then per packet `[uint16 length][packet]`; a 1-byte frame is a
 * heartbeat. Packet layouts are chosen by length, as the official client does: 8 (ltp), 28 / 32
 * (index quote / full), 44 / 184 (tradable quote / full). Prices stay integers in the wire unit
 * (price x divisor); nothing is divided here.
 */
import { QuoteF64, QuoteI32 } from '../../../../native/quoteBoard';
import type { QuoteBoard } from '../../../../native/quoteBoard';
import {
  DEPTH_ENTRY_BYTES,
  DEPTH_LEVELS,
  INDEX,
  PACKET_LENGTH,
  TRADABLE,
} from '../../../../shared/kite/tickPacket';

/** Why a frame was refused. A refused frame changes nothing on the board. */
export type MalformedReason =
  /** Zero bytes. */
  | 'empty'
  /** The packet count promises more packets than the frame has room for a length prefix of. */
  | 'truncatedLength'
  /** A packet's length runs past the end of the frame. */
  | 'truncatedPacket'
  /** Bytes left over after the last counted packet (the count or a length is wrong). */
  | 'trailingBytes'
  /** Larger than `MAX_FRAME_BYTES` (no Kite frame is: 3000 full packets are ~558 kB). */
  | 'tooLarge'
  /** `decodeView` was given a range outside its view (a caller bug, refused rather than thrown). */
  | 'badRange';

/** Largest frame `decode` copies; larger ones are refused as `tooLarge` instead of growing the scratch. */
export const MAX_FRAME_BYTES = 1 << 22;

/**
 * Called after each packet is written to the board (the row's update is already published).
 * `packetLength` says which layout it was: 8, 28, 32, 44 or 184 (`PACKET_LENGTH`). Runs on the
 * decoding thread inside `decode`; it must not call `decode` again. A throw is caught and counted.
 */
export type TickListener = (instrumentToken: number, row: number, packetLength: number) => void;

/** Called once per refused frame, on the decoding thread. May allocate (refusals are rare). */
export type MalformedListener = (reason: MalformedReason, frameBytes: number) => void;

/** Counters since the decoder was made. Plain numbers, read at any time on the decoding thread. */
export interface DecodeStats {
  /** Frames seen, heartbeats and refused ones included. */
  readonly frames: number;
  readonly heartbeats: number;
  /** Packets written into the board. */
  readonly ticks: number;
  /** Well-framed packets of a length no layout has (skipped, as the official client does). */
  readonly unknownLengths: number;
  /** Well-formed packets for a token with no board row (not subscribed here; skipped). */
  readonly unknownTokens: number;
  /** Frames refused (see `MalformedReason`). */
  readonly malformed: number;
  readonly lastMalformed: MalformedReason | undefined;
  /** Exceptions thrown by the tick listener (caught; the rest of the frame was still applied). */
  readonly listenerErrors: number;
  readonly lastListenerError: unknown;
}

export interface TickDecoderOptions {
  readonly onTick?: TickListener;
  readonly onMalformed?: MalformedListener;
  /** Initial scratch size; it grows (allocating, rarely) up to `MAX_FRAME_BYTES`. Default 64 KiB. */
  readonly scratchBytes?: number;
}

// Offsets hoisted out of the imported objects once: under CommonJS interop (tsx, vitest) every read
// of an imported object's property goes through a getter, which the per-field hot path must not pay.
const ROW_TOKEN = QuoteI32.token;
const LAST_PRICE = QuoteI32.lastPrice;
const AVERAGE_PRICE = QuoteI32.averagePrice;
const OPEN = QuoteI32.open;
const HIGH = QuoteI32.high;
const LOW = QuoteI32.low;
const CLOSE = QuoteI32.close;
const BID_PRICE = QuoteI32.bidPrice;
const ASK_PRICE = QuoteI32.askPrice;
const BID_ORDERS = QuoteI32.bidOrders;
const ASK_ORDERS = QuoteI32.askOrders;
const LAST_QUANTITY = QuoteF64.lastQuantity;
const VOLUME = QuoteF64.volume;
const BUY_QUANTITY = QuoteF64.totalBuyQuantity;
const SELL_QUANTITY = QuoteF64.totalSellQuantity;
const LAST_TRADE_TIME = QuoteF64.lastTradeTime;
const EXCHANGE_TIME = QuoteF64.exchangeTime;
const OI = QuoteF64.oi;
const OI_DAY_HIGH = QuoteF64.oiDayHigh;
const OI_DAY_LOW = QuoteF64.oiDayLow;
const BID_QUANTITY = QuoteF64.bidQuantity;
const ASK_QUANTITY = QuoteF64.askQuantity;

const LTP = PACKET_LENGTH.ltp;
const INDEX_QUOTE = PACKET_LENGTH.indexQuote;
const INDEX_FULL = PACKET_LENGTH.indexFull;
const QUOTE = PACKET_LENGTH.quote;
const FULL = PACKET_LENGTH.full;

const T_LAST_QUANTITY = TRADABLE.lastQuantity;
const T_AVERAGE_PRICE = TRADABLE.averagePrice;
const T_VOLUME = TRADABLE.volume;
const T_BUY_QUANTITY = TRADABLE.buyQuantity;
const T_SELL_QUANTITY = TRADABLE.sellQuantity;
const T_OPEN = TRADABLE.open;
const T_HIGH = TRADABLE.high;
const T_LOW = TRADABLE.low;
const T_CLOSE = TRADABLE.close;
const T_LAST_TRADE_TIME = TRADABLE.lastTradeTime;
const T_OI = TRADABLE.oi;
const T_OI_DAY_HIGH = TRADABLE.oiDayHigh;
const T_OI_DAY_LOW = TRADABLE.oiDayLow;
const T_EXCHANGE_TIMESTAMP = TRADABLE.exchangeTimestamp;
const T_BIDS = TRADABLE.depth;
const T_ASKS = TRADABLE.depth + DEPTH_LEVELS * DEPTH_ENTRY_BYTES;
const I_HIGH = INDEX.high;
const I_LOW = INDEX.low;
const I_OPEN = INDEX.open;
const I_CLOSE = INDEX.close;
const I_EXCHANGE_TIMESTAMP = INDEX.exchangeTimestamp;
const ENTRY = DEPTH_ENTRY_BYTES;
const LEVELS = DEPTH_LEVELS;

/**
 * Token -> board row, as an open-addressed table in two Int32Arrays (about a third of a Map's
 * lookup cost here, and certain not to allocate). Rows are never removed (the board has none), so
 * linear probing needs no tombstones. Sized at twice the board's capacity: at most half full.
 */
class TokenRows {
  private readonly keys: Int32Array;
  private readonly values: Int32Array;
  private readonly shift: number;
  private readonly mask: number;

  constructor(boardCapacity: number) {
    const bits = Math.max(4, 32 - Math.clz32(boardCapacity * 2 - 1));
    this.keys = new Int32Array(1 << bits);
    this.values = new Int32Array(1 << bits).fill(-1);
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
  }

  /** The row of `token` (a uint32), or -1. */
  get(token: number): number {
    const key = token | 0;
    let h = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const row = this.values[h] ?? -1;
      if (row < 0 || this.keys[h] === key) return row;
      h = (h + 1) & this.mask;
    }
  }

  /** Records `row` for `token`, which must not be in the table yet. */
  add(token: number, row: number): void {
    const key = token | 0;
    let h = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while ((this.values[h] ?? -1) >= 0) h = (h + 1) & this.mask;
    this.keys[h] = key;
    this.values[h] = row;
  }
}

/**
 * Decodes Kite frames into a QuoteBoard. Each instrument gets its board row once (`ensureRow`, on
 * subscribe); a packet for a token without a row is skipped and counted.
 *
 * A frame is checked whole before anything is written: its packet count and lengths must cover its
 * bytes exactly, or the frame is refused (counted, reported to `onMalformed`) and the board is left
 * as it was. Reads never leave the frame. Within an accepted frame a packet of unknown length is
 * skipped, as the official client does. Each packet writes only the fields its layout carries
 * (an ltp packet moves only the last price; depth stays as the last full packet left it), under
 * the row's seqlock.
 *
 * Field conventions (the board's): prices are signed int32 wire units, as Kite and the official
 * client read them. Quantities, volume, OI and depth orders are read unsigned: the official client
 * reads them as signed int32 and turns values >= 2^31 negative (kite-protocol.md section 7.5).
 * Times are Kite's unix seconds x 1000 (ms since the epoch, UTC); 0 means none.
 *
 * Threading: the decoder is the board's single writer. One thread only (the one the socket
 * callbacks run on) for the life of the board: `ensureRow`, `decode`, `decodeView`. `decode` and
 * `decodeView` allocate nothing unless a frame outgrows the scratch.
 */
export class TickDecoder {
  readonly board: QuoteBoard;
  private readonly rows: TokenRows;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private scratch: Uint8Array;
  private scratchView: DataView;
  private readonly onTick: TickListener | undefined;
  private readonly onMalformed: MalformedListener | undefined;
  private readonly counts = {
    frames: 0,
    heartbeats: 0,
    ticks: 0,
    unknownLengths: 0,
    unknownTokens: 0,
    malformed: 0,
    lastMalformed: undefined as MalformedReason | undefined,
    listenerErrors: 0,
    lastListenerError: undefined as unknown,
  };

  /** Indexes the rows `board` already has (an attached board keeps its rows). Allocates; once. */
  constructor(board: QuoteBoard, options: TickDecoderOptions = {}) {
    this.board = board;
    this.rows = new TokenRows(board.capacity);
    this.i32 = board.i32;
    this.f64 = board.f64;
    this.onTick = options.onTick;
    this.onMalformed = options.onMalformed;
    this.scratch = new Uint8Array(Math.min(MAX_FRAME_BYTES, Math.max(256, options.scratchBytes ?? 1 << 16)));
    this.scratchView = new DataView(this.scratch.buffer);
    for (let r = 0; r < board.rows; r++) {
      this.rows.add(this.i32[board.i32Base(r) + ROW_TOKEN] ?? 0, r);
    }
  }

  /** The counters (a live view: read the fields when needed, do not keep the object as a snapshot). */
  get stats(): DecodeStats {
    return this.counts;
  }

  /** The board row of `instrumentToken`, or -1. */
  rowOf(instrumentToken: number): number {
    const valid = Number.isInteger(instrumentToken) && instrumentToken > 0 && instrumentToken <= 0xffffffff;
    return valid ? this.rows.get(instrumentToken) : -1;
  }

  /**
   * The row of `instrumentToken`, given one on the board if it has none. Rows are never taken
   * back (the board has no removal), so a token keeps its row across unsubscribe and subscribe, and
   * across decoders on the same board (found by a scan the first time a decoder sees the token).
   * Throws a RangeError for a token that is not a uint32 or when the board is full.
   */
  ensureRow(instrumentToken: number): number {
    if (!Number.isInteger(instrumentToken) || instrumentToken <= 0 || instrumentToken > 0xffffffff) {
      throw new RangeError(`instrument_token must be a positive uint32 (got ${instrumentToken})`);
    }
    const existing = this.rows.get(instrumentToken);
    if (existing >= 0) return existing;
    // The board outlives a decoder (a new login makes a new pool and decoder on the same board):
    // reuse the token's row, so readers keep reading the row that is written.
    const onBoard = this.board.findRow(instrumentToken);
    if (onBoard >= 0) {
      this.rows.add(instrumentToken, onBoard);
      return onBoard;
    }
    const row = this.board.addInstrument(instrumentToken | 0);
    this.rows.add(instrumentToken, row);
    return row;
  }

  /**
   * Decodes one WebSocket message. Copies it into the decoder's scratch (so no view is made per
   * frame) and returns the number of packets written to the board. Never throws.
   */
  decode(frame: Uint8Array): number {
    const n = frame.byteLength;
    if (n > this.scratch.byteLength) {
      if (n > MAX_FRAME_BYTES) {
        this.counts.frames++;
        return this.refuse('tooLarge', n);
      }
      let size = this.scratch.byteLength * 2;
      while (size < n) size *= 2;
      this.scratch = new Uint8Array(Math.min(size, MAX_FRAME_BYTES));
      this.scratchView = new DataView(this.scratch.buffer);
    }
    this.scratch.set(frame);
    return this.decodeView(this.scratchView, 0, n);
  }

  /**
   * Decodes the frame in `view` at bytes [start, end) without copying: for recorded frames replayed
   * from storage, and for tests. Returns the packets written to the board. Never throws, and never
   * reads outside [start, end).
   */
  decodeView(view: DataView, start: number, end: number): number {
    const c = this.counts;
    c.frames++;
    if (!(start >= 0 && end >= start && end <= view.byteLength)) return this.refuse('badRange', end - start);
    const n = end - start;
    if (n === 1) {
      c.heartbeats++;
      return 0;
    }
    if (n === 0) return this.refuse('empty', 0);
    const count = view.getUint16(start);

    // Pass 1: the framing alone. Nothing is written unless every length fits.
    let p = start + 2;
    for (let k = 0; k < count; k++) {
      if (p + 2 > end) return this.refuse('truncatedLength', n);
      p += 2 + view.getUint16(p);
      if (p > end) return this.refuse('truncatedPacket', n);
    }
    if (p !== end) return this.refuse('trailingBytes', n);

    // Pass 2: every packet lies inside the frame; each layout reads only within its own length.
    p = start + 2;
    let written = 0;
    for (let k = 0; k < count; k++) {
      const length = view.getUint16(p);
      const at = p + 2;
      p = at + length;
      if (
        length !== LTP &&
        length !== QUOTE &&
        length !== FULL &&
        length !== INDEX_QUOTE &&
        length !== INDEX_FULL
      ) {
        c.unknownLengths++;
        continue;
      }
      const token = view.getUint32(at);
      const row = this.rows.get(token);
      if (row < 0) {
        c.unknownTokens++;
        continue;
      }
      this.write(view, at, length, row);
      written++;
      const onTick = this.onTick;
      if (onTick !== undefined) {
        try {
          onTick(token, row, length);
        } catch (e) {
          c.listenerErrors++;
          c.lastListenerError = e;
        }
      }
    }
    c.ticks += written;
    return written;
  }

  private refuse(reason: MalformedReason, bytes: number): number {
    const c = this.counts;
    c.malformed++;
    c.lastMalformed = reason;
    const report = this.onMalformed;
    if (report !== undefined) {
      try {
        report(reason, bytes);
      } catch (e) {
        c.listenerErrors++;
        c.lastListenerError = e;
      }
    }
    return 0;
  }

  /** Writes one packet (its bounds already checked) into `row` under the seqlock. */
  private write(v: DataView, at: number, length: number, row: number): void {
    const board = this.board;
    const i32 = this.i32;
    const f64 = this.f64;
    const ib = board.i32Base(row);
    const fb = board.f64Base(row);
    board.beginUpdate(row);
    i32[ib + LAST_PRICE] = v.getInt32(at + 4);
    if (length === FULL || length === QUOTE) {
      f64[fb + LAST_QUANTITY] = v.getUint32(at + T_LAST_QUANTITY);
      i32[ib + AVERAGE_PRICE] = v.getInt32(at + T_AVERAGE_PRICE);
      f64[fb + VOLUME] = v.getUint32(at + T_VOLUME);
      f64[fb + BUY_QUANTITY] = v.getUint32(at + T_BUY_QUANTITY);
      f64[fb + SELL_QUANTITY] = v.getUint32(at + T_SELL_QUANTITY);
      i32[ib + OPEN] = v.getInt32(at + T_OPEN);
      i32[ib + HIGH] = v.getInt32(at + T_HIGH);
      i32[ib + LOW] = v.getInt32(at + T_LOW);
      i32[ib + CLOSE] = v.getInt32(at + T_CLOSE);
      if (length === FULL) {
        f64[fb + LAST_TRADE_TIME] = v.getUint32(at + T_LAST_TRADE_TIME) * 1000;
        f64[fb + OI] = v.getUint32(at + T_OI);
        f64[fb + OI_DAY_HIGH] = v.getUint32(at + T_OI_DAY_HIGH);
        f64[fb + OI_DAY_LOW] = v.getUint32(at + T_OI_DAY_LOW);
        f64[fb + EXCHANGE_TIME] = v.getUint32(at + T_EXCHANGE_TIMESTAMP) * 1000;
        for (let e = 0; e < LEVELS; e++) {
          const bid = at + T_BIDS + e * ENTRY;
          const ask = at + T_ASKS + e * ENTRY;
          f64[fb + BID_QUANTITY + e] = v.getUint32(bid);
          i32[ib + BID_PRICE + e] = v.getInt32(bid + 4);
          i32[ib + BID_ORDERS + e] = v.getUint16(bid + 8);
          f64[fb + ASK_QUANTITY + e] = v.getUint32(ask);
          i32[ib + ASK_PRICE + e] = v.getInt32(ask + 4);
          i32[ib + ASK_ORDERS + e] = v.getUint16(ask + 8);
        }
      }
    } else if (length !== LTP) {
      // Index quote / full: high, low, open, close (not the tradables' order). The price change at
      // 24-28 is not kept: readers derive it from last price and close.
      i32[ib + HIGH] = v.getInt32(at + I_HIGH);
      i32[ib + LOW] = v.getInt32(at + I_LOW);
      i32[ib + OPEN] = v.getInt32(at + I_OPEN);
      i32[ib + CLOSE] = v.getInt32(at + I_CLOSE);
      if (length === INDEX_FULL) f64[fb + EXCHANGE_TIME] = v.getUint32(at + I_EXCHANGE_TIMESTAMP) * 1000;
    }
    board.endUpdate(row);
  }
}
