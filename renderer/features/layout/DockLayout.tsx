import './dockLayout.css';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties, KeyboardEvent, PointerEvent, ReactNode } from 'react';
import { useStore } from 'zustand';
import { dockPanelDomId, dockTabDomId } from './dockPanel';
import type { DockPanel } from './dockPanel';
import { dropZoneAt, layoutBoxes, toastCorner } from './layoutGeometry';
import type { LayoutBoxes, Rect, SplitterBox, StackBox } from './layoutGeometry';
import { activate, neighbourTab, panelIds, placePanel, removePanel, resizeSplit } from './layoutModel';
import type { DropTarget } from './layoutModel';
import type { LayoutState, LayoutStore } from './layoutStore';

// The docking layout: stacks of tabbed panels, placed by percentages from the tree, with splitters
// between them. Panels are rendered once each, in one flat list keyed by id, and positioned over
// their stack: moving a panel to another stack, or splitting one, never re-creates it (a chart
// keeps its history, a grid its scroll).

const selectTree = (s: LayoutState) => s.tree;
const selectFocusRequest = (s: LayoutState) => s.focusRequest;

/** Smallest size a splitter leaves a panel, px. */
const MIN_PANEL_PX = 90;
/** A tab dropped this close to the dock's edge docks along the whole edge, px. */
const EDGE_PX = 18;

const pct = (f: number): string => `${(f * 100).toFixed(4)}%`;

/**
 * The style that puts a box at `rect`, half a gap in from each side (so neighbours are a gap
 * apart): the whole box, its tab strip (`tabs`) or what is under the strip (`body`).
 */
function boxStyle(rect: Rect, part: 'whole' | 'tabs' | 'body' = 'whole'): CSSProperties {
  const left = `calc(${pct(rect.x)} + var(--dock-gap) / 2)`;
  const width = `calc(${pct(rect.w)} - var(--dock-gap))`;
  if (part === 'tabs') {
    return { left, width, top: `calc(${pct(rect.y)} + var(--dock-gap) / 2)`, height: 'var(--dock-tab-h)' };
  }
  if (part === 'body') {
    return {
      left,
      width,
      top: `calc(${pct(rect.y)} + var(--dock-gap) / 2 + var(--dock-tab-h))`,
      height: `calc(${pct(rect.h)} - var(--dock-gap) - var(--dock-tab-h))`,
    };
  }
  return {
    left,
    width,
    top: `calc(${pct(rect.y)} + var(--dock-gap) / 2)`,
    height: `calc(${pct(rect.h)} - var(--dock-gap))`,
  };
}

function splitterStyle(s: SplitterBox): CSSProperties {
  return s.direction === 'row'
    ? {
        left: `calc(${pct(s.at)} - var(--dock-gap) / 2 - 2px)`,
        width: 'calc(var(--dock-gap) + 4px)',
        top: `calc(${pct(s.split.y)} + var(--dock-gap) / 2)`,
        height: `calc(${pct(s.split.h)} - var(--dock-gap))`,
      }
    : {
        top: `calc(${pct(s.at)} - var(--dock-gap) / 2 - 2px)`,
        height: 'calc(var(--dock-gap) + 4px)',
        left: `calc(${pct(s.split.x)} + var(--dock-gap) / 2)`,
        width: `calc(${pct(s.split.w)} - var(--dock-gap))`,
      };
}

/** The part of `rect` a drop on `zone` would take (the preview drawn while a tab is dragged). */
function previewRect(rect: Rect, target: DropTarget): Rect {
  const zone = target.zone;
  const part = target.kind === 'edge' ? 0.25 : 0.5;
  switch (zone) {
    case 'left':
      return { ...rect, w: rect.w * part };
    case 'right':
      return { ...rect, x: rect.x + rect.w * (1 - part), w: rect.w * part };
    case 'top':
      return { ...rect, h: rect.h * part };
    case 'bottom':
      return { ...rect, y: rect.y + rect.h * (1 - part), h: rect.h * part };
    case 'center':
      return rect;
  }
}

