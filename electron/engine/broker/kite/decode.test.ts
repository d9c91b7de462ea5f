// The decoder against the official kiteconnect parser (the reference for what a frame means), and
// against frames no server should send (they must be refused whole, without a throw or a read past
// the frame).
import fc from 'fast-check';
import { KiteTicker } from 'kiteconnect';
import { describe, expect, it } from 'vitest';
import { QuoteBoard, QuoteF64, QuoteI32 } from '../../../../native/quoteBoard';
import { TickFrameWriter } from '../../../../shared/kite/tickPacket';
import type { TickMode, TickSnapshot } from '../../../../shared/kite/tickPacket';
import { MAX_FRAME_BYTES, TickDecoder } from './decode';
import type { MalformedReason } from './decode';

const SEED = 20260515;

const official = new KiteTicker({ api_key: 'k', access_token: 't' }) as unknown as {
  parseBinary(data: ArrayBuffer): OfficialTick[];
};

interface OfficialDepth {
  readonly quantity: number;
  readonly price: number;
  readonly orders: number;
}
/** What the official parser returns (kite-protocol.md section 7.5), loosely typed. */
interface OfficialTick {
  readonly tradable: boolean;
  readonly mode: string;
  readonly instrument_token: number;
  readonly last_price: number;
  readonly last_traded_quantity?: number;
  readonly average_traded_price?: number;
  readonly volume_traded?: number;
  readonly total_buy_quantity?: number;
  readonly total_sell_quantity?: number;
  readonly ohlc?: {
    readonly open: number;
    readonly high: number;
    readonly low: number;
    readonly close: number;
  };
  readonly change?: number;
  readonly last_trade_time?: Date | null;
  readonly exchange_timestamp?: Date | null;
  readonly oi?: number;
  readonly oi_day_high?: number;
  readonly oi_day_low?: number;
  readonly depth?: { readonly buy: readonly OfficialDepth[]; readonly sell: readonly OfficialDepth[] };
}

function parseOfficial(frame: Uint8Array): OfficialTick[] {
  return official.parseBinary(frame.slice().buffer);
}

function divisorOf(token: number): number {
  const segment = token & 0xff;
  return segment === 3 ? 1e7 : segment === 6 ? 1e4 : 100;
}

const MODE_OF_LENGTH: Readonly<Record<number, string>> = {
  8: 'ltp',
  28: 'quote',
  32: 'full',
  44: 'quote',
  184: 'full',
};

/** One decoded packet as the board holds it right after the write (copied in the tick listener). */
interface Decoded {
  readonly token: number;
  readonly length: number;
  readonly i32: Int32Array;
  readonly f64: Float64Array;
}

/** A decoder over a fresh board with a row for each of `tokens`, recording every tick it writes. */
function harness(tokens: readonly number[], scratchBytes?: number) {
  const board = QuoteBoard.create(Math.max(1, tokens.length));
  const decoded: Decoded[] = [];
  const malformed: MalformedReason[] = [];
  const snap = QuoteBoard.snapshot();
  const decoder = new TickDecoder(board, {
    onTick: (token, row, length) => {
      board.read(row, snap);
      decoded.push({ token, length, i32: snap.i32.slice(), f64: snap.f64.slice() });
    },
    onMalformed: (reason) => malformed.push(reason),
    ...(scratchBytes === undefined ? {} : { scratchBytes }),
  });
  for (const t of tokens) decoder.ensureRow(t);
  return { board, decoder, decoded, malformed };
}

/**
 * Compares our board row with the official parser's tick, field by field, and returns the first
 * difference (or undefined). Prices: ours are wire units, the official's are divided by the same
 * divisor. Unsigned fields: the official reads them as signed int32, so we compare modulo 2^32.
 * Index `change` with close 0 is the raw int at bytes 24-28 in the official tick; the board does
 * not keep it (every other `change` is derived from last price and close, and checked so).
 */
