import type { Health } from '../../../shared/services/system';

/** Where vital signs stop being fine. A lagging event loop delays every tick and order. */
export interface HealthThresholds {
  readonly lagDegradedMs: number;
  readonly lagFailingMs: number;
  readonly rssDegradedBytes: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {
  lagDegradedMs: 50,
  lagFailingMs: 500,
  rssDegradedBytes: 4 * 1024 ** 3,
};

/** Judges health from one status sample. Pure. */
export function judgeHealth(
  sample: { readonly eventLoopLagP99Ms: number; readonly rssBytes: number },
  thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS,
): { health: Health; reasons: string[] } {
  const reasons: string[] = [];
  let health: Health = 'ok';
  if (sample.eventLoopLagP99Ms >= thresholds.lagFailingMs) {
    health = 'failing';
    reasons.push(`event loop lag p99 ${sample.eventLoopLagP99Ms.toFixed(0)} ms`);
  } else if (sample.eventLoopLagP99Ms >= thresholds.lagDegradedMs) {
    health = 'degraded';
    reasons.push(`event loop lag p99 ${sample.eventLoopLagP99Ms.toFixed(0)} ms`);
  }
  if (sample.rssBytes >= thresholds.rssDegradedBytes) {
    if (health === 'ok') health = 'degraded';
    reasons.push(`memory ${(sample.rssBytes / 1024 ** 3).toFixed(1)} GiB`);
  }
  return { health, reasons };
}
