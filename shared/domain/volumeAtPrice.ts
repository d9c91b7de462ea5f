import { roundToTick } from './money';

/**
 * The session's traded volume at each price, built from a quote stream: each rise of the day's
 * volume is put at the last traded price of that quote. The first quote only sets the baseline (how
 * the day's volume so far was spread is not in the stream); a fall of the day's volume (a new
 * session, or the feed restarted) starts again. The engine keeps one per instrument it streams, from
 * every tick (`market.volumeProfile`); the ladder starts from the engine's and goes on from its
 * quotes. Prices are wire units on `tick`'s grid (an off-grid trade goes to its nearest row); times
 * are the quotes' `receivedAt` (the engine's clock).
 */
export interface VolumeAtPrice {
  /** Takes one quote; true when a price's volume changed. Allocates nothing on a known price. */
  add(lastPrice: number, dayVolume: number, receivedAt: number): boolean;
  at(price: number): number;
  /** The largest volume at any price (the bars' full width). */
  readonly max: number;
  readonly total: number;
  /** The day volume of the last quote taken (-1 before the first). */
  readonly dayVolume: number;
  /** When the first volume was counted (0 when none yet). */
  readonly since: number;
  /** When the last quote was taken (0 before the first). */
  readonly updatedAt: number;
  /** Every price with its volume, in price order. */
  levels(): [price: number, volume: number][];
  /**
   * Starts from another count of the same day: `levels` counted from `since`, up to the quote with
   * `dayVolume` received at `updatedAt`. The caller drops the quotes that count already holds.
   */
  replace(
    levels: readonly (readonly [number, number])[],
    dayVolume: number,
    since: number,
    updatedAt: number,
  ): void;
}

/** A volume-at-price accumulator (see VolumeAtPrice). */
export function createVolumeAtPrice(tick: number): VolumeAtPrice {
  const byPrice = new Map<number, number>();
  let lastVolume = -1;
  let max = 0;
  let total = 0;
  let since = 0;
  let updatedAt = 0;
  const clear = (): void => {
    byPrice.clear();
    max = 0;
    total = 0;
    since = 0;
  };
  return {
    add(lastPrice, dayVolume, receivedAt) {
      updatedAt = receivedAt;
      if (dayVolume < lastVolume || lastVolume < 0) {
        if (dayVolume < lastVolume) clear();
        lastVolume = dayVolume;
        return false;
      }
      const traded = dayVolume - lastVolume;
      lastVolume = dayVolume;
      if (traded <= 0 || lastPrice <= 0) return false;
      const price = roundToTick(lastPrice, tick);
      const v = (byPrice.get(price) ?? 0) + traded;
      byPrice.set(price, v);
      if (v > max) max = v;
      total += traded;
      if (since === 0) since = receivedAt;
      return true;
    },
    at: (price) => byPrice.get(price) ?? 0,
    get max() {
      return max;
    },
    get total() {
      return total;
    },
    get dayVolume() {
      return lastVolume;
    },
    get since() {
      return since;
    },
    get updatedAt() {
      return updatedAt;
    },
    levels: () => [...byPrice].sort((a, b) => a[0] - b[0]),
    replace(levels, dayVolume, from, at) {
      clear();
      for (const [p, v] of levels) {
        if (!(v > 0)) continue;
        const price = roundToTick(p, tick);
        const sum = (byPrice.get(price) ?? 0) + v;
        byPrice.set(price, sum);
        if (sum > max) max = sum;
        total += v;
      }
      lastVolume = dayVolume;
      since = total > 0 ? from : 0;
      updatedAt = at;
    },
  };
}
