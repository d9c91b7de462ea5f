import { describe, expect, it } from 'vitest';
import { fakeMarketData, instrument, quote, settle } from '../market/fakeMarket';
import { priceStyleOf } from '../market';
import { LADDER_COMMANDS, ladderCommandForKey, ladderKeyOf } from './ladderCommands';
import type { LadderCommandTarget } from './ladderCommands';
import { startLadderFeed } from './ladderFeed';
import { centredWindow, orderKey } from './ladderModel';
import { rowView } from './ladderView';

const infy = instrument(408065, 'INFY');
const key = (k: string, shiftKey = false) => ({
  key: k,
  shiftKey,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
});

describe('the ladder feed', () => {
  it('keeps the book, the last price and the volume at price from every message', async () => {
    const { data, market } = fakeMarketData();
    market.answers.quotes = () =>
      Promise.resolve({ quotes: [quote(408065, 153_000, { volume: 1_000, receivedAt: 1 })] });
    let changes = 0;
    const feed = startLadderFeed(data, infy, () => changes++);
    await settle();
    market.emitDepth({
      instrumentToken: 408065,
      bids: [
        { price: 152_995, quantity: 40, orders: 2 },
        { price: 152_990, quantity: 0, orders: 0 },
        { price: 152_985, quantity: 15, orders: 1 },
      ],
      asks: [{ price: 153_005, quantity: 70, orders: 3 }],
      exchangeTime: 0,
      receivedAt: 2,
    });
    market.emitQuote(quote(408065, 153_005, { volume: 1_020, receivedAt: 3 }));
    market.emitQuote(quote(408065, 153_000, { volume: 1_050, receivedAt: 4 }));
    market.emitQuote(quote(408065, 152_000, { volume: 9_999, receivedAt: 2 })); // older: ignored
    expect(changes).toBe(4); // the snapshot, the book, two quotes; the older quote changed nothing
    const m = feed.market;
    expect([m.bestBid, m.bestAsk, m.lastPrice, m.lastDirection]).toEqual([152_995, 153_005, 153_000, 'down']);
    expect(m.bids.get(152_995)).toBe(40);
    expect(m.bids.has(152_990)).toBe(false);
    expect(m.volume.at(153_005)).toBe(20);
    expect(m.volume.at(153_000)).toBe(30);

    const w = centredWindow(153_000, 5, 11);
    const orders = new Map([[orderKey('BUY', 152_995), { quantity: 10, orders: [] }]]);
    const style = priceStyleOf(infy);
    const at = (price: number) => rowView(w, (w.top - price) / 5, m, orders, style);
    expect(at(153_000)).toMatchObject({
      priceText: '1530.00',
      last: 'down',
      zone: 'spread',
      volume: '30',
      volumeShare: 1,
    });
    expect(at(152_995)).toMatchObject({
      bid: '40',
      buyOrders: '10',
      sellOrders: '',
      zone: 'bid',
      best: 'bid',
    });
    expect(at(153_005)).toMatchObject({ ask: '70', zone: 'ask', best: 'ask', volumeShare: 20 / 30 });
    feed.dispose();
    market.emitQuote(quote(408065, 154_000, { volume: 2_000, receivedAt: 9 }));
    expect(changes).toBe(4);
    expect(market.quoteStreams.size + market.depthStreams.size).toBe(0);
  });
});

