import { describe, expect, it } from 'vitest';
import { TickLedger, quotesInFrame, volumeOfText } from './tickLedger';

const quote = (instrumentToken: number, volume: number, receivedAt = 0) => ({
  instrumentToken,
  lastPrice: 150_000,
  lastQuantity: 1,
  averagePrice: 150_000,
  volume,
  open: 0,
  high: 0,
  low: 0,
  close: 0,
  bidPrice: 149_995,
  bidQuantity: 10,
  askPrice: 150_005,
  askQuantity: 10,
  totalBuyQuantity: 0,
  totalSellQuantity: 0,
  oi: 0,
  lastTradeTime: 0,
  exchangeTime: 0,
  receivedAt,
});

describe('quotesInFrame', () => {
  it('reads the quotes of an events frame, and nothing from other frames or events', () => {
    const frame = JSON.stringify({
      type: 'events',
      id: 4,
      events: [quote(408065, 120, 1_000), quote(2885, 7)],
    });
    expect(quotesInFrame(frame)).toEqual([
      { token: 408065, volume: 120, engineAt: 1_000 },
      { token: 2885, volume: 7, engineAt: 0 },
    ]);
    // Depth events carry no volume; a result frame (a snapshot) is not an arrival on the stream.
    const depth = { instrumentToken: 1, bids: [], asks: [], exchangeTime: 0, receivedAt: 0, bidPrice: 1 };
    expect(quotesInFrame(JSON.stringify({ type: 'events', id: 5, events: [depth] }))).toBeUndefined();
    expect(
      quotesInFrame(JSON.stringify({ type: 'result', id: 6, result: { quotes: [quote(1, 2)] } })),
    ).toBeUndefined();
    expect(quotesInFrame('{"type":"events","id":1,"events":[{"status":"ok"}]}')).toBeUndefined();
    expect(quotesInFrame('not json "bidPrice" "events"')).toBeUndefined();
  });
});

describe('volumeOfText', () => {
  it('reads Indian digit grouping and refuses dashes', () => {
    expect(volumeOfText('12,34,567')).toBe(1_234_567);
    expect(volumeOfText('999')).toBe(999);
    expect(volumeOfText('—')).toBeUndefined();
    expect(volumeOfText('')).toBeUndefined();
    expect(volumeOfText(null)).toBeUndefined();
  });
});

describe('TickLedger', () => {
  const q = (token: number, volume: number, engineAt = 0) => ({ token, volume, engineAt });

  it('times a trade tick from arrival to the DOM and to the next frame', () => {
    const ledger = new TickLedger(1_000_000);
    ledger.start();
    ledger.arrive(q(1, 100, 1_000_090), 100);
    ledger.show(1, 100, 112);
    expect(ledger.samples.toScreen).toEqual([]);
    ledger.frame(116);
    expect(ledger.samples).toEqual({ toScreen: [16], toDom: [12], engineToScreen: [26] });
    expect(ledger.shown).toBe(1);
  });

  it('a frame showing a later volume shows every earlier tick of that instrument, not others', () => {
    const ledger = new TickLedger(0);
    ledger.start();
    ledger.arrive(q(1, 100), 10);
    ledger.arrive(q(2, 50), 11);
    ledger.arrive(q(1, 101), 12);
    ledger.arrive(q(1, 103), 14);
    ledger.show(1, 101, 20);
    ledger.frame(30);
    expect(ledger.samples.toScreen).toEqual([20, 18]);
    expect(ledger.waiting(40)).toEqual({ count: 2, oldestMs: 29 });
    ledger.show(1, 110, 41);
    ledger.show(2, 50, 41);
    ledger.frame(45);
    expect(ledger.samples.toScreen).toEqual([20, 18, 31, 34]);
    expect(ledger.waiting(50)).toEqual({ count: 0, oldestMs: 0 });
  });

  it('follows trades only: a quote whose volume did not grow is not a tick to wait for', () => {
    const ledger = new TickLedger(0);
    ledger.arrive(q(1, 100), 1); // before start: noted, not followed
    ledger.start();
    ledger.arrive(q(1, 100), 2); // bid or ask moved, no trade
    ledger.arrive(q(1, 99), 3); // an older quote
    expect(ledger.arrived).toBe(0);
    ledger.arrive(q(1, 101), 4);
    expect(ledger.arrived).toBe(1);
    ledger.stop();
    ledger.arrive(q(1, 102), 5);
    expect(ledger.arrived).toBe(1);
    // Still shown after stop.
    ledger.show(1, 102, 6);
    ledger.frame(8);
    expect(ledger.samples.toScreen).toEqual([4]);
  });

  it('follows only the rows it is told to', () => {
    const ledger = new TickLedger(0, new Set([2]));
    ledger.start();
    ledger.arrive(q(1, 10), 1);
    ledger.arrive(q(2, 10), 1);
    expect(ledger.arrived).toBe(1);
    expect(ledger.waiting(5).count).toBe(1);
  });

  it('keeps a bounded queue per instrument, counting what it drops', () => {
    const ledger = new TickLedger(0);
    ledger.start();
    for (let v = 1; v <= 2_005; v++) ledger.arrive(q(1, v), v);
    expect(ledger.overflowed).toBe(5);
    expect(ledger.waiting(3_000)).toEqual({ count: 2_000, oldestMs: 3_000 - 6 });
  });
});