function difference(ours: Decoded, o: OfficialTick): string | undefined {
  const d = divisorOf(ours.token);
  const i = (k: number): number => ours.i32[k] ?? NaN;
  const f = (k: number): number => ours.f64[k] ?? NaN;
  const checks: [string, unknown, unknown][] = [];
  const price = (name: string, k: number, theirs: number | undefined): void => {
    checks.push([name, i(k) / d, theirs]);
  };
  const unsigned = (name: string, value: number, theirs: number | undefined): void => {
    checks.push([name, value, theirs === undefined ? undefined : theirs >>> 0]);
    if (!(value >= 0 && value <= 0xffffffff)) checks.push([`${name} in uint32`, true, false]);
  };
  const time = (name: string, ms: number, theirs: Date | null | undefined): void => {
    // Ours is the unsigned reading; the official one is signed (dates past 2038 come out before 1970).
    checks.push([
      name,
      ms === 0 ? null : ((ms / 1000) | 0) * 1000,
      theirs === null ? null : theirs?.getTime(),
    ]);
  };
  const lengthMode = MODE_OF_LENGTH[ours.length];
  checks.push(['mode', lengthMode, o.mode]);
  checks.push(['instrument_token', ours.token, o.instrument_token]);
  checks.push(['tradable', (ours.token & 0xff) !== 9, o.tradable]);
  price('last_price', QuoteI32.lastPrice, o.last_price);
  const change = (): number => {
    const lp = i(QuoteI32.lastPrice) / d;
    const close = i(QuoteI32.close) / d;
    return ((lp - close) * 100) / close;
  };
  if (ours.length === 28 || ours.length === 32) {
    price('high', QuoteI32.high, o.ohlc?.high);
    price('low', QuoteI32.low, o.ohlc?.low);
    price('open', QuoteI32.open, o.ohlc?.open);
    price('close', QuoteI32.close, o.ohlc?.close);
    if (i(QuoteI32.close) !== 0) checks.push(['change', change(), o.change]);
    if (ours.length === 32) time('exchange_timestamp', f(QuoteF64.exchangeTime), o.exchange_timestamp);
  } else if (ours.length === 44 || ours.length === 184) {
    unsigned('last_traded_quantity', f(QuoteF64.lastQuantity), o.last_traded_quantity);
    price('average_traded_price', QuoteI32.averagePrice, o.average_traded_price);
    unsigned('volume_traded', f(QuoteF64.volume), o.volume_traded);
    unsigned('total_buy_quantity', f(QuoteF64.totalBuyQuantity), o.total_buy_quantity);
    unsigned('total_sell_quantity', f(QuoteF64.totalSellQuantity), o.total_sell_quantity);
    price('open', QuoteI32.open, o.ohlc?.open);
    price('high', QuoteI32.high, o.ohlc?.high);
    price('low', QuoteI32.low, o.ohlc?.low);
    price('close', QuoteI32.close, o.ohlc?.close);
    checks.push(['change', i(QuoteI32.close) === 0 ? 0 : change(), o.change]);
    if (ours.length === 184) {
      time('last_trade_time', f(QuoteF64.lastTradeTime), o.last_trade_time);
      time('exchange_timestamp', f(QuoteF64.exchangeTime), o.exchange_timestamp);
      unsigned('oi', f(QuoteF64.oi), o.oi);
      unsigned('oi_day_high', f(QuoteF64.oiDayHigh), o.oi_day_high);
      unsigned('oi_day_low', f(QuoteF64.oiDayLow), o.oi_day_low);
      for (let e = 0; e < 5; e++) {
        const buy = o.depth?.buy[e];
        const sell = o.depth?.sell[e];
        unsigned(`bid ${e} quantity`, f(QuoteF64.bidQuantity + e), buy?.quantity);
        price(`bid ${e} price`, QuoteI32.bidPrice + e, buy?.price);
        checks.push([`bid ${e} orders`, i(QuoteI32.bidOrders + e), buy?.orders]);
        unsigned(`ask ${e} quantity`, f(QuoteF64.askQuantity + e), sell?.quantity);
        price(`ask ${e} price`, QuoteI32.askPrice + e, sell?.price);
        checks.push([`ask ${e} orders`, i(QuoteI32.askOrders + e), sell?.orders]);
      }
    }
  }
  for (const [name, a, b] of checks) {
    if (!Object.is(a, b)) return `${name}: ours ${String(a)}, official ${String(b)} (token ${ours.token})`;
  }
  return undefined;
}

/** Compares what we wrote for a frame with the official parse of the same bytes. */
function frameDifference(
  decoded: readonly Decoded[],
  officialTicks: readonly OfficialTick[],
): string | undefined {
  if (decoded.length !== officialTicks.length)
    return `ticks: ours ${decoded.length}, official ${officialTicks.length}`;
  for (let k = 0; k < decoded.length; k++) {
    const ours = decoded[k];
    const theirs = officialTicks[k];
    if (ours === undefined || theirs === undefined) return `tick ${k} missing`;
    const diff = difference(ours, theirs);
    if (diff !== undefined) return `tick ${k}: ${diff}`;
  }
  return undefined;
}

