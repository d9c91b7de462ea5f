import { describe, expect, it } from 'vitest';
import { createVolumeAtPrice } from './volumeAtPrice';

describe('volume at price', () => {
  it('puts each rise of the day volume at the last price; the first quote is the baseline', () => {
    const v = createVolumeAtPrice(5);
    expect(v.add(153_000, 1_000, 1)).toBe(false);
    expect(v.at(153_000)).toBe(0);
    expect(v.add(153_000, 1_010, 1)).toBe(true);
    expect(v.add(153_005, 1_035, 1)).toBe(true);
    // Two trades conflated into one quote: the whole rise goes to the latest price (25, not its LTQ 5).
    expect(v.add(153_000, 1_040, 1)).toBe(true);
    expect(v.add(153_000, 1_040, 1)).toBe(false); // a quote with no trade
    expect(v.at(153_000)).toBe(15);
    expect(v.at(153_005)).toBe(25);
    expect(v.max).toBe(25);
    expect(v.total).toBe(40);
  });

  it('starts again when the day volume falls (a new session)', () => {
    const v = createVolumeAtPrice(5);
    v.add(153_000, 100, 1);
    v.add(153_000, 150, 1);
    expect(v.at(153_000)).toBe(50);
    v.add(150_000, 10, 1);
    expect(v.at(153_000)).toBe(0);
    expect(v.total).toBe(0);
    v.add(150_000, 30, 1);
    expect(v.at(150_000)).toBe(20);
  });

  it("replaces its count with another's, up to that count's last quote", () => {
    const v = createVolumeAtPrice(5);
    v.add(153_000, 100, 40);
    v.add(153_000, 110, 42);
    expect([v.since, v.updatedAt]).toEqual([42, 42]);
    v.replace(
      [
        [152_998, 7],
        [153_000, 50],
        [153_005, 3],
      ],
      160,
      7,
      50,
    );
    // An off-grid price joins its row; the earlier count is gone.
    expect([v.at(153_000), v.at(153_005), v.total, v.max, v.since, v.dayVolume, v.updatedAt]).toEqual([
      57, 3, 60, 57, 7, 160, 50,
    ]);
    expect(v.add(153_005, 160, 51)).toBe(false);
    expect(v.add(153_005, 165, 52)).toBe(true);
    expect(v.levels()).toEqual([
      [153_000, 57],
      [153_005, 8],
    ]);
    // Nothing counted in it: no start time.
    v.replace([], 0, 9, 9);
    expect([v.total, v.since]).toEqual([0, 0]);
  });

  it('puts an off-grid trade on its nearest tick', () => {
    const v = createVolumeAtPrice(5);
    v.add(153_000, 0, 1);
    v.add(153_004, 7, 1);
    expect(v.at(153_005)).toBe(7);
  });
});
