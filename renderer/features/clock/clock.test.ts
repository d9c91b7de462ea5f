import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatIstTime } from '../../../shared/time/ist';
import { msUntilNextSecond, selectIstDayStart, startClock } from './clock';

describe('msUntilNextSecond', () => {
  it('wakes just after the next whole second', () => {
    expect(msUntilNextSecond(10_000)).toBe(1005);
    expect(msUntilNextSecond(10_001)).toBe(1004);
    expect(msUntilNextSecond(10_999)).toBe(6);
  });
});

describe('startClock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows every IST second once, on time, without drifting', () => {
    vi.setSystemTime(Date.parse('2026-11-24T03:45:06.400Z'));
    const clock = startClock();
    const shown: string[] = [];
    clock.store.subscribe((s) => shown.push(formatIstTime(s.nowMs)));
    expect(formatIstTime(clock.store.getState().nowMs)).toBe('09:15:06');

    vi.advanceTimersByTime(599);
    expect(shown).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(shown).toEqual(['09:15:07']);
    vi.advanceTimersByTime(3 * 60 * 60 * 1000);
    expect(shown).toHaveLength(3 * 60 * 60 + 1);
    expect(new Set(shown).size).toBe(shown.length);
    expect(shown.at(-1)).toBe('12:15:07');
    // Still within a few ms of the boundary after three hours.
    expect(clock.store.getState().nowMs % 1000).toBeLessThan(10);
    clock.dispose();
  });

  it('stops ticking when disposed', () => {
    const clock = startClock();
    const listener = vi.fn();
    clock.store.subscribe(listener);
    clock.dispose();
    vi.advanceTimersByTime(5000);
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('selectIstDayStart', () => {
  it('is the IST midnight of the trading date, not the UTC one', () => {
    const midnight = Date.parse('2026-04-01T00:00:00+05:30');
    expect(selectIstDayStart({ nowMs: midnight })).toBe(midnight);
    expect(selectIstDayStart({ nowMs: midnight - 1 })).toBe(Date.parse('2026-03-31T00:00:00+05:30'));
    // 20:00 UTC on 31 March is 01:30 IST on 1 April.
    expect(selectIstDayStart({ nowMs: Date.parse('2026-03-31T20:00:00Z') })).toBe(midnight);
    expect(selectIstDayStart({ nowMs: Date.parse('2026-04-01T23:59:59.999+05:30') })).toBe(midnight);
  });
});