/** Where a tab dragged to (`fx`, `fy`) (fractions of the dock; `px`: the dock in px) would land. */
function dropTargetAt(
  boxes: LayoutBoxes,
  fx: number,
  fy: number,
  px: { readonly w: number; readonly h: number },
): { readonly target: DropTarget; readonly preview: Rect } | undefined {
  const whole: Rect = { x: 0, y: 0, w: 1, h: 1 };
  const edge: ('left' | 'right' | 'top' | 'bottom')[] = [];
  if (fx * px.w < EDGE_PX) edge.push('left');
  if ((1 - fx) * px.w < EDGE_PX) edge.push('right');
  if (fy * px.h < EDGE_PX) edge.push('top');
  if ((1 - fy) * px.h < EDGE_PX) edge.push('bottom');
  const side = edge[0];
  if (side !== undefined) {
    const target: DropTarget = { kind: 'edge', zone: side };
    return { target, preview: previewRect(whole, target) };
  }
  const box = boxes.stacks.find(
    (b) => fx >= b.rect.x && fx < b.rect.x + b.rect.w && fy >= b.rect.y && fy < b.rect.y + b.rect.h,
  );
  const anchor = box?.stack.panels[box.stack.active];
  if (box === undefined || anchor === undefined) return undefined;
  const zone = dropZoneAt((fx - box.rect.x) / box.rect.w, (fy - box.rect.y) / box.rect.h);
  const target: DropTarget = { kind: 'stack', panel: anchor, zone };
  return { target, preview: previewRect(box.rect, target) };
}

interface TabDrag {
  readonly panel: string;
  readonly pointerId: number;
  readonly startX: number;
  readonly startY: number;
  started: boolean;
}

interface StackFrameProps {
  readonly box: StackBox;
  readonly panels: ReadonlyMap<string, DockPanel>;
  readonly store: LayoutStore;
  readonly onPopOut: ((panel: string) => void) | undefined;
  readonly onTabPointerDown: (panel: string, e: PointerEvent<HTMLElement>) => void;
}

/** A stack's frame and tab strip (its panels are positioned over it by the dock). */
const StackFrame = memo(function StackFrame({
  box,
  panels,
  store,
  onPopOut,
  onTabPointerDown,
}: StackFrameProps) {
  const { stack } = box;
  const activeId = stack.panels[stack.active] ?? '';
  const active = panels.get(activeId);
  const titleOf = (id: string) => panels.get(id)?.title ?? id;
  const show = (id: string, focusTab: boolean) => {
    const s = store.getState();
    s.change(activate(s.tree, id));
    if (focusTab) document.getElementById(dockTabDomId(id))?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const tree = store.getState().tree;
    let next: string | undefined;
    if (e.key === 'ArrowRight') next = neighbourTab(tree, activeId, 1);
    else if (e.key === 'ArrowLeft') next = neighbourTab(tree, activeId, -1);
    else if (e.key === 'Home') next = stack.panels[0];
    else if (e.key === 'End') next = stack.panels[stack.panels.length - 1];
    else if (e.key === 'ArrowDown') {
      // Into the panel shown under the strip.
      e.preventDefault();
      store.getState().requestFocus(activeId);
      return;
    }
    if (next === undefined) return;
    e.preventDefault();
    show(next, true);
  };
  return (
    <div
      className="dock-stack"
      style={boxStyle(box.rect, 'tabs')}
      data-stack={box.key}
      data-testid="dock-stack"
      data-panels={stack.panels.join(' ')}
    >
      <div
        className="dock-tabs"
        role="tablist"
        aria-label={`Panels: ${stack.panels.map(titleOf).join(', ')}`}
        data-dock-tabs={box.key}
        data-active-panel={activeId}
        onKeyDown={onKeyDown}
      >
        {stack.panels.map((id, i) => (
          <div className="dock-tab" key={id} data-active={i === stack.active}>
            <button
              type="button"
              role="tab"
              id={dockTabDomId(id)}
              className="dock-tab__button"
              aria-selected={i === stack.active}
              aria-controls={dockPanelDomId(id)}
              tabIndex={i === stack.active ? 0 : -1}
              data-testid={`dock-tab-${id}`}
              data-panel={id}
              onPointerDown={(e) => {
                onTabPointerDown(id, e);
              }}
              onClick={() => {
                show(id, false);
              }}
            >
              {titleOf(id)}
            </button>
            <button
              type="button"
              className="dock-tab__close"
              tabIndex={-1}
              aria-label={`Close ${titleOf(id)}`}
              title={`Close ${titleOf(id)} (add it back from Panels in the top bar)`}
              data-testid={`dock-close-${id}`}
              onClick={() => {
                const s = store.getState();
                const next = removePanel(s.tree, id);
                if (next !== undefined) s.change(next);
              }}
            >
              ×
            </button>
          </div>
        ))}
        <span className="dock-tabs__spacer" />
        {onPopOut !== undefined && active?.canPopOut === true ? (
          <button
            type="button"
            className="dock-tabs__action"
            aria-label={`Open ${active.title} in a new window`}
            title={`Open ${active.title} in a new window`}
            data-testid={`dock-popout-${activeId}`}
            onClick={() => {
              onPopOut(activeId);
            }}
          >
            <svg viewBox="0 0 12 12" width="11" height="11" aria-hidden="true" focusable="false">
              <path
                d="M5 2H2v8h8V7M7 1.5h3.5V5M10.5 1.5 5.5 6.5"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.2"
              />
            </svg>
          </button>
        ) : null}
      </div>
    </div>
  );
});

