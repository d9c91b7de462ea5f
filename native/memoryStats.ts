/**
 * MemoryStats: one snapshot of every pool, ring, board and column store a process registers, for
 * the engine's `system` service. Snapshots allocate; take them at human rates (once a second).
 */

/** What kind of structure a stat describes. */
export type MemoryStatKind = 'pool' | 'ring' | 'byteRing' | 'board' | 'columns';

/**
 * One structure's figures. `used` and `capacity` are records (bytes for a byteRing); `overflows`
 * counts failed acquires (pool), refused or overwritten records (ring), or nothing (board, columns);
 * `waits` counts times a thread parked on the structure; `stale` counts stale-handle releases (pool)
 * and torn-read retries (board). Read with plain atomic loads: every figure may be one update stale.
 */
export interface MemoryStat {
  readonly name: string;
  readonly kind: MemoryStatKind;
  readonly capacity: number;
  readonly used: number;
  readonly highWater: number;
  readonly overflows: number;
  readonly waits: number;
  readonly stale: number;
  /** The SharedArrayBuffer's size. */
  readonly bytes: number;
}

/** Anything that can describe itself under a name. */
export interface MemoryStatSource {
  stats(name: string): MemoryStat;
}

/** A snapshot of every registered structure, ordered by name. */
export interface MemorySnapshot {
  /** When it was taken, ms since the Unix epoch. */
  readonly at: number;
  readonly structures: readonly MemoryStat[];
  /** Sum of `bytes` over all structures. */
  readonly totalBytes: number;
}

/**
 * The registry of live native structures in one process. The owner (the engine) registers each
 * structure it creates and disposes the returned registration when the structure goes away.
 * Single-threaded: use it on the thread that owns it (structures on other threads report through
 * their shared counters, which any thread may read).
 */
export class MemoryRegistry {
  private readonly sources = new Map<string, MemoryStatSource>();

  /** Registers `source` as `name`; throws if the name is taken. Dispose the result to unregister. */
  register(name: string, source: MemoryStatSource): { dispose(): void } {
    if (this.sources.has(name)) throw new Error(`memory structure '${name}' is already registered`);
    this.sources.set(name, source);
    return {
      dispose: () => {
        if (this.sources.get(name) === source) this.sources.delete(name);
      },
    };
  }

  /** Names registered now. */
  get size(): number {
    return this.sources.size;
  }

  /** One snapshot of every structure. Allocates. */
  snapshot(now: () => number = Date.now): MemorySnapshot {
    const structures = [...this.sources.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, source]) => source.stats(name));
    return { at: now(), structures, totalBytes: structures.reduce((sum, s) => sum + s.bytes, 0) };
  }
}