describe("the ladder's volume at price from the engine", () => {
  it("starts from the engine's profile and adds the quotes it had not counted, once", async () => {
    const { data, market } = fakeMarketData();
    market.answers.quotes = () =>
      Promise.resolve({ quotes: [quote(408065, 153_000, { volume: 1_000, receivedAt: 1 })] });
    let answer: (p: unknown) => void = () => undefined;
    market.answers.volumeProfile = () =>
      new Promise((resolve) => {
        answer = resolve;
      });
    const feed = startLadderFeed(data, infy, () => undefined);
    await settle();
    const m = feed.market;
    // Quotes while the profile is asked: one the engine had counted (1,010), one it had not (1,020).
    market.emitQuote(quote(408065, 153_005, { volume: 1_010, receivedAt: 2 }));
    market.emitQuote(quote(408065, 153_005, { volume: 1_020, receivedAt: 3 }));
    expect(m.volume.at(153_005)).toBe(20);
    answer({
      instrumentToken: 408065,
      since: 1, // before the ladder's first count (the engine's morning)
      dayVolume: 1_010,
      updatedAt: 2,
      levels: [
        [152_995, 600],
        [153_000, 400],
        [153_005, 10],
      ],
    });
    await settle();
    // The morning's volume from the engine, and the 10 above its count from the stream: not 30.
    expect([m.volume.at(152_995), m.volume.at(153_000), m.volume.at(153_005)]).toEqual([600, 400, 20]);
    expect([m.volume.total, m.volume.max, m.volume.since]).toEqual([1_020, 600, 1]);
    // A quote the stream held past the answer, received before the engine's last count: in it already.
    market.emitQuote(quote(408065, 153_005, { volume: 1_005, receivedAt: 2 }));
    expect([m.volume.at(153_005), m.volume.total]).toEqual([20, 1_020]);
    market.emitQuote(quote(408065, 153_000, { volume: 1_050, receivedAt: 4 }));
    expect(m.volume.at(153_000)).toBe(430);
    feed.dispose();
  });

  it('keeps its own count when the engine counted for less time (it restarted since)', async () => {
    const { data, market, link } = fakeMarketData();
    market.answers.quotes = () =>
      Promise.resolve({ quotes: [quote(408065, 153_000, { volume: 1_000, receivedAt: 1 })] });
    market.answers.volumeProfile = () => new Promise(() => undefined);
    const feed = startLadderFeed(data, infy, () => undefined);
    await settle();
    market.emitQuote(quote(408065, 153_005, { volume: 1_030, receivedAt: 2 }));
    // The engine restarts: a new connection, and its count began after ours.
    market.answers.volumeProfile = () =>
      Promise.resolve({
        instrumentToken: 408065,
        since: 5,
        dayVolume: 1_040,
        updatedAt: 6,
        levels: [[153_000, 10]],
      });
    market.emitQuote(quote(408065, 153_000, { volume: 1_040, receivedAt: 6 }));
    link.drop();
    link.connect();
    await settle();
    expect([
      feed.market.volume.at(153_005),
      feed.market.volume.at(153_000),
      feed.market.volume.since,
    ]).toEqual([30, 10, 2]);
    feed.dispose();
  });

  it('keeps its own count when the engine has counted nothing', async () => {
    const { data, market } = fakeMarketData();
    market.answers.quotes = () =>
      Promise.resolve({ quotes: [quote(408065, 153_000, { volume: 1_000, receivedAt: 1 })] });
    market.answers.volumeProfile = () =>
      Promise.resolve({ instrumentToken: 408065, since: 0, dayVolume: -1, levels: [] });
    const feed = startLadderFeed(data, infy, () => undefined);
    await settle();
    market.emitQuote(quote(408065, 153_005, { volume: 1_030, receivedAt: 2 }));
    expect(feed.market.volume.at(153_005)).toBe(30);
    feed.dispose();
  });
});

describe('the ladder commands', () => {
  it('binds B/S, Shift+B/Shift+S, Delete, C and Space, arrows', () => {
    expect(ladderKeyOf(key('b'))).toBe('B');
    expect(ladderKeyOf(key('B', true))).toBe('Shift+B');
    expect(ladderKeyOf(key(' '))).toBe('Space');
    expect(ladderCommandForKey(key('b'))?.id).toBe('ladder.buy');
    expect(ladderCommandForKey(key('S', true))?.id).toBe('ladder.sellStop');
    expect(ladderCommandForKey(key(' '))?.id).toBe('ladder.recentre');
    expect(ladderCommandForKey(key('Delete'))?.id).toBe('ladder.cancelAtRow');
    expect(ladderCommandForKey(key('x'))).toBeUndefined();
    // One command per binding, and orders never repeat on a held key.
    const bindings = LADDER_COMMANDS.flatMap((c) => c.keys);
    expect(new Set(bindings).size).toBe(bindings.length);
    for (const c of LADDER_COMMANDS) if (/buy|sell|cancel/i.test(c.id)) expect(c.repeats).toBe(false);
  });

  it('runs against the focused ladder: sides and stops as a click would place them', () => {
    const calls: string[] = [];
    const target: LadderCommandTarget = {
      moveSelection: (t) => calls.push(`move ${t}`),
      page: (d) => calls.push(`page ${d}`),
      recentre: () => calls.push('recentre'),
      orderAtSelection: (side, stop) => calls.push(`${side} ${stop ? 'stop' : 'limit'}`),
      cancelAtSelection: () => calls.push('cancel'),
    };
    for (const k of [
      key('b'),
      key('s'),
      key('B', true),
      key('S', true),
      key('ArrowUp'),
      key('ArrowDown', true),
      key('c'),
      key('Delete'),
    ]) {
      ladderCommandForKey(k)?.run(target, () => undefined);
    }
    expect(calls).toEqual([
      'bid limit',
      'ask limit',
      'ask stop',
      'bid stop',
      'move 1',
      'move -10',
      'recentre',
      'cancel',
    ]);
  });
});
