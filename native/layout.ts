/**
 * Byte-layout helpers shared by native/'s structures (slab pools, rings, the quote board).
 * Pure arithmetic; safe on any thread.
 */

/**
 * The cache line size assumed for padding. Indices written by different threads sit on separate
 * lines so that one thread's writes do not invalidate the line another thread is reading.
 */
export const CACHE_LINE_BYTES = 64;

/** Rounds `bytes` up to a multiple of `alignment` (a power of two). Throws on bad input. */
export function alignUp(bytes: number, alignment: number = CACHE_LINE_BYTES): number {
  if (!Number.isSafeInteger(bytes) || bytes < 0)
    throw new RangeError(`bytes must be a non-negative integer (got ${bytes})`);
  if (!Number.isSafeInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
    throw new RangeError(`alignment must be a positive power of two (got ${alignment})`);
  }
  return Math.ceil(bytes / alignment) * alignment;
}
