/**
 * Kite's binary market-data frames (kite-protocol.md section 7): the layout written by the local
 * exchange and read by the engine's ticker client. All fields are big-endian 32-bit integers unless
 * noted; prices are in the instrument's wire unit (price x divisor).
 *
 * A frame: [uint16 packet count] then per packet [uint16 packet length][packet bytes].
 */

/** Packet lengths by mode. Tradables: 8 / 44 / 184. Indices (segment 9): 8 / 28 / 32. */
export const PACKET_LENGTH = {
  ltp: 8,
  indexQuote: 28,
  indexFull: 32,
  quote: 44,
  full: 184,
} as const;

/** Byte offsets within a tradable quote/full packet. */
export const TRADABLE = {
  token: 0,
  lastPrice: 4,
  lastQuantity: 8,
  averagePrice: 12,
  volume: 16,
  buyQuantity: 20,
  sellQuantity: 24,
  open: 28,
  high: 32,
  low: 36,
  close: 40,
  lastTradeTime: 44,
  oi: 48,
  oiDayHigh: 52,
  oiDayLow: 56,
  exchangeTimestamp: 60,
  depth: 64,
} as const;

/** Byte offsets within an index quote/full packet (note: high, low, open, close order). */
export const INDEX = {
  token: 0,
  lastPrice: 4,
  high: 8,
  low: 12,
  open: 16,
  close: 20,
  change: 24,
  exchangeTimestamp: 28,
} as const;

/** One depth entry: quantity (int32), price (int32), orders (uint16), 2 bytes padding. */
export const DEPTH_ENTRY_BYTES = 12;
/** Depth levels per side; bids come first (entries 0-4), then asks (5-9). */
export const DEPTH_LEVELS = 5;

/** The segment byte of index tokens. */
export const INDICES_SEGMENT = 9;

/** Subscription modes, as in Kite's `mode` message. */
export type TickMode = 'ltp' | 'quote' | 'full';

/** One depth level, in wire units. */
export interface DepthLevel {
  readonly price: number;
  readonly quantity: number;
  readonly orders: number;
}

/**
 * What the exchange knows of an instrument at an instant, in wire units (integers). Fields a mode
 * does not carry are ignored when encoding it.
 */
export interface TickSnapshot {
  readonly instrumentToken: number;
  readonly lastPrice: number;
  readonly lastQuantity: number;
  readonly averagePrice: number;
  readonly volume: number;
  readonly buyQuantity: number;
  readonly sellQuantity: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  /** Previous close. */
  readonly close: number;
  /** Unix seconds; 0 when none. */
  readonly lastTradeTime: number;
  readonly oi: number;
  readonly oiDayHigh: number;
  readonly oiDayLow: number;
  /** Unix seconds. */
  readonly exchangeTimestamp: number;
  readonly bids: readonly DepthLevel[];
  readonly asks: readonly DepthLevel[];
}

/** The packet length for `mode` and this token's segment. */
export function packetLength(instrumentToken: number, mode: TickMode): number {
  const isIndex = (instrumentToken & 0xff) === INDICES_SEGMENT;
  if (mode === 'ltp') return PACKET_LENGTH.ltp;
  if (isIndex) return mode === 'quote' ? PACKET_LENGTH.indexQuote : PACKET_LENGTH.indexFull;
  return mode === 'quote' ? PACKET_LENGTH.quote : PACKET_LENGTH.full;
}

/**
 * Writes frames into one reusable buffer: `begin()`, `add()` per instrument, `finish()` returns a
 * view of the bytes written (valid until the next `begin()`). Grows the buffer when a frame needs
 * more room; otherwise allocates nothing per frame.
 */
export class TickFrameWriter {
  private bytes: Uint8Array;
  private view: DataView;
  private offset = 0;
  private count = 0;

  constructor(initialBytes = 64 * 1024) {
    this.bytes = new Uint8Array(initialBytes);
    this.view = new DataView(this.bytes.buffer);
  }

  begin(): void {
    this.offset = 2;
    this.count = 0;
  }

  /** Appends one packet for `tick` in `mode`. */
  add(tick: TickSnapshot, mode: TickMode): void {
    const length = packetLength(tick.instrumentToken, mode);
    if (this.count === 0xffff) throw new RangeError('a frame holds at most 65535 packets');
    this.ensure(2 + length);
    const v = this.view;
    v.setUint16(this.offset, length);
    const p = this.offset + 2;
    this.bytes.fill(0, p, p + length);
    v.setUint32(p, tick.instrumentToken);
    v.setInt32(p + 4, tick.lastPrice);
    if (length === PACKET_LENGTH.indexQuote || length === PACKET_LENGTH.indexFull) {
      v.setInt32(p + INDEX.high, tick.high);
      v.setInt32(p + INDEX.low, tick.low);
      v.setInt32(p + INDEX.open, tick.open);
      v.setInt32(p + INDEX.close, tick.close);
      v.setInt32(p + INDEX.change, tick.lastPrice - tick.close);
      if (length === PACKET_LENGTH.indexFull)
        v.setUint32(p + INDEX.exchangeTimestamp, tick.exchangeTimestamp);
    } else if (length !== PACKET_LENGTH.ltp) {
      v.setUint32(p + TRADABLE.lastQuantity, tick.lastQuantity);
      v.setInt32(p + TRADABLE.averagePrice, tick.averagePrice);
      v.setUint32(p + TRADABLE.volume, tick.volume);
      v.setUint32(p + TRADABLE.buyQuantity, tick.buyQuantity);
      v.setUint32(p + TRADABLE.sellQuantity, tick.sellQuantity);
      v.setInt32(p + TRADABLE.open, tick.open);
      v.setInt32(p + TRADABLE.high, tick.high);
      v.setInt32(p + TRADABLE.low, tick.low);
      v.setInt32(p + TRADABLE.close, tick.close);
      if (length === PACKET_LENGTH.full) {
        v.setUint32(p + TRADABLE.lastTradeTime, tick.lastTradeTime);
        v.setUint32(p + TRADABLE.oi, tick.oi);
        v.setUint32(p + TRADABLE.oiDayHigh, tick.oiDayHigh);
        v.setUint32(p + TRADABLE.oiDayLow, tick.oiDayLow);
        v.setUint32(p + TRADABLE.exchangeTimestamp, tick.exchangeTimestamp);
        this.writeDepth(p + TRADABLE.depth, tick.bids);
        this.writeDepth(p + TRADABLE.depth + DEPTH_LEVELS * DEPTH_ENTRY_BYTES, tick.asks);
      }
    }
    this.offset = p + length;
    this.count++;
  }

  /** The finished frame: a view into the writer's buffer, valid until the next begin(). */
  finish(): Uint8Array {
    this.view.setUint16(0, this.count);
    return this.bytes.subarray(0, this.offset);
  }

  private writeDepth(at: number, levels: readonly DepthLevel[]): void {
    for (let i = 0; i < DEPTH_LEVELS; i++) {
      const level = levels[i];
      if (level === undefined) continue; // left zero: an empty level
      const e = at + i * DEPTH_ENTRY_BYTES;
      this.view.setUint32(e, level.quantity);
      this.view.setInt32(e + 4, level.price);
      this.view.setUint16(e + 8, level.orders);
    }
  }

  private ensure(extra: number): void {
    if (this.offset + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.offset + extra));
    grown.set(this.bytes.subarray(0, this.offset));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
}

/** A frame is a heartbeat when it is a single byte (Kite sends one about every second). */
export function isHeartbeat(frame: Uint8Array): boolean {
  return frame.byteLength === 1;
}
