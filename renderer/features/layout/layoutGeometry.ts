import type { LayoutNode, LayoutPath, LayoutStack } from './layoutModel';

// Where each stack and splitter of a layout sits, as fractions of the dock (0..1 on each axis). The
// DOM places them with percentages, so a panel's size depends on the tree and the window only:
// nothing a panel shows (a tick, a longer number) can move it.

/** A rectangle in fractions of the dock. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface StackBox {
  readonly path: LayoutPath;
  /** The path as text, for React keys and data attributes. */
  readonly key: string;
  readonly stack: LayoutStack;
  readonly rect: Rect;
}

/** The boundary after child `index` of the split at `path`. */
export interface SplitterBox {
  readonly path: LayoutPath;
  readonly index: number;
  readonly key: string;
  /** `row`: a vertical line that moves left and right; `column`: a horizontal one. */
  readonly direction: 'row' | 'column';
  /** The whole split's rectangle (the splitter's span, and the scale of a drag). */
  readonly split: Rect;
  /** The boundary's position along the split's axis, as a fraction of the dock. */
  readonly at: number;
  /** The share of the split held by the two children on either side, and by the first of them. */
  readonly pair: number;
  readonly share: number;
}

export interface LayoutBoxes {
  readonly stacks: readonly StackBox[];
  readonly splitters: readonly SplitterBox[];
}

export const pathKey = (path: LayoutPath): string => (path.length === 0 ? 'root' : path.join('.'));

/** The boxes of every stack and splitter of `tree`, depth first. */
export function layoutBoxes(tree: LayoutNode): LayoutBoxes {
  const stacks: StackBox[] = [];
  const splitters: SplitterBox[] = [];
  const walk = (n: LayoutNode, path: LayoutPath, rect: Rect): void => {
    if (n.kind === 'stack') {
      stacks.push({ path, key: pathKey(path), stack: n, rect });
      return;
    }
    const row = n.direction === 'row';
    let offset = 0;
    n.children.forEach((c, i) => {
      const child: Rect = row
        ? { x: rect.x + rect.w * offset, y: rect.y, w: rect.w * c.size, h: rect.h }
        : { x: rect.x, y: rect.y + rect.h * offset, w: rect.w, h: rect.h * c.size };
      offset += c.size;
      walk(c.node, [...path, i], child);
      const next = n.children[i + 1];
      if (next !== undefined) {
        splitters.push({
          path,
          index: i,
          key: `${pathKey(path)}/${i}`,
          direction: n.direction,
          split: rect,
          at: row ? rect.x + rect.w * offset : rect.y + rect.h * offset,
          pair: c.size + next.size,
          share: c.size,
        });
      }
    });
  };
  walk(tree, [], { x: 0, y: 0, w: 1, h: 1 });
  return { stacks, splitters };
}

/** The rectangle of the stack that shows `panelId` (undefined when it is a hidden tab or absent). */
export function visibleRectOf(boxes: LayoutBoxes, panelId: string): Rect | undefined {
  for (const b of boxes.stacks) if (b.stack.panels[b.stack.active] === panelId) return b.rect;
  return undefined;
}

export type Corner = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * Where toasts go: bottom right (above the status bar), unless that would cover a panel that must
 * stay readable (the ladder's prices); then the first free corner of bottom left, top right, top
 * left. `toast` is the area toasts take, in fractions of the dock.
 */
export function toastCorner(
  boxes: LayoutBoxes,
  toast: { readonly w: number; readonly h: number },
  avoid: readonly string[],
): Corner {
  const rects = avoid.map((id) => visibleRectOf(boxes, id)).filter((r): r is Rect => r !== undefined);
  const w = Math.min(1, toast.w);
  const h = Math.min(1, toast.h);
  const corners: readonly [Corner, Rect][] = [
    ['bottom-right', { x: 1 - w, y: 1 - h, w, h }],
    ['bottom-left', { x: 0, y: 1 - h, w, h }],
    ['top-right', { x: 1 - w, y: 0, w, h }],
    ['top-left', { x: 0, y: 0, w, h }],
  ];
  for (const [corner, area] of corners) if (!rects.some((r) => overlaps(r, area))) return corner;
  return 'bottom-right';
}

/**
 * Which part of a stack a pointer at (`px`, `py`) (fractions of the stack's rectangle) drops on:
 * the outer quarter on each side splits it, the middle adds a tab.
 */
export function dropZoneAt(px: number, py: number): 'center' | 'left' | 'right' | 'top' | 'bottom' {
  const d = { left: px, right: 1 - px, top: py, bottom: 1 - py };
  const nearest = (Object.entries(d) as ['left' | 'right' | 'top' | 'bottom', number][]).reduce((a, b) =>
    b[1] < a[1] ? b : a,
  );
  return nearest[1] < 0.25 ? nearest[0] : 'center';
}
