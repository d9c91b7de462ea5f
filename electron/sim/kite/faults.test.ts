import { describe, expect, it } from 'vitest';
import { FaultConfigSchema, FaultInjector, seededRandom } from './faults';

describe('FaultInjector', () => {
  it('does nothing by default', () => {
    expect(new FaultInjector(seededRandom(1)).decide('orders.place')).toEqual({
      delayMs: 0,
      tooManyRequests: false,
    });
  });

  it('spends a 429 burst, then a lost acknowledgement on the next placement only', () => {
    const f = new FaultInjector(seededRandom(1));
    f.set(FaultConfigSchema.parse({ burst429: 2, lostAcks: 1 }));
    expect(f.decide('quote').tooManyRequests).toBe(true);
    expect(f.decide('orders.place').tooManyRequests).toBe(true);
    expect(f.decide('quote').loseAck).toBeUndefined();
    expect(f.decide('orders.place').loseAck).toBe('hang');
    expect(f.decide('orders.place').loseAck).toBeUndefined();
  });

  it('fails about errorRate of the requests, reproducibly for a seed', () => {
    const run = (): boolean[] => {
      const f = new FaultInjector(seededRandom(42));
      f.set(FaultConfigSchema.parse({ endpoints: { quote: { errorRate: 0.3, latencyMs: 5 } } }));
      return Array.from({ length: 1000 }, () => f.decide('quote').error !== undefined);
    };
    const first = run();
    expect(run()).toEqual(first);
    const failures = first.filter(Boolean).length;
    expect(failures).toBeGreaterThan(240);
    expect(failures).toBeLessThan(360);
  });

  it('falls back to the * rule', () => {
    const f = new FaultInjector(seededRandom(1));
    f.set(FaultConfigSchema.parse({ endpoints: { '*': { latencyMs: 30 }, quote: { latencyMs: 1 } } }));
    expect(f.decide('orders.list').delayMs).toBe(30);
    expect(f.decide('quote').delayMs).toBe(1);
  });
});
