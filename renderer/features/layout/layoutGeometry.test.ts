import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropZoneAt, layoutBoxes, toastCorner } from './layoutGeometry';
import type { Rect } from './layoutGeometry';
import { placePanel, split, stack } from './layoutModel';
import type { LayoutNode } from './layoutModel';
import { LAYOUT_PRESETS } from './presets';

const area = (r: Rect) => r.w * r.h;
const overlap = (a: Rect, b: Rect) =>
  Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));

function tiles(tree: LayoutNode): void {
  const { stacks, splitters } = layoutBoxes(tree);
  // The stacks tile the dock: they cover it and no two overlap.
  expect(stacks.reduce((s, b) => s + area(b.rect), 0)).toBeCloseTo(1, 9);
  for (let i = 0; i < stacks.length; i++) {
    for (let j = i + 1; j < stacks.length; j++) {
      expect(overlap(stacks[i]!.rect, stacks[j]!.rect)).toBeLessThan(1e-9);
    }
  }
  // One splitter between each pair of neighbours in a split.
  const count = (n: LayoutNode): number =>
    n.kind === 'stack' ? 0 : n.children.length - 1 + n.children.reduce((s, c) => s + count(c.node), 0);
  expect(splitters.length).toBe(count(tree));
  for (const s of splitters) {
    const lo = s.direction === 'row' ? s.split.x : s.split.y;
    const hi = lo + (s.direction === 'row' ? s.split.w : s.split.h);
    expect(s.at).toBeGreaterThan(lo);
    expect(s.at).toBeLessThan(hi);
  }
}

describe('layout geometry', () => {
  it('places stacks by the tree alone: they tile the dock, splitters sit between them', () => {
    for (const p of LAYOUT_PRESETS) tiles(p.tree);
    const tree = split('row', [
      [1, stack(['a'])],
      [
        3,
        split('column', [
          [1, stack(['b'])],
          [1, stack(['c'])],
        ]),
      ],
    ]);
    const { stacks, splitters } = layoutBoxes(tree);
    expect(stacks.map((s) => s.rect)).toEqual([
      { x: 0, y: 0, w: 0.25, h: 1 },
      { x: 0.25, y: 0, w: 0.75, h: 0.5 },
      { x: 0.25, y: 0.5, w: 0.75, h: 0.5 },
    ]);
    expect(splitters.map((s) => [s.key, s.direction, s.at])).toEqual([
      ['root/0', 'row', 0.25],
      ['1/0', 'column', 0.5],
    ]);
  });

  it('keeps tiling whatever panels are moved where', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const zones = ['center', 'left', 'right', 'top', 'bottom'] as const;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(5), fc.nat(5), fc.nat(4)), { maxLength: 30 }), (moves) => {
        let tree: LayoutNode = split('row', [
          [1, stack(['a', 'b', 'c'])],
          [1, stack(['d', 'e', 'f'])],
        ]);
        for (const [p, t, z] of moves) {
          tree = placePanel(tree, ids[p]!, { kind: 'stack', panel: ids[t]!, zone: zones[z]! });
          tiles(tree);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('puts toasts in the first corner that keeps the ladder clear', () => {
    const toast = { w: 0.2, h: 0.25 };
    const ladderRight = layoutBoxes(
      split('row', [
        [3, stack(['chart'])],
        [1, stack(['ladder'])],
      ]),
    );
    expect(toastCorner(ladderRight, toast, ['ladder'])).toBe('bottom-left');
    expect(toastCorner(ladderRight, toast, [])).toBe('bottom-right');
    const ladderLeft = layoutBoxes(
      split('row', [
        [1, stack(['ladder'])],
        [3, stack(['chart'])],
      ]),
    );
    expect(toastCorner(ladderLeft, toast, ['ladder'])).toBe('bottom-right');
    // A ladder behind another tab is not on screen: nothing to keep clear.
    const hidden = layoutBoxes(
      split('row', [
        [3, stack(['chart'])],
        [1, stack(['depth', 'ladder'])],
      ]),
    );
    expect(toastCorner(hidden, toast, ['ladder'])).toBe('bottom-right');
    // Bottom right under a ladder in the top right corner is free.
    const topRight = layoutBoxes(
      split('row', [
        [3, stack(['chart'])],
        [
          1,
          split('column', [
            [1, stack(['ladder'])],
            [1, stack(['orders'])],
          ]),
        ],
      ]),
    );
    expect(toastCorner(topRight, toast, ['ladder'])).toBe('bottom-right');
  });

  it('reads a drop on a stack: the outer quarter splits on that side, the middle adds a tab', () => {
    expect(dropZoneAt(0.5, 0.5)).toBe('center');
    expect(dropZoneAt(0.1, 0.5)).toBe('left');
    expect(dropZoneAt(0.9, 0.4)).toBe('right');
    expect(dropZoneAt(0.5, 0.05)).toBe('top');
    expect(dropZoneAt(0.3, 0.95)).toBe('bottom');
    expect(dropZoneAt(0.26, 0.74)).toBe('center');
  });
});
