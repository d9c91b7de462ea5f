/**
 * Fault injection for the simulator only, set through the admin API under `/__sim/`: latency and
 * error rates per endpoint, bursts of 429s, and lost order acknowledgements; and, from the command
 * line (`--lose-acks P`), a standing probability of losing each order-changing request's answer.
 * (WebSocket drops and silent stalls are actions on the ticker, see tickerServer.ts.) Pure: the
 * random sources are injected, so a seed reproduces which requests fail.
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
  /** Carry the request out (place, modify, cancel), then lose its response. */
  readonly loseAck?: LostAckMode;
}

/** How a lost acknowledgement is lost: `hang` never answers, `reset` destroys the connection. */
export type LostAckMode = 'hang' | 'reset';

/** The routes that change orders: the ones whose answers `--lose-acks` loses. */
export const ORDER_CHANGING_ROUTES: readonly string[] = ['orders.place', 'orders.modify', 'orders.cancel'];

/**
 * A standing chance of losing acknowledgements (`--lose-acks P --lose-acks-mode M`): each
 * place, modify and cancel request is carried out as usual, and with probability `rate` its
 * successful answer is lost. Not part of `FaultConfig`: the admin API neither shows nor resets it.
 */
export interface LoseAcksOptions {
  /** 0..1. */
  readonly rate: number;
  readonly mode: LostAckMode;
  /** Uniform in [0, 1); a stream of its own, so the admin faults' draws stay as they were. */
  readonly random: () => number;
}

/** Holds the current configuration and draws a decision per request. */
export class FaultInjector {
  private config: FaultConfig = FaultConfigSchema.parse({});
  /** Undefined unless the rate is above 0: with `--lose-acks 0` nothing is drawn. */
  private readonly loseAcks: LoseAcksOptions | undefined;

  constructor(
    private readonly random: () => number,
    loseAcks?: LoseAcksOptions,
  ) {
    if (loseAcks !== undefined && !(loseAcks.rate >= 0 && loseAcks.rate <= 1))
      throw new RangeError(`lost-ack rate must be in [0, 1] (got ${loseAcks.rate})`);
    this.loseAcks = loseAcks !== undefined && loseAcks.rate > 0 ? loseAcks : undefined;
  }

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

  /**
   * Decides for one request to `route`. Consumes one 429 or lost ack if armed; an order-changing
   * route draws once from the `--lose-acks` stream when its rate is above 0.
   */
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
    const l = this.loseAcks;
    if (l !== undefined && ORDER_CHANGING_ROUTES.includes(route) && l.random() < l.rate)
      return { delayMs, tooManyRequests: false, loseAck: l.mode };
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
