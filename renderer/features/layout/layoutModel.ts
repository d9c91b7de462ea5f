import { LayoutNodeSchema } from '../../../shared/services/workspace';
import type { LayoutNode, LayoutSplit, LayoutStack } from '../../../shared/services/workspace';

// The docking layout as data: a tree of splits whose leaves are stacks of panels (tabs). Every
// operation here is pure, takes a valid tree and returns a valid tree (or the same object when it
// changes nothing), so React can compare by reference and settings can store the result as is.
//
// A valid tree (isValidLayout):
// - every panel id appears once; a stack has 1..MAX_TABS panels and `active` indexes them;
// - a split has 2..MAX_CHILDREN children, none of them a split in the same direction (it would be
//   merged), with positive sizes that sum to 1;
// - it is at most MAX_DEPTH levels deep (a lone stack is 1 level).

export type { LayoutNode, LayoutSplit, LayoutStack };

/** A node's address: the child indexes from the root down (the root is `[]`). */
export type LayoutPath = readonly number[];

/** Where a dragged panel lands on a stack: as a tab (`center`) or beside it on one side. */
export type DropZone = 'center' | 'left' | 'right' | 'top' | 'bottom';

/** Where a panel goes: onto the stack that holds `panel`, or along an edge of the whole layout. */
export type DropTarget =
  | { readonly kind: 'stack'; readonly panel: string; readonly zone: DropZone }
  | { readonly kind: 'edge'; readonly zone: Exclude<DropZone, 'center'> };

export const MAX_DEPTH = 8;
export const MAX_CHILDREN = 8;
export const MAX_TABS = 24;
/** The room a panel dropped on an edge of the whole layout takes. */
const EDGE_SHARE = 0.25;
/** The smallest share a resize leaves a child of its split. */
export const MIN_SHARE = 0.04;

const SIZE_EPSILON = 1e-6;

/** A stack of panels; `active` defaults to the first. */
export function stack(panels: readonly string[], active = 0): LayoutStack {
  return { kind: 'stack', panels, active };
}

/** A split; sizes are any positive numbers, normalized to shares. */
export function split(
  direction: 'row' | 'column',
  children: readonly (readonly [number, LayoutNode])[],
): LayoutSplit {
  const total = children.reduce((sum, [size]) => sum + size, 0);
  return {
    kind: 'split',
    direction,
    children: children.map(([size, node]) => ({ size: size / total, node })),
  };
}

/** Every panel id in the tree, depth first (left to right, top to bottom). */
export function panelIds(node: LayoutNode): string[] {
  const out: string[] = [];
  const walk = (n: LayoutNode): void => {
    if (n.kind === 'stack') out.push(...n.panels);
    else for (const c of n.children) walk(c.node);
  };
  walk(node);
  return out;
}

/** The panel shown in each stack (its active tab), depth first: the order Ctrl+1..9 and F6 follow. */
export function visiblePanelIds(node: LayoutNode): string[] {
  const out: string[] = [];
  const walk = (n: LayoutNode): void => {
    if (n.kind === 'stack') {
      const id = n.panels[n.active];
      if (id !== undefined) out.push(id);
    } else for (const c of n.children) walk(c.node);
  };
  walk(node);
  return out;
}

/** Every stack with its path, depth first. */
export function stacksOf(node: LayoutNode): { readonly path: LayoutPath; readonly stack: LayoutStack }[] {
  const out: { path: LayoutPath; stack: LayoutStack }[] = [];
  const walk = (n: LayoutNode, path: LayoutPath): void => {
    if (n.kind === 'stack') out.push({ path, stack: n });
    else
      n.children.forEach((c, i) => {
        walk(c.node, [...path, i]);
      });
  };
  walk(node, []);
  return out;
}

/** How many levels deep the tree is (a lone stack: 1). */
export function depthOf(node: LayoutNode): number {
  if (node.kind === 'stack') return 1;
  return 1 + Math.max(...node.children.map((c) => depthOf(c.node)));
}

/** The node at `path`, if there is one. */
export function nodeAt(node: LayoutNode, path: LayoutPath): LayoutNode | undefined {
  let n: LayoutNode | undefined = node;
  for (const i of path) {
    if (n?.kind !== 'split') return undefined;
    n = n.children[i]?.node;
  }
  return n;
}

