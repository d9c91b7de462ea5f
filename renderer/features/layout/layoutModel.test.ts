import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LayoutNode } from '../../../shared/services/workspace';
import {
  MAX_DEPTH,
  activate,
  depthOf,
  isValidLayout,
  locate,
  neighbourTab,
  normalize,
  panelIds,
  placePanel,
  removePanel,
  reorderTab,
  resizeSplit,
  sameLayout,
  sanitizeLayout,
  split,
  stack,
  visiblePanelIds,
} from './layoutModel';
import type { DropTarget, DropZone } from './layoutModel';

const three = split('row', [
  [1, stack(['a', 'b'])],
  [
    2,
    split('column', [
      [1, stack(['c'])],
      [1, stack(['d', 'e'], 1)],
    ]),
  ],
]);

describe('the layout model', () => {
  it('lists panels depth first, and the visible ones (active tabs) for Ctrl+1..9 and F6', () => {
    expect(panelIds(three)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(visiblePanelIds(three)).toEqual(['a', 'c', 'e']);
    expect(isValidLayout(three)).toBe(true);
    expect(depthOf(three)).toBe(3);
    expect(locate(three, 'd')).toMatchObject({ path: [1, 1], index: 0 });
  });

  it('normalizes: merges same-direction splits, drops empty stacks and one-child splits, rescales sizes', () => {
    const messy: LayoutNode = {
      kind: 'split',
      direction: 'row',
      children: [
        { size: 2, node: stack(['a']) },
        {
          size: 2,
          node: {
            kind: 'split',
            direction: 'row',
            children: [
              { size: 1, node: stack(['b']) },
              { size: 1, node: { kind: 'stack', panels: [], active: 0 } },
              { size: 3, node: stack(['c', 'a'], 1) },
            ],
          },
        },
        {
          size: 1,
          node: { kind: 'split', direction: 'column', children: [{ size: 1, node: stack(['d']) }] },
        },
      ],
    };
    const n = normalize(messy);
    expect(n).toBeDefined();
    expect(isValidLayout(n!)).toBe(true);
    expect(panelIds(n!)).toEqual(['a', 'b', 'c', 'd']);
    if (n?.kind !== 'split') throw new Error('expected a split');
    expect(n.children.map((c) => c.node.kind)).toEqual(['stack', 'stack', 'stack', 'stack']);
    [0.4, 0.1, 0.3, 0.2].forEach((x, i) => {
      expect(n.children[i]?.size).toBeCloseTo(x, 9);
    });
    // The repeated `a` went; its stack's active tab (`a`) fell back to what is left.
    expect(n.children[2]?.node).toEqual(stack(['c'], 0));
    // Canonical input comes back as the same object.
    expect(normalize(three)).toBe(three);
  });

  it('activates a tab and finds its neighbours, wrapping', () => {
    expect(visiblePanelIds(activate(three, 'b'))).toEqual(['b', 'c', 'e']);
    expect(activate(three, 'a')).toBe(three);
    expect(neighbourTab(three, 'e', 1)).toBe('d');
    expect(neighbourTab(three, 'd', -1)).toBe('e');
    expect(neighbourTab(three, 'c', 1)).toBe('c');
  });

  it('closes a panel: its stack goes with its last tab, a split of one becomes its child', () => {
    const noC = removePanel(three, 'c');
    expect(noC).toBeDefined();
    expect(isValidLayout(noC!)).toBe(true);
    expect(panelIds(noC!)).toEqual(['a', 'b', 'd', 'e']);
    expect(depthOf(noC!)).toBe(2);
    // Closing the active tab shows the next one.
    const noE = removePanel(three, 'e');
    expect(visiblePanelIds(noE!)).toEqual(['a', 'c', 'd']);
    expect(removePanel(stack(['x']), 'x')).toBeUndefined();
  });

  it('moves a panel onto another stack as a tab, or beside it', () => {
    const tabbed = placePanel(three, 'c', { kind: 'stack', panel: 'a', zone: 'center' });
    expect(isValidLayout(tabbed)).toBe(true);
    expect(locate(tabbed, 'c')?.stack).toEqual(stack(['a', 'b', 'c'], 2));

    const beside = placePanel(three, 'b', { kind: 'stack', panel: 'c', zone: 'right' });
    expect(isValidLayout(beside)).toBe(true);
    expect(panelIds(beside)).toEqual(['a', 'c', 'b', 'd', 'e']);
    expect(locate(beside, 'b')?.stack.panels).toEqual(['b']);

    // Below `c` in a column split: it goes into that column, taking half of c's room.
    const below = placePanel(three, 'a', { kind: 'stack', panel: 'c', zone: 'bottom' });
    expect(isValidLayout(below)).toBe(true);
    expect(panelIds(below)).toEqual(['b', 'c', 'a', 'd', 'e']);

    // Along the left edge of the whole layout.
    const edge = placePanel(three, 'e', { kind: 'edge', zone: 'left' });
    expect(isValidLayout(edge)).toBe(true);
    expect(visiblePanelIds(edge)[0]).toBe('e');

    // A panel not in the layout yet is added.
    const added = placePanel(three, 'z', { kind: 'stack', panel: 'd', zone: 'center' });
    expect(locate(added, 'z')?.stack.panels).toEqual(['d', 'e', 'z']);
    // Beside itself when alone: nothing to do.
    expect(placePanel(three, 'c', { kind: 'stack', panel: 'c', zone: 'left' })).toBe(three);
  });

  it('resizes the boundary between two children, never below the minimum share', () => {
    const r = resizeSplit(three, [], 0, 0.1);
    if (r.kind !== 'split') throw new Error('expected a split');
    expect(r.children[0]?.size).toBeCloseTo(1 / 3 + 0.1, 9);
    expect(r.children[1]?.size).toBeCloseTo(2 / 3 - 0.1, 9);
    const squeezed = resizeSplit(three, [], 0, -5, 0.05);
    if (squeezed.kind !== 'split') throw new Error('expected a split');
    expect(squeezed.children[0]?.size).toBeCloseTo(0.05, 9);
    expect(resizeSplit(three, [], 1, 0.1)).toBe(three); // no boundary after the last child
    expect(resizeSplit(three, [0], 0, 0.1)).toBe(three); // not a split
  });

  it('reorders tabs, keeping the active one', () => {
    const r = reorderTab(three, 'e', 0);
    expect(locate(r, 'e')?.stack).toEqual(stack(['e', 'd'], 0));
  });

  it('sanitizes a stored layout: unknown and repeated panels dropped, garbage refused', () => {
    const known = new Set(['a', 'b', 'c']);
    expect(sanitizeLayout({ kind: 'stack', panels: ['a', 'zz', 'a', 'b'], active: 3 }, known)).toEqual(
      stack(['a', 'b'], 1),
    );
    expect(sanitizeLayout({ kind: 'stack', panels: ['zz'], active: 0 }, known)).toBeUndefined();
    expect(sanitizeLayout({ kind: 'nope' }, known)).toBeUndefined();
    expect(sanitizeLayout(null, known)).toBeUndefined();
    const stored = JSON.parse(JSON.stringify(three)) as unknown;
    expect(sameLayout(sanitizeLayout(stored, new Set(['a', 'b', 'c', 'd', 'e'])), three)).toBe(true);
  });
});

// Property tests: whatever a person does, in any order, the tree stays valid and keeps its panels.

const PANELS = ['watchlist', 'chart', 'depth', 'ticket', 'orders', 'positions', 'ladder', 'log', 'risk'];
const ZONES: readonly DropZone[] = ['center', 'left', 'right', 'top', 'bottom'];

type Op =
  | {
      readonly op: 'place';
      readonly panel: number;
      readonly target: number;
      readonly zone: number;
      readonly edge: boolean;
    }
  | { readonly op: 'remove'; readonly panel: number }
  | { readonly op: 'resize'; readonly at: number; readonly index: number; readonly delta: number }
  | { readonly op: 'activate'; readonly panel: number }
  | { readonly op: 'reorder'; readonly panel: number; readonly to: number };

const anyOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('place' as const),
    panel: fc.nat(PANELS.length - 1),
    target: fc.nat(PANELS.length - 1),
    zone: fc.nat(ZONES.length - 1),
    edge: fc.boolean(),
  }),
  fc.record({ op: fc.constant('remove' as const), panel: fc.nat(PANELS.length - 1) }),
  fc.record({
    op: fc.constant('resize' as const),
    at: fc.nat(20),
    index: fc.nat(8),
    delta: fc.double({ min: -1.5, max: 1.5, noNaN: true }),
  }),
  fc.record({ op: fc.constant('activate' as const), panel: fc.nat(PANELS.length - 1) }),
  fc.record({ op: fc.constant('reorder' as const), panel: fc.nat(PANELS.length - 1), to: fc.nat(10) }),
);

