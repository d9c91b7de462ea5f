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

describe('FaultInjector with --lose-acks', () => {
  const ORDER_ROUTES = ['orders.place', 'orders.modify', 'orders.cancel'];

  it('at rate 1 loses every place, modify and cancel answer, and nothing else', () => {
    const f = new FaultInjector(seededRandom(1), { rate: 1, mode: 'reset', random: seededRandom(2) });
    for (const route of ORDER_ROUTES) expect(f.decide(route).loseAck).toBe('reset');
    for (const route of ['orders.list', 'orders.history', 'quote', 'gtt.place', 'margins.orders'])
      expect(f.decide(route).loseAck).toBeUndefined();
  });

  it('at rate 0 draws nothing (off the hot path) and loses nothing', () => {
    let draws = 0;
    const random = (): number => {
      draws++;
      return 0;
    };
    const f = new FaultInjector(seededRandom(1), { rate: 0, mode: 'reset', random });
    for (let i = 0; i < 100; i++)
      for (const route of ORDER_ROUTES) expect(f.decide(route).loseAck).toBeUndefined();
    expect(draws).toBe(0);
  });

  it('loses about rate of the answers, the same ones for the same seed, in the given mode', () => {
    const run = (seed: number): boolean[] => {
      const f = new FaultInjector(seededRandom(1), { rate: 0.3, mode: 'hang', random: seededRandom(seed) });
      return Array.from({ length: 1000 }, (_, i) => {
        const d = f.decide(ORDER_ROUTES[i % 3] ?? '');
        if (d.loseAck !== undefined) expect(d.loseAck).toBe('hang');
        return d.loseAck !== undefined;
      });
    };
    const first = run(42);
    expect(run(42)).toEqual(first);
    expect(run(43)).not.toEqual(first);
    const lost = first.filter(Boolean).length;
    expect(lost).toBeGreaterThan(240);
    expect(lost).toBeLessThan(360);
  });

  it('survives the admin API: DELETE faults does not turn it off', () => {
    const f = new FaultInjector(seededRandom(1), { rate: 1, mode: 'reset', random: seededRandom(2) });
    f.set(FaultConfigSchema.parse({ burst429: 1 }));
    f.reset();
    expect(f.decide('orders.place').loseAck).toBe('reset');
  });

  it('refuses a rate outside [0, 1]', () => {
    for (const rate of [-0.1, 1.5, Number.NaN])
      expect(
        () => new FaultInjector(seededRandom(1), { rate, mode: 'reset', random: seededRandom(2) }),
      ).toThrow(/lost-ack rate/);
  });
});