interface SplitterProps {
  readonly box: SplitterBox;
  readonly store: LayoutStore;
  readonly area: () => HTMLElement | null;
  readonly label: string;
}

/** The boundary between two children of a split: drag it, or focus it and use the arrow keys. */
const Splitter = memo(function Splitter({ box, store, area, label }: SplitterProps) {
  const drag = useRef<{
    pointerId: number;
    start: number;
    splitPx: number;
    tree: LayoutState['tree'];
  } | null>(null);
  const row = box.direction === 'row';
  const minShare = (splitPx: number) => (splitPx > 0 ? MIN_PANEL_PX / splitPx : 0.04);
  const splitPx = (): number => {
    const r = area()?.getBoundingClientRect();
    if (r === undefined) return 0;
    return row ? r.width * box.split.w : r.height * box.split.h;
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    drag.current = {
      pointerId: e.pointerId,
      start: row ? e.clientX : e.clientY,
      splitPx: splitPx(),
      tree: store.getState().tree,
    };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (d?.pointerId !== e.pointerId || d.splitPx <= 0) return;
    const delta = ((row ? e.clientX : e.clientY) - d.start) / d.splitPx;
    store.getState().change(resizeSplit(d.tree, box.path, box.index, delta, minShare(d.splitPx)));
  };
  const onPointerEnd = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.pointerId === e.pointerId) drag.current = null;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const less = row ? 'ArrowLeft' : 'ArrowUp';
    const more = row ? 'ArrowRight' : 'ArrowDown';
    const step = (e.shiftKey ? 0.05 : 0.01) * box.pair;
    let delta: number;
    if (e.key === less) delta = -step;
    else if (e.key === more) delta = step;
    else if (e.key === 'Home') delta = -box.pair;
    else if (e.key === 'End') delta = box.pair;
    else return;
    e.preventDefault();
    const s = store.getState();
    s.change(resizeSplit(s.tree, box.path, box.index, delta, minShare(splitPx())));
  };
  return (
    <div
      className="dock-splitter"
      role="separator"
      tabIndex={0}
      aria-orientation={row ? 'vertical' : 'horizontal'}
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round((box.share / box.pair) * 100)}
      data-direction={box.direction}
      data-splitter={box.key}
      data-testid="dock-splitter"
      style={splitterStyle(box)}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerEnd}
      onPointerCancel={onPointerEnd}
      onKeyDown={onKeyDown}
    />
  );
});

/** One panel's box: over its stack, under the tab strip; hidden while another tab is shown. */
const PanelBox = memo(function PanelBox({
  panel,
  rect,
  visible,
}: {
  readonly panel: DockPanel;
  readonly rect: Rect;
  readonly visible: boolean;
}) {
  return (
    <div
      className="dock-panel"
      id={dockPanelDomId(panel.id)}
      role="tabpanel"
      aria-labelledby={dockTabDomId(panel.id)}
      aria-label={panel.title}
      tabIndex={-1}
      hidden={!visible}
      data-dock-panel={panel.id}
      data-testid={`dock-panel-${panel.id}`}
      data-fill={panel.fill}
      style={boxStyle(rect, 'body')}
    >
      {panel.element}
    </div>
  );
});

export interface DockLayoutProps {
  readonly store: LayoutStore;
  /** Every panel this window can show, by id. */
  readonly panels: ReadonlyMap<string, DockPanel>;
  /** Opens a panel in a window of its own; without it no pop-out button shows. */
  readonly onPopOut?: ((panel: string) => void) | undefined;
  /** Panels toasts must never cover (the ladder's prices). */
  readonly keepClear?: readonly string[];
  /** The room toasts take, px (they go to the first corner that keeps `keepClear` clear). */
  readonly toastArea?: { readonly w: number; readonly h: number };
  /** Drawn over the panels (toasts); the dock's root carries `data-toast-corner` for it. */
  readonly children?: ReactNode;
}

