import { z } from 'zod';
import { Emitter } from '../emitter';
import { RpcError } from './errors';
import { defineService } from './service';
import type { ServiceOf } from './service';

/**
 * A small service used by the RPC layer's own tests (and by anyone testing a transport): requests
 * that succeed, refuse, throw and hang, and a keyed stream to conflate.
 */
export const echoService = defineService(
  'echo',
  {
    echo: {
      params: z.object({ text: z.string().max(1000) }).strict(),
      result: z.object({ text: z.string() }),
    },
    add: {
      params: z.object({ a: z.number().int(), b: z.number().int() }).strict(),
      result: z.number().int(),
    },
    refuse: { params: z.undefined(), result: z.never() },
    crash: { params: z.undefined(), result: z.never() },
    hang: { params: z.undefined(), result: z.never(), timeoutMs: 50 },
  },
  {
    onTicks: {
      params: z.object({ symbol: z.string() }).strict().optional(),
      event: z.object({ symbol: z.string(), price: z.number() }),
    },
    onQuotes: {
      params: z.undefined(),
      event: z.object({ symbol: z.string(), price: z.number() }),
      conflate: { intervalMs: 100, key: (q: { symbol: string }) => q.symbol },
    },
  },
);

export type EchoService = ServiceOf<typeof echoService>;

/** An implementation of echoService whose streams are driven by `ticks.fire(...)`. */
export function createEchoService(): EchoService & { ticks: Emitter<{ symbol: string; price: number }> } {
  const ticks = new Emitter<{ symbol: string; price: number }>();
  return {
    ticks,
    echo: ({ text }) => Promise.resolve({ text }),
    add: ({ a, b }) => Promise.resolve(a + b),
    refuse: () => Promise.reject(new RpcError('REJECTED', 'refused on purpose', { reason: 'test' })),
    crash: () => Promise.reject(new Error('boom')),
    hang: () => new Promise<never>(() => undefined),
    onTicks: (listener, params) =>
      ticks.on((t) => {
        if (params === undefined || params.symbol === t.symbol) listener(t);
      }),
    onQuotes: (listener) => ticks.on(listener),
  };
}
