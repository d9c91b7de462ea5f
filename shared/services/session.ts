import { z } from 'zod';
import { defineService } from '../rpc/service';
import { TradingModeSchema } from './system';

/** The market data feed's connection (the broker's WebSocket). */
export const FeedStateSchema = z.object({
  state: z.enum(['idle', 'connecting', 'open', 'reconnecting', 'closed']),
  /** Connections open / wanted (Kite allows three). */
  connections: z.number().int().nonnegative(),
  /** Instruments subscribed across the connections. */
  instruments: z.number().int().nonnegative(),
  /** Reconnect attempt in progress, 0 when connected. */
  attempt: z.number().int().nonnegative(),
  /** When the next attempt starts (epoch ms), 0 when none is planned. */
  nextAttemptAt: z.number().int().nonnegative(),
  /** The last problem, for the status bar; '' when none. */
  lastProblem: z.string(),
});
export type FeedState = z.infer<typeof FeedStateSchema>;

/** Who the engine trades for, against which venue, and whether it can. */
export const SessionStateSchema = z.object({
  mode: TradingModeSchema,
  /** `local-exchange` in sim mode; `kite` otherwise. */
  venue: z.enum(['local-exchange', 'kite']),
  state: z.enum(['waiting-for-venue', 'logged-out', 'logging-in', 'logged-in', 'failed']),
  userId: z.string(),
  userName: z.string(),
  /** Where a person logs in (Kite's login page, or the local exchange's), '' when not needed. */
  loginUrl: z.string(),
  /** Why the state is what it is ('' when logged in), in a trader's words. */
  message: z.string(),
  /** Instruments known for today (the broker's dump), and the IST date it is for. */
  instruments: z.number().int().nonnegative(),
  instrumentsDate: z.string(),
  feed: FeedStateSchema,
});
export type SessionState = z.infer<typeof SessionStateSchema>;

/** The `session` service: login state, login, logout. */
export const sessionService = defineService(
  'session',
  {
    state: { params: z.undefined(), result: SessionStateSchema },
    /**
     * Completes a login with the `request_token` the broker's redirect carried (the login window or
     * the browser caught it). In sim mode, without a token, logs in to the local exchange by itself.
     */
    login: {
      params: z
        .object({
          requestToken: z
            .string()
            .regex(/^[A-Za-z0-9]{6,64}$/)
            .optional(),
        })
        .strict(),
      result: SessionStateSchema,
      timeoutMs: 30_000,
    },
    /** Ends the broker session (the access token is invalidated) and stops the feed. */
    logout: { params: z.undefined(), result: SessionStateSchema },
  },
  {
    onState: { params: z.undefined(), event: SessionStateSchema },
  },
);
