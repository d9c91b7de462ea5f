/**
 * Which KiteVenue the process serves. Until the matching engine lands this is the protocol layer's
 * in-memory test double, and says so ("stub") in the ready line and the log; the options are passed
 * through so the real venue can take them without changing the entry.
 */
import { MemoryVenue } from '../kite';
import type { KiteVenue } from '../kite';

export interface VenueOptions {
  readonly seed: number;
  readonly speed: number;
  readonly alwaysOpen: boolean;
  readonly state?: string;
}

/** A venue, what kind it is, and how to stop it. */
export interface HostedVenue {
  readonly venue: KiteVenue;
  /** `stub`: the in-memory test double, not an exchange. */
  readonly kind: 'stub' | 'exchange';
  readonly close: () => Promise<void>;
}

/** Builds the venue. Only the stub exists today: the options are accepted and not used yet. */
export function createVenue(_options: VenueOptions): HostedVenue {
  return { venue: new MemoryVenue(), kind: 'stub', close: () => Promise.resolve() };
}
