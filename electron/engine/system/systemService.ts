import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Emitter } from '../../../shared/emitter';
import type { Disposable } from '../../../shared/disposable';
import type { ServiceOf } from '../../../shared/rpc/service';
import type {
  MemorySnapshot,
  SystemInfo,
  SystemStatus,
  systemService,
} from '../../../shared/services/system';
import { judgeHealth } from './health';

export type SystemService = ServiceOf<typeof systemService>;

export interface SystemServiceOptions {
  readonly info: SystemInfo;
  /** Clients connected right now. */
  readonly connections: () => number;
  readonly now?: () => number;
  /** Sampling period of the status stream, ms. */
  readonly intervalMs?: number;
  /** One snapshot of the engine's native memory structures (the engine's MemoryRegistry). */
  readonly memory?: () => MemorySnapshot;
}

/**
 * The `system` service: static info, a ping, and a status stream sampled once a second while
 * anyone listens. Event-loop delay comes from perf_hooks' histogram, reset each sample.
 */
export function createSystemService(options: SystemServiceOptions): SystemService & Disposable {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 1000;
  const status = new Emitter<SystemStatus>();
  const histogram = monitorEventLoopDelay({ resolution: SAMPLING_MS });
  let timer: NodeJS.Timeout | undefined;

  const sample = (): SystemStatus => {
    const memory = process.memoryUsage();
    // The histogram is in nanoseconds and its samples include the sampling period itself.
    const p99 = histogram.count > 0 ? lagMs(histogram.percentile(99)) : 0;
    const max = histogram.count > 0 ? lagMs(histogram.max) : 0;
    histogram.reset();
    const vitals = { eventLoopLagP99Ms: round(p99), rssBytes: memory.rss };
    const { health, reasons } = judgeHealth(vitals);
    return {
      at: now(),
      uptimeMs: Math.max(0, now() - options.info.startedAt),
      eventLoopLagP99Ms: vitals.eventLoopLagP99Ms,
      eventLoopLagMaxMs: round(max),
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      connections: options.connections(),
      health,
      healthReasons: reasons,
    };
  };

  const start = (): void => {
    if (timer !== undefined) return;
    histogram.enable();
    timer = setInterval(() => {
      status.fire(sample());
    }, intervalMs);
  };
  const stopIfIdle = (): void => {
    if (status.size > 0 || timer === undefined) return;
    clearInterval(timer);
    timer = undefined;
    histogram.disable();
  };

  return {
    info: () => Promise.resolve(options.info),
    ping: ({ nonce }) => Promise.resolve({ nonce, at: now() }),
    memory: () => Promise.resolve(options.memory?.() ?? { at: now(), structures: [], totalBytes: 0 }),
    onStatus(listener) {
      const subscription = status.on(listener);
      start();
      return {
        dispose() {
          subscription.dispose();
          stopIfIdle();
        },
      };
    },
    dispose() {
      status.clear();
      stopIfIdle();
    },
  };
}

/** perf_hooks samples the loop with a timer of this period, ms. */
const SAMPLING_MS = 10;

function lagMs(sampleNs: number): number {
  return Math.max(0, sampleNs / 1e6 - SAMPLING_MS);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