// A fixed set of instruments: every segment, exchange tokens across their whole 23-bit range.
const SEGMENTS = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
const TOKENS: number[] = (() => {
  let x = SEED;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const out: number[] = [];
  for (const segment of SEGMENTS) {
    out.push((1 << 8) | segment, ((2 ** 23 - 1) << 8) | segment); // the extremes
    for (let k = 0; k < 14; k++) out.push(((1 + (next() % (2 ** 23 - 1))) << 8) | segment);
  }
  return [...new Set(out)];
})();

const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const uint32 = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 2 ** 31 - 1 }) },
  { weight: 2, arbitrary: fc.integer({ min: 2 ** 31, max: 2 ** 32 - 1 }) },
);
const price = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 6, arbitrary: int32 });
const level = fc.record({ price, quantity: uint32, orders: fc.integer({ min: 0, max: 65535 }) });
const snapshotOf = (instrumentToken: number) =>
  fc.record({
    instrumentToken: fc.constant(instrumentToken),
    lastPrice: price,
    lastQuantity: uint32,
    averagePrice: price,
    volume: uint32,
    buyQuantity: uint32,
    sellQuantity: uint32,
    open: price,
    high: price,
    low: price,
    close: price,
    lastTradeTime: uint32,
    oi: uint32,
    oiDayHigh: uint32,
    oiDayLow: uint32,
    exchangeTimestamp: uint32,
    bids: fc.array(level, { maxLength: 5 }),
    asks: fc.array(level, { maxLength: 5 }),
  });
const packet = fc
  .constantFrom(...TOKENS)
  .chain((token) => fc.tuple(snapshotOf(token), fc.constantFrom<TickMode>('ltp', 'quote', 'full')));
/** A valid frame: 1 to 3 packets of any kind, for instruments of every segment. */
const validFrame = fc.array(packet, { minLength: 1, maxLength: 3 });

const writer = new TickFrameWriter(1024);
function frameOf(batch: readonly (readonly [TickSnapshot, TickMode])[]): Uint8Array {
  writer.begin();
  for (const [s, m] of batch) writer.add(s, m);
  return writer.finish().slice();
}

const reliance: TickSnapshot = {
  instrumentToken: 738561,
  lastPrice: 295005,
  lastQuantity: 12,
  averagePrice: 294870,
  volume: 3_456_789,
  buyQuantity: 120_000,
  sellQuantity: 98_000,
  open: 293000,
  high: 296000,
  low: 292550,
  close: 292000,
  lastTradeTime: 1_795_500_000,
  oi: 0,
  oiDayHigh: 0,
  oiDayLow: 0,
  exchangeTimestamp: 1_795_500_001,
  bids: [
    { price: 295000, quantity: 150, orders: 3 },
    { price: 294995, quantity: 40, orders: 1 },
  ],
  asks: [{ price: 295010, quantity: 75, orders: 2 }],
};
const nifty: TickSnapshot = { ...reliance, instrumentToken: 256265, lastPrice: 2_435_010, close: 2_415_000 };

