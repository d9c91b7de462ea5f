/**
 * TEST SUPPORT. Starts a KiteServer on a free loopback port with the MemoryVenue test double and a
 * hand-driven clock, for tests that talk to it over real sockets.
 */
import { KiteServer } from '../server';
import type { KiteServerOptions } from '../server';
import { MemoryVenue } from './memoryVenue';

/** A running test server and its controls. */
export interface TestExchange {
  readonly server: KiteServer;
  readonly venue: MemoryVenue;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** The access token issued at start (replaced by a new login). */
  readonly accessToken: string;
  /** Moves the injected clock forward, ms (rate-limit windows, token expiry). */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** The instant the test clock starts at: 2026-11-24 09:30:00 IST. */
export const TEST_START_MS = Date.UTC(2026, 10, 24, 4, 0, 0);

let counter = 0;

/** Starts a test exchange; `options` override the defaults. */
export async function startTestExchange(options: Partial<KiteServerOptions> = {}): Promise<TestExchange> {
  let now = TEST_START_MS;
  const clock = (): number => now;
  const venue = new MemoryVenue(clock);
  const apiKey = 'testkey123';
  const apiSecret = 'testsecret456';
  const server = new KiteServer({
    venue,
    apiKey,
    apiSecret,
    now: clock,
    newToken: () => `tok${String(++counter).padStart(29, '0')}`,
    redirectUrl: 'http://127.0.0.1:9/callback?app=shrivenq',
    ...options,
  });
  await server.listen();
  const accessToken = server.session.issueAccessToken();
  return {
    server,
    venue: options.venue instanceof MemoryVenue ? options.venue : venue,
    apiKey,
    apiSecret,
    accessToken,
    advance(ms) {
      now += ms;
    },
    close: () => server.close(),
  };
}
