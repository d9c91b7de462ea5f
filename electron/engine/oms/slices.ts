/**
 * How the engine slices one quantity into orders the exchange takes: each at most the freeze
 * quantity, in whole lots. Used by an exit above the freeze quantity (and an iceberg's legs).
 */

/**
 * `quantity` in slices of at most `freezeQuantity` (rounded down to whole lots), the largest first
 * and the remainder last: 5000 with a freeze of 1800 is [1800, 1800, 1400]. No freeze quantity, or
 * one under a lot (the exchange takes no order then; validation refuses it), is one slice.
 */
export function freezeSlices(quantity: number, freezeQuantity: number | null, lotSize: number): number[] {
  if (!Number.isSafeInteger(quantity) || quantity <= 0)
    throw new RangeError(`quantity ${quantity} is not positive`);
  const lot = Number.isSafeInteger(lotSize) && lotSize > 0 ? lotSize : 1;
  const largest = freezeQuantity === null ? quantity : Math.floor(freezeQuantity / lot) * lot;
  if (largest <= 0 || quantity <= largest) return [quantity];
  const slices: number[] = [];
  let left = quantity;
  while (left > largest) {
    slices.push(largest);
    left -= largest;
  }
  slices.push(left);
  return slices;
}