/** Where a panel is: its stack's path and its index among the stack's tabs. */
export function locate(
  node: LayoutNode,
  panelId: string,
): { readonly path: LayoutPath; readonly stack: LayoutStack; readonly index: number } | undefined {
  for (const s of stacksOf(node)) {
    const index = s.stack.panels.indexOf(panelId);
    if (index >= 0) return { path: s.path, stack: s.stack, index };
  }
  return undefined;
}

/** The tree with the node at `path` replaced by `replace(node)`. */
function replaceAt(node: LayoutNode, path: LayoutPath, replace: (n: LayoutNode) => LayoutNode): LayoutNode {
  if (path.length === 0) return replace(node);
  if (node.kind !== 'split') return node;
  const [head = 0, ...rest] = path;
  const child = node.children[head];
  if (child === undefined) return node;
  const next = replaceAt(child.node, rest, replace);
  if (next === child.node) return node;
  return {
    ...node,
    children: node.children.map((c, i) => (i === head ? { size: c.size, node: next } : c)),
  };
}

/**
 * The same layout in canonical form, or undefined when nothing is left: empty stacks dropped,
 * duplicate panels kept once (the first), splits of one child replaced by the child, a split inside
 * a split of the same direction merged into it, sizes made shares that sum to 1, `active` clamped.
 * Returns `node` itself when it is already canonical.
 */
export function normalize(node: LayoutNode): LayoutNode | undefined {
  const seen = new Set<string>();
  const walk = (n: LayoutNode): LayoutNode | undefined => {
    if (n.kind === 'stack') {
      const panels = n.panels.filter((p) => {
        if (seen.has(p)) return false;
        seen.add(p);
        return true;
      });
      if (panels.length === 0) return undefined;
      const kept = panels.length === n.panels.length ? n.panels : panels;
      const wanted = n.panels[n.active];
      let active = wanted === undefined ? -1 : kept.indexOf(wanted);
      if (active < 0) active = Math.min(Math.max(0, n.active), kept.length - 1);
      return kept === n.panels && active === n.active ? n : { kind: 'stack', panels: kept, active };
    }
    const children: { size: number; node: LayoutNode }[] = [];
    let changed = false;
    for (const c of n.children) {
      const child = walk(c.node);
      if (child !== c.node) changed = true;
      if (child === undefined) continue;
      const size = Number.isFinite(c.size) && c.size > 0 ? c.size : 0;
      if (size !== c.size) changed = true;
      if (child.kind === 'split' && child.direction === n.direction) {
        changed = true;
        for (const g of child.children) children.push({ size: size * g.size, node: g.node });
      } else children.push({ size, node: child });
    }
    if (children.length === 0) return undefined;
    if (children.length === 1) return children[0]?.node;
    let total = children.reduce((sum, c) => sum + c.size, 0);
    if (total <= 0) {
      for (const c of children) c.size = 1;
      total = children.length;
      changed = true;
    }
    if (Math.abs(total - 1) > SIZE_EPSILON) changed = true;
    if (!changed) return n;
    return {
      kind: 'split',
      direction: n.direction,
      children: children.map((c) => ({ size: c.size / total, node: c.node })),
    };
  };
  return walk(node);
}

/** True when `node` is a valid tree as the header of this file defines it. */
export function isValidLayout(node: LayoutNode): boolean {
  if (!LayoutNodeSchema.safeParse(node).success) return false;
  if (depthOf(node) > MAX_DEPTH) return false;
  const ids = panelIds(node);
  if (new Set(ids).size !== ids.length) return false;
  const walk = (n: LayoutNode): boolean => {
    if (n.kind === 'stack') return n.panels.length <= MAX_TABS && n.active < n.panels.length;
    if (n.children.length < 2 || n.children.length > MAX_CHILDREN) return false;
    const total = n.children.reduce((sum, c) => sum + c.size, 0);
    if (Math.abs(total - 1) > 1e-4) return false;
    return n.children.every(
      (c) => c.size > 0 && !(c.node.kind === 'split' && c.node.direction === n.direction) && walk(c.node),
    );
  };
  return walk(node);
}

/**
 * A layout read from settings (or anywhere untrusted), made valid for the panels this build has:
 * unknown and repeated panels dropped, canonical form. Undefined when it does not parse, is too
 * deep, or has no known panel left.
 */
