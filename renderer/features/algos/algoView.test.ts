import { describe, expect, it } from 'vitest';
import type { ConditionalSpec, TwapSpec } from '../../../shared/services/algos';
import { orderViewOf } from '../orders/fakeTrading';
import {
  algoRowText,
  algoStatusTone,
  benchmarkText,
  canCancelAlgo,
  canEditExit,
  childRole,
  childRowText,
  formatBps,
  pendingRoleText,
} from './algoView';
import { algoViewOf, fakeAlgos, twapViewOf } from './fakeAlgos';

describe('how an algorithm reads', () => {
  it('colours its status and offers cancel only while it works', () => {
    expect(algoStatusTone('WORKING')).toBe('working');
    expect(algoStatusTone('COMPLETED')).toBe('done');
    expect(algoStatusTone('CANCELLED')).toBe('cancelled');
    expect(algoStatusTone('FAILED')).toBe('failed');
    expect(algoStatusTone('EXPIRED')).toBe('expired');
    expect(canCancelAlgo({ status: 'EXPIRED' })).toBe(false);
    expect(canCancelAlgo({ status: 'WORKING' })).toBe(true);
    expect(canCancelAlgo({ status: 'FAILED' })).toBe(false);
  });

  it('lets a working bracket’s known target and stop be moved, never an iceberg’s', () => {
    const bracket = algoViewOf('A1', { kind: 'bracket', targetPrice: 152_000, stopPrice: 0 });
    expect(canEditExit(bracket, 'targetPrice')).toBe(true);
    expect(canEditExit(bracket, 'stopPrice')).toBe(false);
    expect(canEditExit({ ...bracket, status: 'COMPLETED' }, 'targetPrice')).toBe(false);
    expect(canEditExit(algoViewOf('A2', { targetPrice: 152_000 }), 'targetPrice')).toBe(false);
  });

  it('writes an iceberg’s limit, its fills and dashes for what it has not', () => {
    const t = algoRowText(algoViewOf('A1', { filledQuantity: 3, quantity: 1200 }));
    expect(t).toMatchObject({
      kind: 'ICEBERG',
      quantity: '3/1,200',
      price: '1500.00',
      average: '—',
      target: '',
    });
  });

  it('names a child’s part in its algorithm', () => {
    const iceberg = { kind: 'iceberg' } as const;
    const bracket = { kind: 'bracket' } as const;
    expect(childRole(iceberg, { orderType: 'LIMIT' }, 2)).toBe('leg');
    expect(childRole(bracket, { orderType: 'SL' }, 0)).toBe('entry');
    expect(childRole(bracket, { orderType: 'LIMIT' }, 1)).toBe('target');
    expect(childRole(bracket, { orderType: 'SL-M' }, 2)).toBe('stop');
    expect(childRole(bracket, { orderType: 'MARKET' }, 3)).toBe('exit');
    const leg = childRowText(iceberg, orderViewOf('L', { state: 'REJECTED' }), 2);
    expect(leg).toMatchObject({ role: 'leg 3', price: '1500.00', state: 'REJECTED', tone: 'failed' });
  });
});

