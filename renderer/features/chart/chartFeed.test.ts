import { describe, expect, it } from 'vitest';
import { steppedTimers } from '../../../shared/rpc/steppedTimers';
import type { BarUpdate, Candle } from '../../../shared/services/market';
import { fakeMarketData, instrument, settle } from '../market/fakeMarket';
import { CHART_DRAW_MS, startChartFeed } from './chartFeed';
import type { CandleSink, ChartLoad } from './chartFeed';

const T0 = Date.parse('2026-11-24T03:45:00Z');
const MIN = 60_000;
const candle = (i: number, close = 152_000 + i * 5): Candle => ({
  time: T0 + i * MIN,
  open: 152_000,
  high: 153_000,
  low: 151_000,
  close,
  volume: 100 + i,
  oi: 0,
});
const bar = (i: number, close?: number, closed = false): BarUpdate => ({
  ...candle(i, close),
  instrumentToken: 408065,
  interval: '1m',
  closed,
});

function recordingSink() {
  const calls: string[] = [];
  const sink: CandleSink = {
    setCandles: (cs) => calls.push(`set ${cs.length}`),
    updateBar: (c) => calls.push(`update ${(c.time - T0) / MIN}:${c.close}`),
  };
  return { sink, calls };
}

describe('chart feed', () => {
  it('backfills from history, then draws live bars once per frame via update', async () => {
    const { data, market, frames } = fakeMarketData();
    market.answers.history = () => Promise.resolve({ candles: [candle(1), candle(0), candle(2)] });
    const { sink, calls } = recordingSink();
    const loads: ChartLoad[] = [];
    let live = 0;
    startChartFeed({
      data,
      instrument: instrument(408065, 'INFY'),
      interval: '1m',
      sink,
      onLoad: (l) => loads.push(l),
      onLiveBars: (n) => (live += n),
    });
    expect(market.barStreams.size).toBe(1);
    expect([...market.barStreams][0]?.params).toEqual({ instrumentToken: 408065, interval: '1m' });
    await settle();
    expect(calls).toEqual(['set 3']);
    expect(loads.map((l) => l.state)).toEqual(['loading', 'ready']);

    // Many updates of the forming bar, then it closes and the next one forms: one frame.
    for (let p = 0; p < 50; p++) market.emitBar(bar(2, 153_000 + p));
    market.emitBar(bar(2, 153_100, true));
    market.emitBar(bar(3, 153_105));
    frames.runFrame();
    expect(calls.slice(1)).toEqual(['update 2:153100', 'update 3:153105']);
    expect(live).toBe(2);
  });

  it('holds bars that come before the history, and drops any older than its last candle', async () => {
    const { data, market, frames } = fakeMarketData();
    let answer: (v: { candles: Candle[] }) => void = () => undefined;
    market.answers.history = () =>
      new Promise((resolve) => {
        answer = resolve;
      });
    const { sink, calls } = recordingSink();
    startChartFeed({ data, instrument: instrument(408065, 'INFY'), interval: '1m', sink });
    market.emitBar(bar(1, 1));
    market.emitBar(bar(4, 4));
    frames.runFrame();
    expect(calls).toEqual([]);
    answer({ candles: [candle(0), candle(2)] });
    await settle();
    expect(calls).toEqual(['set 2', 'update 4:4']);
  });

  it('draws live bars at most every CHART_DRAW_MS, the first after a quiet spell at once', async () => {
    const { data, market, frames } = fakeMarketData();
    market.answers.history = () => Promise.resolve({ candles: [candle(0)] });
    const { sink, calls } = recordingSink();
    const timers = steppedTimers(1_000_000);
    const feed = startChartFeed({
      data,
      instrument: instrument(408065, 'INFY'),
      interval: '1m',
      sink,
      timers,
    });
    await settle();
    market.emitBar(bar(0, 152_010));
    frames.runFrame();
    expect(calls.slice(1)).toEqual(['update 0:152010']);

    // Bars within CHART_DRAW_MS of that draw wait; frames meanwhile draw nothing.
    timers.advance(50);
    for (let p = 1; p <= 5; p++) market.emitBar(bar(0, 152_010 + p * 5));
    frames.runFrame();
    expect(calls).toHaveLength(2);
    timers.advance(CHART_DRAW_MS - 51);
    frames.runFrame();
    expect(calls).toHaveLength(2);
    timers.advance(1); // CHART_DRAW_MS after the last draw: the latest bar, on the next frame
    frames.runFrame();
    expect(calls.slice(2)).toEqual(['update 0:152035']);

    // Quiet for longer than CHART_DRAW_MS: the next bar draws on the next frame.
    timers.advance(CHART_DRAW_MS * 3);
    market.emitBar(bar(1, 152_100));
    frames.runFrame();
    expect(calls.slice(3)).toEqual(['update 1:152100']);

    // Disposed with a bar waiting: nothing more is drawn or left scheduled.
    market.emitBar(bar(1, 152_105));
    feed.dispose();
    timers.advance(CHART_DRAW_MS);
    frames.runFrame();
    expect(calls).toHaveLength(4);
    expect(timers.pending).toBe(0);
    expect(frames.scheduled).toBe(0);
  });

  it('loads history again on a new connection and stops when disposed', async () => {
    const { data, market, link } = fakeMarketData();
    market.answers.history = () => Promise.resolve({ candles: [candle(0)] });
    const { sink, calls } = recordingSink();
    const feed = startChartFeed({ data, instrument: instrument(408065, 'INFY'), interval: '1m', sink });
    await settle();
    link.drop();
    link.connect();
    await settle();
    expect(calls).toEqual(['set 1', 'set 1']);
    feed.dispose();
    expect(market.barStreams.size).toBe(0);
  });
});
