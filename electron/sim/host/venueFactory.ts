/**
 * Which KiteVenue the process serves: the local exchange (`ExchangeVenue`), on a clock that runs
 * `speed` times faster than the machine's from the moment of start, with the session following
 * market hours unless `alwaysOpen`. The in-memory test double (`MemoryVenue`) now serves only the
 * protocol layer's own tests.
 */
import type { KiteVenue } from '../kite';
import { ExchangeVenue } from '../venue';

export interface VenueOptions {
  readonly seed: number;
  readonly speed: number;
  readonly alwaysOpen: boolean;
  /** `--state FILE`: the exchange's SQLite command journal, replayed on start (see ../state). */
  readonly state?: string;
}

/** A venue, what kind it is, and how to stop it. */
export interface HostedVenue {
  readonly venue: KiteVenue;
  /** `exchange`: the matching engine (the in-memory test double serves only the kite/ protocol tests). */
  readonly kind: 'exchange';
  readonly close: () => Promise<void>;
}

/** How often the session clock (open, MIS square-off, close, TTL expiry) is brought up to date. */
const SESSION_TICK_MS = 1_000;

/** Builds the local exchange's venue and starts its session clock. */
export function createVenue(options: VenueOptions, wallClock: () => number = Date.now): HostedVenue {
  const started = wallClock();
  const now = (): number => started + Math.floor((wallClock() - started) * options.speed);
  const venue = new ExchangeVenue({
    now,
    seed: options.seed,
    marketHours: !options.alwaysOpen,
    ...(options.state === undefined ? {} : { stateFile: options.state }),
  });
  const timer = setInterval(() => {
    venue.tick();
  }, SESSION_TICK_MS);
  // The session clock alone must not keep the process alive.
  timer.unref();
  return {
    venue,
    kind: 'exchange',
    close: () => {
      clearInterval(timer);
      venue.close();
      return Promise.resolve();
    },
  };
}
