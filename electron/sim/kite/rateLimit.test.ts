import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rateLimit';

describe('RateLimiter', () => {
  it('admits 10 orders in a second, refuses the 11th, admits again as the window slides', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    for (let i = 0; i < 10; i++) {
      now += 50;
      expect(limiter.admit('orders')).toBe(true);
    }
    expect(limiter.admit('orders')).toBe(false);
    now = 1_050; // the first order (t=50) has left the window
    expect(limiter.admit('orders')).toBe(true);
    expect(limiter.admit('orders')).toBe(false);
  });

  it('keeps the classes apart: quote 1/s, historical 3/s, other 10/s', () => {
    let now = 1_000;
    const limiter = new RateLimiter(() => now);
    expect(limiter.admit('quote')).toBe(true);
    expect(limiter.admit('quote')).toBe(false);
    expect([1, 2, 3, 4].map(() => limiter.admit('historical'))).toEqual([true, true, true, false]);
    expect(Array.from({ length: 11 }, () => limiter.admit('other')).filter(Boolean)).toHaveLength(10);
    now += 1_000;
    expect(limiter.admit('quote')).toBe(true);
  });

  it('caps orders at 400 a minute', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    let admitted = 0;
    for (let second = 0; second < 60; second++) {
      now = second * 1_000;
      for (let i = 0; i < 10; i++) if (limiter.admit('orders')) admitted++;
    }
    expect(admitted).toBe(400);
  });
});
