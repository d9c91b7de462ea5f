import { describe, expect, it } from 'vitest';
import { fromChartTime, historyRange, normalizeCandles, toChartBar, toChartTime } from './chartData';

const candle = (iso: string, close = 152_345, volume = 10) => ({
  time: Date.parse(iso),
  open: 152_000,
  high: 152_500,
  low: 151_900,
  close,
  volume,
  oi: 0,
});

describe('chart time', () => {
  it('shifts UTC by +05:30 so the chart, which draws UTC, reads the IST wall clock', () => {
    // 09:15 IST is 03:45 UTC; the chart must label it 09:15.
    const t = toChartTime(Date.parse('2026-11-24T03:45:00Z'));
    const shown = new Date(t * 1000);
    expect([shown.getUTCHours(), shown.getUTCMinutes()]).toEqual([9, 15]);
    expect(fromChartTime(t)).toBe(Date.parse('2026-11-24T03:45:00Z'));
    // A day bar starts at 00:00 IST (18:30 UTC the day before) and lands on its own date.
    const day = new Date(toChartTime(Date.parse('2026-11-23T18:30:00Z')) * 1000);
    expect(day.toISOString()).toBe('2026-11-24T00:00:00.000Z');
  });

  it('divides wire units for display', () => {
    expect(toChartBar(candle('2026-11-24T03:45:00Z'), 100)).toMatchObject({
      open: 1520,
      high: 1525,
      low: 1519,
      close: 1523.45,
      volume: 10,
    });
  });

  it('asks for about five trading days of minute bars and a year of days', () => {
    const now = Date.parse('2026-11-24T06:00:00Z');
    expect(historyRange('1m', now)).toEqual({ from: now - 7 * 86_400_000, to: now });
    expect(historyRange('1d', now).from).toBe(now - 365 * 86_400_000);
  });

  it('sorts candles and keeps one per time, the later one', () => {
    const a = candle('2026-11-24T03:46:00Z');
    const b = candle('2026-11-24T03:45:00Z');
    const a2 = candle('2026-11-24T03:46:00Z', 152_400);
    expect(normalizeCandles([a, b, a2])).toEqual([b, a2]);
  });
});
