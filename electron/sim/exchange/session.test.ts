import { describe, expect, it } from 'vitest';
import { SessionClock, isMarketOpen, istMinuteOfDay } from './session';
import type { SessionTarget } from './session';

// Monday 2025-11-24, IST wall clock -> epoch ms.
const ist = (h: number, m: number, day = 24): number => Date.UTC(2025, 10, day, h, m) - 330 * 60_000;

function fakeTarget(open: boolean): SessionTarget & { calls: string[] } {
  const calls: string[] = [];
  const t = {
    sessionOpen: open,
    calls,
    openSession: () => {
      t.sessionOpen = true;
      calls.push('open');
    },
    closeSession: () => {
      t.sessionOpen = false;
      calls.push('close');
    },
    squareOffIntraday: () => calls.push('squareOff'),
    expireOrders: () => undefined,
  };
  return t;
}

describe('session clock', () => {
  it('knows IST market hours on weekdays', () => {
    expect(istMinuteOfDay(ist(9, 15))).toBe(555);
    expect(isMarketOpen(ist(9, 14))).toBe(false);
    expect(isMarketOpen(ist(9, 15))).toBe(true);
    expect(isMarketOpen(ist(15, 29))).toBe(true);
    expect(isMarketOpen(ist(15, 30))).toBe(false);
    expect(isMarketOpen(ist(10, 0, 22))).toBe(false); // Saturday
  });

  it('opens, squares off MIS once at 15:20 and closes', () => {
    const t = fakeTarget(false);
    const clock = new SessionClock(t, true);
    for (const [h, m] of [
      [9, 0],
      [9, 15],
      [12, 0],
      [15, 20],
      [15, 21],
      [15, 30],
      [16, 0],
    ] as const)
      clock.tick(ist(h, m));
    expect(t.calls).toEqual(['open', 'squareOff', 'close']);
  });

  it('stays open without market hours and never squares off', () => {
    const t = fakeTarget(false);
    const clock = new SessionClock(t, false);
    clock.tick(ist(15, 25));
    clock.tick(ist(23, 0));
    expect(t.calls).toEqual(['open']);
  });
});
