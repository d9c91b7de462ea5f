import { z } from 'zod';
import { defineService } from '../rpc/service';

/** How ShrivenQ trades: against the local exchange, on paper with live data, or live on Kite. */
export const TradingModeSchema = z.enum(['sim', 'paper', 'live']);
export type TradingMode = z.infer<typeof TradingModeSchema>;

/** Facts about the running engine that do not change while it runs. */
export const SystemInfoSchema = z.object({
  name: z.literal('ShrivenQ'),
  version: z.string(),
  mode: TradingModeSchema,
  /** When this engine process started, ms since the Unix epoch (UTC). */
  startedAt: z.number().int(),
  pid: z.number().int(),
  node: z.string(),
  /** How the engine is hosted: an Electron utility process or a Node child process. */
  host: z.enum(['electron-utility', 'node-child', 'in-process']),
});
export type SystemInfo = z.infer<typeof SystemInfoSchema>;

/** Overall health: degraded when the event loop lags or memory runs high. */
export const HealthSchema = z.enum(['ok', 'degraded', 'failing']);
export type Health = z.infer<typeof HealthSchema>;

/** The engine's vital signs, once a second. */
export const SystemStatusSchema = z.object({
  /** When this sample was taken, ms since the Unix epoch. */
  at: z.number().int(),
  uptimeMs: z.number().int().nonnegative(),
  /** Event-loop delay over the last second, ms: the 99th percentile and the worst. */
  eventLoopLagP99Ms: z.number().nonnegative(),
  eventLoopLagMaxMs: z.number().nonnegative(),
  rssBytes: z.number().int().nonnegative(),
  heapUsedBytes: z.number().int().nonnegative(),
  /** Clients connected right now (windows, scripts). */
  connections: z.number().int().nonnegative(),
  health: HealthSchema,
  /** Why health is not ok; empty when it is. */
  healthReasons: z.array(z.string()),
});
export type SystemStatus = z.infer<typeof SystemStatusSchema>;

/** The `system` service: what the engine is and how it is doing. */
export const systemService = defineService(
  'system',
  {
    info: { params: z.undefined(), result: SystemInfoSchema },
    /** Round trip check; echoes `nonce`. */
    ping: {
      params: z.object({ nonce: z.number().int() }).strict(),
      result: z.object({ nonce: z.number().int(), at: z.number().int() }),
    },
  },
  {
    onStatus: { params: z.undefined(), event: SystemStatusSchema },
  },
);