/** The paths of every split in the tree. */
function splitPaths(node: LayoutNode, path: number[] = []): number[][] {
  if (node.kind === 'stack') return [];
  return [path, ...node.children.flatMap((c, i) => splitPaths(c.node, [...path, i]))];
}

function apply(tree: LayoutNode | undefined, op: Op): LayoutNode | undefined {
  const id = (i: number) => PANELS[i] ?? 'watchlist';
  switch (op.op) {
    case 'place': {
      if (tree === undefined) return placePanel(undefined, id(op.panel), { kind: 'edge', zone: 'left' });
      const present = panelIds(tree);
      const anchor = present[op.target % present.length] ?? 'watchlist';
      const zone = ZONES[op.zone] ?? 'center';
      const target: DropTarget =
        op.edge && zone !== 'center' ? { kind: 'edge', zone } : { kind: 'stack', panel: anchor, zone };
      return placePanel(tree, id(op.panel), target);
    }
    case 'remove':
      return tree === undefined ? undefined : removePanel(tree, id(op.panel));
    case 'resize': {
      if (tree === undefined) return undefined;
      const paths = splitPaths(tree);
      const path = paths[op.at % Math.max(1, paths.length)];
      return path === undefined ? tree : resizeSplit(tree, path, op.index, op.delta);
    }
    case 'activate':
      return tree === undefined ? undefined : activate(tree, id(op.panel));
    case 'reorder':
      return tree === undefined ? undefined : reorderTab(tree, id(op.panel), op.to);
  }
}

