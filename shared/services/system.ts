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

/** One native memory structure (slab pool, ring, quote board, column store) as the engine sees it. */
export const MemoryStatSchema = z.object({
  name: z.string(),
  kind: z.enum(['pool', 'ring', 'byteRing', 'board', 'columns']),
  /** Records (bytes for a byteRing). */
  capacity: z.number().int().nonnegative(),
  used: z.number().int(),
  highWater: z.number().int(),
  /** Failed acquires (pool), refused or overwritten records (ring). */
  overflows: z.number().int(),
  /** Times a thread parked waiting on it. */
  waits: z.number().int(),
  /** Stale-handle releases (pool), torn-read retries (board). */
  stale: z.number().int(),
  /** Size of its SharedArrayBuffer. */
  bytes: z.number().int().nonnegative(),
});
export type MemoryStat = z.infer<typeof MemoryStatSchema>;

/** Every native memory structure the engine registered, at one moment; each figure may be one update stale. */
export const MemorySnapshotSchema = z.object({
  /** When it was taken, ms since the Unix epoch. */
  at: z.number().int(),
  structures: z.array(MemoryStatSchema),
  totalBytes: z.number().int().nonnegative(),
});
export type MemorySnapshot = z.infer<typeof MemorySnapshotSchema>;

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
    /** One snapshot of the engine's native memory: every pool and ring, occupancy, high-water, overflows, waits. */
    memory: { params: z.undefined(), result: MemorySnapshotSchema },
  },
  {
    onStatus: { params: z.undefined(), event: SystemStatusSchema },
  },
);