export function sanitizeLayout(raw: unknown, known: ReadonlySet<string>): LayoutNode | undefined {
  const parsed = LayoutNodeSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const keepKnown = (n: LayoutNode): LayoutNode =>
    n.kind === 'stack'
      ? { ...n, panels: n.panels.filter((p) => known.has(p)) }
      : { ...n, children: n.children.map((c) => ({ size: c.size, node: keepKnown(c.node) })) };
  const tree = normalize(keepKnown(parsed.data));
  if (tree === undefined || !isValidLayout(tree)) return undefined;
  return tree;
}

/** Shows `panelId` in its stack (makes it the active tab). */
export function activate(node: LayoutNode, panelId: string): LayoutNode {
  const at = locate(node, panelId);
  if (at === undefined || at.stack.active === at.index) return node;
  return replaceAt(node, at.path, (n) => (n.kind === 'stack' ? { ...n, active: at.index } : n));
}

/** The tab `delta` places from `panelId`'s in its stack (wrapping); the panel itself when alone. */
export function neighbourTab(node: LayoutNode, panelId: string, delta: number): string | undefined {
  const at = locate(node, panelId);
  if (at === undefined) return undefined;
  const n = at.stack.panels.length;
  return at.stack.panels[(((at.index + delta) % n) + n) % n];
}

/** Moves a tab within its stack to `toIndex` (clamped); it stays the active tab if it was. */
export function reorderTab(node: LayoutNode, panelId: string, toIndex: number): LayoutNode {
  const at = locate(node, panelId);
  if (at === undefined) return node;
  const to = Math.max(0, Math.min(at.stack.panels.length - 1, Math.trunc(toIndex)));
  if (to === at.index) return node;
  const activeId = at.stack.panels[at.stack.active];
  const panels = at.stack.panels.filter((p) => p !== panelId);
  panels.splice(to, 0, panelId);
  const active = activeId === undefined ? 0 : panels.indexOf(activeId);
  return replaceAt(node, at.path, () => ({ kind: 'stack', panels, active }));
}

/** The layout without `panelId` (its stack goes when it was the last tab); undefined if nothing is left. */
export function removePanel(node: LayoutNode, panelId: string): LayoutNode | undefined {
  const at = locate(node, panelId);
  if (at === undefined) return node;
  const panels = at.stack.panels.filter((p) => p !== panelId);
  // The tab after the closed one takes its place (or the one before, at the end).
  const activeId = at.stack.panels[at.stack.active];
  let active = activeId === panelId ? Math.min(at.index, panels.length - 1) : panels.indexOf(activeId ?? '');
  if (active < 0) active = 0;
  const emptied: LayoutStack = { kind: 'stack', panels, active };
  return normalize(replaceAt(node, at.path, () => emptied));
}

const AXIS: Readonly<Record<Exclude<DropZone, 'center'>, 'row' | 'column'>> = {
  left: 'row',
  right: 'row',
  top: 'column',
  bottom: 'column',
};
const BEFORE: Readonly<Record<Exclude<DropZone, 'center'>, boolean>> = {
  left: true,
  right: false,
  top: true,
  bottom: false,
};

/**
 * The node at `path` with a new stack of `panelId` beside it, taking `share` of the node's room: in
 * the node's parent split when that runs the same way, else in a new split in the node's place.
 */
function besideAt(
  node: LayoutNode,
  path: LayoutPath,
  panelId: string,
  zone: Exclude<DropZone, 'center'>,
  share = 0.5,
): LayoutNode {
  const direction = AXIS[zone];
  const before = BEFORE[zone];
  const fresh = stack([panelId]);
  const parentPath = path.slice(0, -1);
  const parent = path.length === 0 ? undefined : nodeAt(node, parentPath);
  const index = path[path.length - 1] ?? 0;
  if (parent?.kind === 'split' && parent.direction === direction && parent.children.length < MAX_CHILDREN) {
    // Into the parent split: the target gives up part of its size.
    return replaceAt(node, parentPath, (p) => {
      if (p.kind !== 'split') return p;
      const children: { size: number; node: LayoutNode }[] = [];
      p.children.forEach((c, i) => {
        if (i !== index) {
          children.push(c);
          return;
        }
        const half = { size: c.size * share, node: fresh };
        const self = { size: c.size * (1 - share), node: c.node };
        if (before) children.push(half, self);
        else children.push(self, half);
      });
      return { ...p, children };
    });
  }
  return replaceAt(node, path, (target) =>
    split(
      direction,
      before
        ? [
            [share, fresh],
            [1 - share, target],
          ]
        : [
            [1 - share, target],
            [share, fresh],
          ],
    ),
  );
}