describe('how a conditional order reads', () => {
  it('names its kind and writes the price of what it places once met: the order, or the bracket’s entry', () => {
    const base = {
      kind: 'conditional',
      instrumentToken: 408065,
      side: 'BUY',
      quantity: 10,
      product: 'MIS',
      condition: { on: 'price', direction: 'above', price: 156_000 },
      gtt: false,
    } as const;
    const order: ConditionalSpec = { ...base, then: { type: 'order', orderType: 'LIMIT', price: 156_050 } };
    expect(algoRowText(algoViewOf('C1', { kind: 'conditional', spec: order }))).toMatchObject({
      kind: 'IF',
      price: '1560.50',
      target: '',
      stop: '',
    });
    const bracket: ConditionalSpec = {
      ...base,
      then: { type: 'bracket', entry: { orderType: 'MARKET' }, target: { ticks: 20 }, stop: { ticks: 10 } },
    };
    expect(algoRowText(algoViewOf('C2', { kind: 'conditional', spec: bracket }))).toMatchObject({
      price: 'MKT',
      target: '20 tk',
      stop: '10 tk',
      priceTitle: 'Then a bracket: entry MKT, target 20 tk, stop 10 tk',
    });
  });

  it('reads a range (OCO) as its two ways out: the target and the stop, each its limit or MKT', () => {
    const oco: ConditionalSpec = {
      kind: 'conditional',
      instrumentToken: 408065,
      side: 'SELL',
      quantity: 10,
      product: 'CNC',
      condition: { on: 'range', below: 148_000, above: 156_000 },
      then: { type: 'oco', orderType: 'LIMIT', belowPrice: 147_900, abovePrice: 156_100 },
      gtt: true,
    };
    expect(algoRowText(algoViewOf('O1', { kind: 'conditional', spec: oco }))).toMatchObject({
      kind: 'IF',
      price: 'OCO',
      priceTitle: "OCO: the stop's order 1479.00, the target's 1561.00; one of them, never both",
      target: '1561.00',
      stop: '1479.00',
      condition: '≤1480.00 ≥1560.00',
      where: 'GTT',
    });
    const market: ConditionalSpec = { ...oco, gtt: false, then: { type: 'oco', orderType: 'MARKET' } };
    expect(algoRowText(algoViewOf('O2', { kind: 'conditional', spec: market }))).toMatchObject({
      target: 'MKT',
      stop: 'MKT',
      where: 'ENGINE',
    });
  });

  it('writes its condition and where it waits: the engine, or a GTT at the broker', () => {
    const base = {
      kind: 'conditional',
      instrumentToken: 408065,
      side: 'BUY',
      quantity: 10,
      product: 'MIS',
      then: { type: 'order', orderType: 'LIMIT', price: 156_050 },
    } as const;
    const read = (condition: ConditionalSpec['condition'], gtt = false) =>
      algoRowText(algoViewOf('C', { kind: 'conditional', spec: { ...base, condition, gtt } }));
    expect(read({ on: 'price', direction: 'above', price: 156_000 }, true)).toMatchObject({
      condition: 'LTP ≥ 1560.00',
      where: 'GTT',
    });
    expect(read({ on: 'barClose', interval: '5m', direction: 'below', price: 149_000 })).toMatchObject({
      condition: '5m close ≤ 1490.00',
      where: 'ENGINE',
    });
    const rsi = {
      on: 'indicator',
      indicator: 'rsi',
      period: 14,
      interval: '15m',
      direction: 'above',
      value: 70,
    } as const;
    expect(read(rsi).condition).toBe('RSI(14) 15m ↑ 70');
    const sma = { ...rsi, indicator: 'sma', period: 20, direction: 'below', value: 150_000 } as const;
    expect(read(sma).condition).toBe('SMA(20) 15m ↓ 1500.00');
    // 14:30 IST.
    expect(read({ on: 'time', at: Date.UTC(2026, 11, 3, 9, 0) }).condition).toBe('at 14:30 IST');
    // The other kinds have none.
    expect(algoRowText(algoViewOf('B1'))).toMatchObject({ condition: '', where: '' });
  });
});