describe('the layout model under random operations', () => {
  it('keeps the tree valid, never loses or duplicates a panel, and stays within the depth limit', () => {
    const start = split('row', [
      [1, stack(['watchlist', 'log'])],
      [
        2,
        split('column', [
          [3, stack(['chart', 'ladder'])],
          [1, stack(['orders', 'positions'])],
        ]),
      ],
      [
        1,
        split('column', [
          [1, stack(['depth'])],
          [1, stack(['ticket', 'risk'])],
        ]),
      ],
    ]);
    fc.assert(
      fc.property(fc.array(anyOp, { maxLength: 60 }), (ops) => {
        let tree: LayoutNode | undefined = start;
        for (const op of ops) {
          const before: readonly string[] = tree === undefined ? [] : panelIds(tree);
          const next = apply(tree, op);
          if (next !== undefined) {
            expect(isValidLayout(next)).toBe(true);
            expect(depthOf(next)).toBeLessThanOrEqual(MAX_DEPTH);
          }
          const after = next === undefined ? [] : panelIds(next);
          // Panels only come and go by `place` (adds one) and `remove` (takes one).
          const removed = before.filter((p) => !after.includes(p));
          const added = after.filter((p) => !before.includes(p));
          if (op.op === 'remove') expect(added).toEqual([]);
          else expect(removed).toEqual([]);
          if (op.op !== 'place') expect(added).toEqual([]);
          expect(removed.length).toBeLessThanOrEqual(1);
          expect(added.length).toBeLessThanOrEqual(1);
          // What is stored is what comes back.
          if (next !== undefined) {
            const stored = JSON.parse(JSON.stringify(next)) as unknown;
            expect(sameLayout(sanitizeLayout(stored, new Set(PANELS)), next)).toBe(true);
          }
          tree = next;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('resizing keeps every share positive and the sum at one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(3), fc.double({ min: -2, max: 2, noNaN: true })), { maxLength: 40 }),
        (moves) => {
          let tree: LayoutNode = split('row', [
            [1, stack(['a'])],
            [1, stack(['b'])],
            [1, stack(['c'])],
            [1, stack(['d'])],
          ]);
          for (const [index, delta] of moves) {
            tree = resizeSplit(tree, [], index, delta, 0.05);
            expect(isValidLayout(tree)).toBe(true);
            if (tree.kind !== 'split') throw new Error('expected a split');
            for (const c of tree.children) expect(c.size).toBeGreaterThanOrEqual(0.05 - 1e-9);
          }
        },
      ),
    );
  });
});
