import { toDisposable } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import { RpcError } from '../../../shared/rpc/errors';
import type { BarUpdate, Depth, InstrumentInfo, Quote } from '../../../shared/services/market';
import { fakeFrames } from './fakeFrames';
import type { EngineLink, MarketData, MarketService } from './marketData';

// A market service, link and frames for tests: no engine, no DOM.

/** An instrument with the usual NSE equity fields; override what the test is about. */
export function instrument(
  token: number,
  symbol: string,
  more: Partial<InstrumentInfo> = {},
): InstrumentInfo {
  return {
    instrumentToken: token,
    exchange: 'NSE',
    tradingsymbol: symbol,
    name: symbol,
    instrumentType: 'EQ',
    segment: 'NSE',
    expiry: '',
    strike: 0,
    tickSize: 5,
    lotSize: 1,
    priceDivisor: 100,
    freezeQuantity: null,
    lastPrice: 150_000,
    ...more,
  };
}

/** A quote of `token` at `lastPrice` (wire units), the rest plausible. */
export function quote(token: number, lastPrice: number, more: Partial<Quote> = {}): Quote {
  return {
    instrumentToken: token,
    lastPrice,
    lastQuantity: 1,
    averagePrice: lastPrice,
    volume: 1_234_567,
    open: 150_000,
    high: lastPrice,
    low: lastPrice,
    close: 150_000,
    bidPrice: lastPrice - 5,
    bidQuantity: 10,
    askPrice: lastPrice + 5,
    askQuantity: 12,
    totalBuyQuantity: 1000,
    totalSellQuantity: 900,
    oi: 0,
    lastTradeTime: 0,
    exchangeTime: 0,
    receivedAt: 1,
    ...more,
  };
}

interface Stream<E, P> {
  readonly params: P;
  readonly listener: (e: E) => void;
}

type Params<K extends keyof MarketService> = Parameters<MarketService[K]>;

/** A MarketService whose requests the test answers and whose streams it feeds. */
export interface FakeMarket {
  readonly service: MarketService;
  readonly quoteStreams: Set<Stream<Quote, Params<'onQuotes'>[1]>>;
  readonly depthStreams: Set<Stream<Depth, Params<'onDepth'>[1]>>;
  readonly barStreams: Set<Stream<BarUpdate, Params<'onBars'>[1]>>;
  readonly calls: { method: string; params: unknown }[];
  /** Answers for requests by method; a missing one fails like an engine without the method. */
  readonly answers: Partial<{ -readonly [K in keyof MarketService]: (params: unknown) => Promise<unknown> }>;
  emitQuote(q: Quote): void;
  emitDepth(d: Depth): void;
  emitBar(b: BarUpdate): void;
}

export function fakeMarket(): FakeMarket {
  const quoteStreams = new Set<Stream<Quote, Params<'onQuotes'>[1]>>();
  const depthStreams = new Set<Stream<Depth, Params<'onDepth'>[1]>>();
  const barStreams = new Set<Stream<BarUpdate, Params<'onBars'>[1]>>();
  const calls: { method: string; params: unknown }[] = [];
  const answers: FakeMarket['answers'] = {};
  const request =
    (method: keyof MarketService) =>
    (params: unknown): Promise<never> => {
      calls.push({ method, params });
      const answer = answers[method];
      if (answer === undefined)
        return Promise.reject(new RpcError('UNKNOWN_METHOD', `no such method: market.${method}`));
      return answer(params) as Promise<never>;
    };
  const open = <E, P>(set: Set<Stream<E, P>>, listener: (e: E) => void, params: P): Disposable => {
    const s = { params, listener };
    set.add(s);
    return toDisposable(() => set.delete(s));
  };
  const service: MarketService = {
    search: request('search'),
    instruments: request('instruments'),
    lookup: request('lookup'),
    subscribe: request('subscribe'),
    unsubscribe: request('unsubscribe'),
    quotes: request('quotes'),
    volumeProfile: request('volumeProfile'),
    history: request('history'),
    onQuotes: (listener, params) => open(quoteStreams, listener, params),
    onDepth: (listener, params) => open(depthStreams, listener, params),
    onBars: (listener, params) => open(barStreams, listener, params),
  };
  return {
    service,
    quoteStreams,
    depthStreams,
    barStreams,
    calls,
    answers,
    emitQuote: (q) => {
      for (const s of [...quoteStreams]) s.listener(q);
    },
    emitDepth: (d) => {
      for (const s of [...depthStreams]) s.listener(d);
    },
    emitBar: (b) => {
      for (const s of [...barStreams]) s.listener(b);
    },
  };
}

/** A link the test connects and drops. */
export function fakeLink(connected = true): EngineLink & { connect(): void; drop(): void } {
  let up = connected;
  const listeners = new Set<() => void>();
  return {
    isConnected: () => up,
    onConnected: (l) => {
      listeners.add(l);
      return toDisposable(() => listeners.delete(l));
    },
    connect() {
      up = true;
      for (const l of [...listeners]) l();
    },
    drop() {
      up = false;
    },
  };
}

/** Market data for a test: the fake service, a link that is up, and frames run by hand. */
export function fakeMarketData(): {
  data: MarketData;
  market: FakeMarket;
  link: ReturnType<typeof fakeLink>;
  frames: ReturnType<typeof fakeFrames>;
} {
  const market = fakeMarket();
  const link = fakeLink();
  const frames = fakeFrames();
  return { data: { market: market.service, link, frames }, market, link, frames };
}

/** Lets promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