describe('how a TWAP or a VWAP reads', () => {
  it('names its kind, its limit or the touch, and has no target or stop', () => {
    const limited = twapViewOf('T1', {
      spec: { ...(twapViewOf('T').spec as TwapSpec), limitPrice: 150_250 },
    });
    expect(algoRowText(limited)).toMatchObject({
      kind: 'TWAP',
      quantity: '4/10',
      price: '1502.50',
      average: '1501.20',
      target: '',
      stop: '',
      status: 'WORKING',
    });
    expect(algoRowText(twapViewOf('T2')).price).toBe('TOUCH');
    const vwap = twapViewOf('V1', {
      kind: 'vwap',
      spec: {
        kind: 'vwap',
        instrumentToken: 408065,
        side: 'SELL',
        quantity: 10,
        product: 'MIS',
        durationSeconds: 600,
        historyDays: 10,
      },
    });
    expect(algoRowText(vwap)).toMatchObject({ kind: 'VWAP', price: 'TOUCH', target: '', stop: '' });
    expect(algoRowText(twapViewOf('T3', { status: 'EXPIRED' })).status).toBe('EXPIRED');
    expect(canEditExit(twapViewOf('T4', { targetPrice: 1 }), 'targetPrice')).toBe(false);
  });

  it('writes its benchmarks: the schedule, arrival, the interval VWAP, slippage signed to a tenth, the end in IST', () => {
    expect(benchmarkText(twapViewOf('T1'))).toEqual({
      schedule: '4/6',
      scheduleDelta: '2 behind',
      scheduleTone: 'behind',
      arrival: '1500.00',
      // 150,085.4 wire units: to the nearest paisa.
      intervalVwap: '1500.85',
      slipArrival: '+8.0',
      slipArrivalTone: 'worse',
      slipVwap: '+2.3',
      slipVwapTone: 'worse',
      // 03:45 UTC + 15 minutes, in IST.
      endsAt: '09:30:00',
    });
    const ahead = benchmarkText(
      twapViewOf(
        'T2',
        { filledQuantity: 1_500 },
        { scheduledQuantity: 1_200, slippageArrivalBps: -3.25, slippageVwapBps: 0.04, intervalVwap: null },
      ),
    );
    expect(ahead).toMatchObject({
      schedule: '1,500/1,200',
      scheduleDelta: '300 ahead',
      scheduleTone: 'ahead',
      intervalVwap: '—',
      slipArrival: '-3.3',
      slipArrivalTone: 'better',
      slipVwap: '0.0',
      slipVwapTone: 'flat',
    });
    const unknown = benchmarkText(
      twapViewOf(
        'T3',
        { filledQuantity: 0 },
        { scheduledQuantity: 0, slippageArrivalBps: null, slippageVwapBps: null },
      ),
    );
    expect(unknown).toMatchObject({
      scheduleDelta: 'on plan',
      scheduleTone: 'on',
      slipArrival: '—',
      slipArrivalTone: 'none',
    });
    expect(benchmarkText(algoViewOf('I1'))).toBeUndefined();
  });

  it('writes basis points signed, to one decimal, half away from zero', () => {
    expect(formatBps(12.34)).toEqual({ text: '+12.3', tone: 'worse' });
    expect(formatBps(-0.05)).toEqual({ text: '-0.1', tone: 'better' });
    expect(formatBps(0.049)).toEqual({ text: '0.0', tone: 'flat' });
    expect(formatBps(-0.049)).toEqual({ text: '0.0', tone: 'flat' });
    expect(formatBps(150)).toEqual({ text: '+150.0', tone: 'worse' });
    expect(formatBps(null)).toEqual({ text: '—', tone: 'none' });
    expect(formatBps(Number.NaN)).toEqual({ text: '—', tone: 'none' });
  });

  it('numbers its children as slices', () => {
    const twap = { kind: 'twap' } as const;
    expect(childRole(twap, { orderType: 'LIMIT' }, 0)).toBe('slice');
    expect(childRowText(twap, orderViewOf('S', {}), 2)).toMatchObject({ role: 'slice 3', price: '1500.00' });
    expect(pendingRoleText({ kind: 'vwap' }, 4)).toBe('slice 5');
    expect(pendingRoleText({ kind: 'iceberg' }, 0)).toBe('leg 1');
    expect(pendingRoleText({ kind: 'bracket' }, 0)).toBe('—');
  });
});

describe('the fake algos service', () => {
  it('reads a TWAP’s spec with the contract’s schema: defaults filled, bad input refused INVALID_ALGO', async () => {
    const fake = fakeAlgos({ now: () => 1_000 });
    const spec = {
      kind: 'twap',
      instrumentToken: 408065,
      side: 'BUY',
      quantity: 10,
      product: 'MIS',
      durationSeconds: 30,
      slices: 3,
    } as const;
    const { algo } = await fake.service.start(spec);
    expect(algo.spec).toEqual({ ...spec, jitter: 0.3, catchUp: true });
    expect(algo.benchmark).toMatchObject({ startAt: 1_000, endAt: 31_000, scheduledQuantity: 0 });
    const { slices: _, ...window } = spec;
    const vwap = await fake.service.start({ ...window, kind: 'vwap' });
    expect(vwap.algo.spec).toMatchObject({ kind: 'vwap', historyDays: 10 });
    await expect(fake.service.start({ ...spec, durationSeconds: 5 })).rejects.toMatchObject({
      code: 'REJECTED',
      details: { code: 'INVALID_ALGO' },
    });
  });
});