/** The docking layout of a window: the store's tree of stacks, tabs and splitters. */
export function DockLayout({
  store,
  panels,
  onPopOut,
  keepClear = [],
  toastArea,
  children,
}: DockLayoutProps) {
  const tree = useStore(store, selectTree);
  const focusRequest = useStore(store, selectFocusRequest);
  const boxes = useMemo(() => layoutBoxes(tree), [tree]);
  const areaRef = useRef<HTMLDivElement>(null);
  // The dock's size in px: for the toasts' corner only (every box is placed by percentages).
  const [size, setSize] = useState({ w: 1600, h: 850 });
  const [preview, setPreview] = useState<{ target: DropTarget; rect: Rect } | undefined>(undefined);
  const tabDrag = useRef<TabDrag | null>(null);

  useEffect(() => {
    const area = areaRef.current;
    if (area === null || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      const r = area.getBoundingClientRect();
      setSize((was) => (was.w === r.width && was.h === r.height ? was : { w: r.width, h: r.height }));
    });
    observer.observe(area);
    return () => {
      observer.disconnect();
    };
  }, []);

  // Focus a panel once the render that shows it is on screen.
  useLayoutEffect(() => {
    if (focusRequest === undefined) return;
    const box = document.getElementById(dockPanelDomId(focusRequest.panel));
    if (box === null || box.hidden) return;
    const panel = panels.get(focusRequest.panel);
    if (panel?.focus?.(box) !== true) box.focus();
    // Only a new request focuses; a later re-render must not pull the focus back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusRequest]);

  const rectOf = useMemo(() => {
    const m = new Map<string, { rect: Rect; visible: boolean }>();
    for (const b of boxes.stacks) {
      b.stack.panels.forEach((id, i) => m.set(id, { rect: b.rect, visible: i === b.stack.active }));
    }
    return m;
  }, [boxes]);

  const corner = toastCorner(
    boxes,
    { w: (toastArea?.w ?? 340) / Math.max(1, size.w), h: (toastArea?.h ?? 220) / Math.max(1, size.h) },
    keepClear,
  );

  const onTabPointerDown = useCallback((panel: string, e: PointerEvent<HTMLElement>) => {
    if (e.button !== 0) return;
    tabDrag.current = { panel, pointerId: e.pointerId, startX: e.clientX, startY: e.clientY, started: false };
  }, []);
  // A tab drag is followed on the window, so it can leave the tab (and its stack) behind.
  useEffect(() => {
    const targetAt = (e: globalThis.PointerEvent) => {
      const area = areaRef.current;
      if (area === null) return undefined;
      const r = area.getBoundingClientRect();
      if (r.width <= 0 || r.height <= 0) return undefined;
      const fx = (e.clientX - r.left) / r.width;
      const fy = (e.clientY - r.top) / r.height;
      if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return undefined;
      return dropTargetAt(layoutBoxes(store.getState().tree), fx, fy, { w: r.width, h: r.height });
    };
    const move = (e: globalThis.PointerEvent) => {
      const d = tabDrag.current;
      if (d?.pointerId !== e.pointerId) return;
      if (!d.started && Math.hypot(e.clientX - d.startX, e.clientY - d.startY) < 6) return;
      d.started = true;
      const at = targetAt(e);
      setPreview(at === undefined ? undefined : { target: at.target, rect: at.preview });
    };
    const up = (e: globalThis.PointerEvent) => {
      const d = tabDrag.current;
      if (d?.pointerId !== e.pointerId) return;
      tabDrag.current = null;
      setPreview(undefined);
      if (!d.started) return;
      const at = targetAt(e);
      if (at === undefined) return;
      const s = store.getState();
      s.change(placePanel(s.tree, d.panel, at.target));
    };
    const cancel = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape' || tabDrag.current === null) return;
      tabDrag.current = null;
      setPreview(undefined);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', up);
    window.addEventListener('keydown', cancel, true);
    return () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', up);
      window.removeEventListener('keydown', cancel, true);
    };
  }, [store]);

  const titleOf = (id: string | undefined) => (id === undefined ? '' : (panels.get(id)?.title ?? id));
  const splitterLabel = (s: SplitterBox): string => {
    const n = (i: number) => {
      const found = boxes.stacks.find((b) => b.key.startsWith([...s.path, i].join('.')));
      return titleOf(found?.stack.panels[found.stack.active]);
    };
    return `Resize ${n(s.index)} and ${n(s.index + 1)}`;
  };

  const getArea = useCallback(() => areaRef.current, []);
  return (
    <div className="dock" data-toast-corner={corner} data-dragging={preview !== undefined}>
      <div className="dock__area" ref={areaRef}>
        {boxes.stacks.map((b) => (
          <StackFrame
            key={b.key}
            box={b}
            panels={panels}
            store={store}
            onPopOut={onPopOut}
            onTabPointerDown={onTabPointerDown}
          />
        ))}
        {panelIds(tree).map((id) => {
          const panel = panels.get(id);
          const at = rectOf.get(id);
          if (panel === undefined || at === undefined) return null;
          return <PanelBox key={id} panel={panel} rect={at.rect} visible={at.visible} />;
        })}
        {boxes.splitters.map((s) => (
          <Splitter key={s.key} box={s} store={store} area={getArea} label={splitterLabel(s)} />
        ))}
        {preview === undefined ? null : (
          <div className="dock-drop" style={boxStyle(preview.rect)} data-zone={preview.target.zone} />
        )}
      </div>
      {children}
    </div>
  );
}