describe('TickDecoder', () => {
  it('writes a full packet into the instrument’s row in wire units', () => {
    const { board, decoder, decoded } = harness([reliance.instrumentToken]);
    const written = decoder.decode(frameOf([[reliance, 'full']]));
    expect(written).toBe(1);
    expect(decoded.map((t) => [t.token, t.length])).toEqual([[738561, 184]]);
    const snap = QuoteBoard.snapshot();
    const row = decoder.rowOf(738561);
    expect(board.read(row, snap)).toBe(1);
    expect(snap.i32[QuoteI32.lastPrice]).toBe(295005);
    expect(snap.i32[QuoteI32.averagePrice]).toBe(294870);
    expect(snap.i32[QuoteI32.low]).toBe(292550);
    expect(snap.f64[QuoteF64.volume]).toBe(3_456_789);
    expect(snap.f64[QuoteF64.exchangeTime]).toBe(1_795_500_001_000);
    expect(snap.i32[QuoteI32.bidPrice + 1]).toBe(294995);
    expect(snap.i32[QuoteI32.bidOrders]).toBe(3);
    expect(snap.f64[QuoteF64.askQuantity]).toBe(75);
    expect(snap.i32[QuoteI32.askPrice + 1]).toBe(0); // an empty level
  });

  it('writes only the fields a packet carries: ltp after full keeps the depth', () => {
    const { board, decoder } = harness([reliance.instrumentToken]);
    decoder.decode(frameOf([[reliance, 'full']]));
    decoder.decode(frameOf([[{ ...reliance, lastPrice: 296000, bids: [] }, 'ltp']]));
    const snap = QuoteBoard.snapshot();
    expect(board.read(decoder.rowOf(738561), snap)).toBe(2);
    expect(snap.i32[QuoteI32.lastPrice]).toBe(296000);
    expect(snap.i32[QuoteI32.bidPrice]).toBe(295000);
    expect(snap.f64[QuoteF64.volume]).toBe(3_456_789);
  });

  it('reads index packets in their own order (high, low, open, close)', () => {
    const { board, decoder } = harness([nifty.instrumentToken]);
    decoder.decode(frameOf([[{ ...nifty, open: 1, high: 2, low: 3, close: 4 }, 'full']]));
    const snap = QuoteBoard.snapshot();
    board.read(decoder.rowOf(nifty.instrumentToken), snap);
    expect([QuoteI32.open, QuoteI32.high, QuoteI32.low, QuoteI32.close].map((k) => snap.i32[k])).toEqual([
      1, 2, 3, 4,
    ]);
    expect(snap.f64[QuoteF64.exchangeTime]).toBe(1_795_500_001_000);
  });

  it('counts heartbeats, skips tokens without a row and packets of unknown length', () => {
    const { decoder, decoded } = harness([reliance.instrumentToken]);
    expect(decoder.decode(Uint8Array.of(0))).toBe(0);
    // [3 packets] [8: unknown token] [5: unknown length] [8: ours]
    const frame = new Uint8Array(2 + 10 + 7 + 10);
    const v = new DataView(frame.buffer);
    v.setUint16(0, 3);
    v.setUint16(2, 8);
    v.setUint32(4, 884737);
    v.setUint16(12, 5);
    v.setUint16(19, 8);
    v.setUint32(21, 738561);
    v.setInt32(25, 123);
    expect(decoder.decode(frame)).toBe(1);
    expect(decoded.map((t) => t.token)).toEqual([738561]);
    expect(decoder.stats).toMatchObject({
      frames: 2,
      heartbeats: 1,
      ticks: 1,
      unknownTokens: 1,
      unknownLengths: 1,
      malformed: 0,
    });
  });

  it('keeps decoding a frame when the tick listener throws, and counts the throw', () => {
    const board = QuoteBoard.create(2);
    const seen: number[] = [];
    const decoder = new TickDecoder(board, {
      onTick: (token) => {
        seen.push(token);
        if (seen.length === 1) throw new Error('listener bug');
      },
    });
    decoder.ensureRow(738561);
    decoder.ensureRow(256265);
    expect(
      decoder.decode(
        frameOf([
          [reliance, 'quote'],
          [nifty, 'quote'],
        ]),
      ),
    ).toBe(2);
    expect(seen).toEqual([738561, 256265]);
    expect(decoder.stats.listenerErrors).toBe(1);
    // The row's seqlock was closed before the listener ran: a reader is not stuck.
    expect(board.version(decoder.rowOf(738561))).toBe(1);
  });

  it('indexes the rows of a board it is handed, and refuses tokens that are not uint32', () => {
    const board = QuoteBoard.create(4);
    board.addInstrument(738561);
    board.addInstrument(-1); // token 0xffffffff as the board's Int32 holds it
    const decoder = new TickDecoder(board);
    expect(decoder.rowOf(738561)).toBe(0);
    expect(decoder.rowOf(0xffffffff)).toBe(1);
    expect(decoder.ensureRow(738561)).toBe(0);
    expect(() => decoder.ensureRow(0)).toThrow(RangeError);
    expect(() => decoder.ensureRow(2 ** 32)).toThrow(RangeError);
    expect(() => decoder.ensureRow(1.5)).toThrow(RangeError);
  });

  it('shares a row with another decoder on the same board, whichever gave it first', () => {
    const board = QuoteBoard.create(4);
    const first = new TickDecoder(board);
    const second = new TickDecoder(board); // made before the first gives any row
    const row = first.ensureRow(408065);
    expect(second.ensureRow(408065)).toBe(row);
    expect(board.rows).toBe(1);
  });

  it('grows its scratch for a large frame, and refuses one beyond MAX_FRAME_BYTES', () => {
    const tokens = TOKENS.filter((t) => (t & 0xff) !== 9);
    const { decoder, decoded, malformed } = harness(tokens, 256);
    const batch = tokens.map((t) => [{ ...reliance, instrumentToken: t }, 'full'] as const);
    const frame = frameOf(batch);
    expect(frame.byteLength).toBeGreaterThan(256 * 16);
    expect(decoder.decode(frame)).toBe(tokens.length);
    expect(frameDifference(decoded, parseOfficial(frame))).toBeUndefined();
    expect(decoder.decode(new Uint8Array(MAX_FRAME_BYTES + 1))).toBe(0);
    expect(malformed).toEqual(['tooLarge']);
  });

  it('equals the official parser field by field on 10^5 random valid frames of every kind and segment', () => {
    const { decoder, decoded } = harness(TOKENS);
    const seen = new Set<string>();
    fc.assert(
      fc.property(validFrame, (batch) => {
        const frame = frameOf(batch);
        decoded.length = 0;
        const written = decoder.decode(frame);
        const diff = frameDifference(decoded, parseOfficial(frame));
        if (diff !== undefined) throw new Error(diff);
        if (written !== batch.length) throw new Error(`wrote ${written} of ${batch.length}`);
        for (const t of decoded) seen.add(`${t.token & 0xff}/${t.length}`);
      }),
      { numRuns: 100_000, seed: SEED },
    );
    // Every segment in every packet kind it can have: 8 tradable segments x 3 + indices x 3.
    const expected = SEGMENTS.flatMap((s) =>
      (s === 9 ? [8, 28, 32] : [8, 44, 184]).map((length) => `${s}/${length}`),
    );
    expect([...seen].sort()).toEqual(expected.sort());
    expect(decoder.stats.malformed).toBe(0);
  }, 180_000);

  describe('invalid frames', () => {
    const FUZZ_TOKENS = TOKENS.filter((_, k) => k % 8 === 0);
    const fuzzPacket = fc
      .constantFrom(...FUZZ_TOKENS)
      .chain((token) => fc.tuple(snapshotOf(token), fc.constantFrom<TickMode>('ltp', 'quote', 'full')));
    const fuzzFrame = fc.array(fuzzPacket, { minLength: 1, maxLength: 4 }).map(frameOf);

    /** Packets of any length (mostly not a layout), well framed, some with a known token. */
    const oddLengths = fc
      .array(
        fc.tuple(
          fc.uint8Array({ maxLength: 200 }),
          fc.option(fc.constantFrom(...FUZZ_TOKENS), { nil: undefined }),
        ),
        { maxLength: 5 },
      )
      .map((packets) => {
        const frame = new Uint8Array(2 + packets.reduce((n, [b]) => n + 2 + b.length, 0));
        const v = new DataView(frame.buffer);
        v.setUint16(0, packets.length);
        let p = 2;
        for (const [body, token] of packets) {
          v.setUint16(p, body.length);
          frame.set(body, p + 2);
          if (token !== undefined && body.length >= 4) v.setUint32(p + 2, token);
          p += 2 + body.length;
        }
        return frame;
      });
    const truncated = fc
      .tuple(fuzzFrame, fc.nat())
      .map(([frame, cut]) => frame.subarray(0, cut % frame.byteLength))
      .filter((frame) => frame.byteLength !== 1);
    const trailing = fc
      .tuple(fuzzFrame, fc.uint8Array({ minLength: 1, maxLength: 8 }))
      .map(([frame, extra]) => Uint8Array.of(...frame, ...extra));
    /** A valid frame with its count or one packet length overwritten by a different value. */
    const corrupted = fc
      .tuple(fuzzFrame, fc.nat(), fc.integer({ min: 0, max: 0xffff }))
      .map(([frame, pick, value]) => {
        const v = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
        const offsets = [0];
        for (let p = 2; p < frame.byteLength; p += 2 + v.getUint16(p)) offsets.push(p);
        const at = offsets[pick % offsets.length] ?? 0;
        v.setUint16(at, value === v.getUint16(at) ? (value + 1) & 0xffff : value);
        return frame;
      });
    const randomBytes = fc.uint8Array({ maxLength: 400 });

    const fuzz = harness(FUZZ_TOKENS);
    const copy = harness(FUZZ_TOKENS, 256); // the same input through decode() and a growing scratch

    /**
     * Decodes `input` from a view of exactly its bytes (a read past either end would throw), and
     * checks the outcome: a heartbeat, a refusal that left the board byte for byte as it was, or an
     * acceptance that agrees with the official parser.
     */
    function check(input: Uint8Array, mustRefuse: boolean): void {
      const { decoder, decoded, board: b } = fuzz;
      const exact = new DataView(new ArrayBuffer(input.byteLength));
      new Uint8Array(exact.buffer).set(input);
      const before = new Uint8Array(b.buffer).slice();
      const s0 = { ...decoder.stats };
      decoded.length = 0;
      // A throw here (a DataView read past the exact buffer is a RangeError) fails the property.
      const written = decoder.decodeView(exact, 0, input.byteLength);
      const s = decoder.stats;
      if (s.frames !== s0.frames + 1) throw new Error('frame not counted once');
      if (input.byteLength === 1) {
        if (s.heartbeats !== s0.heartbeats + 1) throw new Error('heartbeat not counted');
      } else if (s.malformed === s0.malformed + 1) {
        if (written !== 0 || decoded.length !== 0) throw new Error('a refused frame produced ticks');
        const after = new Uint8Array(b.buffer);
        if (!after.every((x, k) => x === before[k])) throw new Error('a refused frame changed the board');
      } else {
        if (mustRefuse) throw new Error(`accepted a frame that must be refused (${input.byteLength} bytes)`);
        const theirs = parseOfficial(input).filter((t) => FUZZ_TOKENS.includes(t.instrument_token));
        const diff = frameDifference(decoded, theirs);
        if (diff !== undefined) throw new Error(diff);
        const packets =
          s.ticks - s0.ticks + (s.unknownLengths - s0.unknownLengths) + (s.unknownTokens - s0.unknownTokens);
        if (packets !== new DataView(exact.buffer).getUint16(0))
          throw new Error('packets not all accounted for');
      }
      copy.decoded.length = 0;
      const viaCopy = copy.decoder.decode(input);
      const c = copy.decoder.stats;
      if (
        viaCopy !== written ||
        c.malformed !== s.malformed ||
        c.heartbeats !== s.heartbeats ||
        c.ticks !== s.ticks
      )
        throw new Error('decode() and decodeView() disagree');
    }

    it('never throw, never read past the frame, and refuse truncations, trailing bytes and bad lengths whole', () => {
      fc.assert(
        fc.property(truncated, (f) => {
          check(f, true);
        }),
        { numRuns: 5_000, seed: SEED },
      );
      fc.assert(
        fc.property(trailing, (f) => {
          check(f, true);
        }),
        { numRuns: 5_000, seed: SEED + 1 },
      );
      fc.assert(
        fc.property(corrupted, (f) => {
          check(f, false); // a changed length can, rarely, still frame exactly: then it must agree
        }),
        { numRuns: 10_000, seed: SEED + 2 },
      );
      const reasons = new Set(fuzz.malformed);
      expect(reasons).toEqual(new Set(['empty', 'truncatedLength', 'truncatedPacket', 'trailingBytes']));
    }, 120_000);

    it('never throw on random bytes or packets of arbitrary lengths', () => {
      const before = fuzz.decoder.stats.unknownLengths;
      fc.assert(
        fc.property(fc.oneof(randomBytes, oddLengths), (f) => {
          check(f, false);
        }),
        { numRuns: 20_000, seed: SEED + 3 },
      );
      expect(fuzz.decoder.stats.unknownLengths).toBeGreaterThan(before);
    }, 120_000);

    it('refuse a range outside the view instead of throwing', () => {
      const view = new DataView(new ArrayBuffer(16));
      const { decoder, malformed } = harness([]);
      expect(decoder.decodeView(view, 0, 17)).toBe(0);
      expect(decoder.decodeView(view, -1, 4)).toBe(0);
      expect(decoder.decodeView(view, 8, 4)).toBe(0);
      expect(malformed).toEqual(['badRange', 'badRange', 'badRange']);
    });
  });
});
