/**
 * Fault injection for the simulator only, set through the admin API under `/__sim/`: latency and
 * error rates per endpoint, bursts of 429s, and lost order acknowledgements. (WebSocket drops and
 * silent stalls are actions on the ticker, see tickerServer.ts.) Pure: the random source is
 * injected, so a seed reproduces which requests fail.
 */
import { z } from 'zod';
import type { KiteErrorType } from './venue';

const errorTypes = [
  'TokenException',
  'InputException',
  'OrderException',
  'MarginException',
  'HoldingException',
  'UserException',
  'PermissionException',
  'TwoFAException',
  'NetworkException',
  'DataException',
  'GeneralException',
] as const satisfies readonly KiteErrorType[];

/** A fault rule for one endpoint: a route name (`orders.place`, `quote`, ...) or `*` for all. */
export const EndpointFaultSchema = z.object({
  /** Added delay before the answer, ms. */
  latencyMs: z.number().int().min(0).max(600_000).default(0),
  /** Extra random delay up to this many ms. */
  jitterMs: z.number().int().min(0).max(600_000).default(0),
  /** Probability 0..1 that the request fails with `errorType`. */
  errorRate: z.number().min(0).max(1).default(0),
  errorType: z.enum(errorTypes).default('NetworkException'),
  /** HTTP status of an injected error; by default the type's usual status. */
  errorStatus: z.number().int().min(400).max(599).optional(),
});
export type EndpointFault = z.output<typeof EndpointFaultSchema>;

/** The whole fault configuration, as `PUT /__sim/faults` takes it. */
export const FaultConfigSchema = z.object({
  endpoints: z.record(z.string(), EndpointFaultSchema).default({}),
  /** The next N API requests (any endpoint) get 429 NetworkException. */
  burst429: z.number().int().min(0).max(1_000_000).default(0),
  /**
   * The next N order placements are placed at the venue, but their HTTP response never arrives:
   * `hang` keeps the connection open without answering (the client times out), `reset` destroys it.
   */
  lostAcks: z.number().int().min(0).max(1_000_000).default(0),
  lostAckMode: z.enum(['hang', 'reset']).default('hang'),
});
export type FaultConfig = z.output<typeof FaultConfigSchema>;

/** What to do to one request before it reaches the venue. */
export interface FaultDecision {
  readonly delayMs: number;
  /** Answer with this error instead of calling the venue. */
  readonly error?: { readonly errorType: KiteErrorType; readonly status: number | undefined };
  readonly tooManyRequests: boolean;
  /** Place the order, then lose the response. */
  readonly loseAck?: 'hang' | 'reset';
}

/** Holds the current configuration and draws a decision per request. */
export class FaultInjector {
  private config: FaultConfig = FaultConfigSchema.parse({});

  constructor(private readonly random: () => number) {}

  /** Replaces the configuration (already validated). */
  set(config: FaultConfig): void {
    this.config = config;
  }

  get current(): FaultConfig {
    return this.config;
  }

  reset(): void {
    this.config = FaultConfigSchema.parse({});
  }

  /** Decides for one request to `route`. Consumes one 429 or lost ack if armed. */
  decide(route: string): FaultDecision {
    const c = this.config;
    const rule = c.endpoints[route] ?? c.endpoints['*'];
    const delayMs =
      rule === undefined
        ? 0
        : rule.latencyMs + (rule.jitterMs > 0 ? Math.floor(this.random() * rule.jitterMs) : 0);
    if (c.burst429 > 0) {
      this.config = { ...c, burst429: c.burst429 - 1 };
      return { delayMs, tooManyRequests: true };
    }
    if (rule !== undefined && rule.errorRate > 0 && this.random() < rule.errorRate)
      return {
        delayMs,
        tooManyRequests: false,
        error: { errorType: rule.errorType, status: rule.errorStatus },
      };
    if (route === 'orders.place' && c.lostAcks > 0) {
      this.config = { ...c, lostAcks: c.lostAcks - 1 };
      return { delayMs, tooManyRequests: false, loseAck: c.lostAckMode };
    }
    return { delayMs, tooManyRequests: false };
  }
}

/** A small fast seeded PRNG (mulberry32), uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