/**
 * Puts `panelId` at `target`: as a tab of the target's stack, beside the stack, or along an edge
 * of the whole layout. A panel already in the layout is moved. When the result would break a limit
 * (depth, children, tabs) the panel becomes a tab of the target stack instead, or nothing changes.
 */
export function placePanel(node: LayoutNode | undefined, panelId: string, target: DropTarget): LayoutNode {
  if (node === undefined) return stack([panelId]);
  if (target.kind === 'stack') {
    const dest = locate(node, target.panel);
    if (dest === undefined) return node;
    const from = locate(node, panelId);
    const sameStack = from !== undefined && from.path.join('.') === dest.path.join('.');
    if (target.zone === 'center') {
      if (sameStack) return activate(node, panelId);
      if (dest.stack.panels.length >= MAX_TABS) return node;
    } else if (sameStack && dest.stack.panels.length === 1) {
      return node; // Beside itself: nowhere to go.
    }
    // The target is addressed by a panel that stays: not the one that moves.
    const anchor = target.panel === panelId ? dest.stack.panels.find((p) => p !== panelId) : target.panel;
    if (anchor === undefined) return node;
    const without = removePanel(node, panelId);
    if (without === undefined) return stack([panelId]);
    const at = locate(without, anchor);
    if (at === undefined) return node;
    let next: LayoutNode;
    if (target.zone === 'center') {
      next = replaceAt(without, at.path, (n) =>
        n.kind === 'stack' ? { kind: 'stack', panels: [...n.panels, panelId], active: n.panels.length } : n,
      );
    } else {
      next = besideAt(without, at.path, panelId, target.zone);
    }
    const canonical = normalize(next);
    if (canonical === undefined || !isValidLayout(canonical)) {
      return target.zone === 'center' ? node : placePanel(node, panelId, { ...target, zone: 'center' });
    }
    return canonical;
  }
  // An edge of the whole layout.
  const without = removePanel(node, panelId);
  if (without === undefined) return stack([panelId]);
  const next = normalize(besideAt(without, [], panelId, target.zone, EDGE_SHARE));
  if (next === undefined || !isValidLayout(next)) return node;
  return next;
}

/**
 * Moves the boundary between child `index` and `index + 1` of the split at `path` by `delta` (a
 * share of the whole split, positive towards the end). Neither child shrinks below `minShare`.
 */
export function resizeSplit(
  node: LayoutNode,
  path: LayoutPath,
  index: number,
  delta: number,
  minShare = MIN_SHARE,
): LayoutNode {
  const target = nodeAt(node, path);
  if (target?.kind !== 'split' || !Number.isFinite(delta)) return node;
  const a = target.children[index];
  const b = target.children[index + 1];
  if (a === undefined || b === undefined) return node;
  const pair = a.size + b.size;
  const min = Math.min(minShare, pair / 2);
  const nextA = Math.max(min, Math.min(pair - min, a.size + delta));
  if (Math.abs(nextA - a.size) < SIZE_EPSILON) return node;
  return replaceAt(node, path, (n) =>
    n.kind === 'split'
      ? {
          ...n,
          children: n.children.map((c, i) =>
            i === index
              ? { size: nextA, node: c.node }
              : i === index + 1
                ? { size: pair - nextA, node: c.node }
                : c,
          ),
        }
      : n,
  );
}

/** True when two layouts are the same tree (sizes to within a millionth). */
export function sameLayout(a: LayoutNode | undefined, b: LayoutNode | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.kind !== b.kind) return false;
  if (a.kind === 'stack' && b.kind === 'stack') {
    return (
      a.active === b.active &&
      a.panels.length === b.panels.length &&
      a.panels.every((p, i) => p === b.panels[i])
    );
  }
  if (a.kind === 'split' && b.kind === 'split') {
    return (
      a.direction === b.direction &&
      a.children.length === b.children.length &&
      a.children.every((c, i) => {
        const d = b.children[i];
        return d !== undefined && Math.abs(c.size - d.size) < SIZE_EPSILON && sameLayout(c.node, d.node);
      })
    );
  }
  return false;
}
