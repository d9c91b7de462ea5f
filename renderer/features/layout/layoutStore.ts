import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Layouts } from '../../../shared/services/workspace';
import { activate, panelIds, placePanel, sameLayout, sanitizeLayout } from './layoutModel';
import type { DropTarget, LayoutNode } from './layoutModel';
import { DEFAULT_PRESET, LAYOUT_PRESETS, presetNamed } from './presets';

/**
 * The window's docking layout: which named layout is in use, its tree, and the user's own version
 * of each layout they changed (settings.layouts.saved, by name). A change to the tree is kept under
 * the layout's name; choosing a layout shows the user's version of it, else the built-in one.
 * `revision` counts local changes (what the settings bridge saves); `adopt` takes settings' word
 * without counting.
 */
export interface LayoutState {
  readonly name: string;
  readonly tree: LayoutNode;
  readonly saved: Readonly<Record<string, LayoutNode>>;
  readonly revision: number;
  /** A panel to focus once it is on screen (DockLayout does it after the render that shows it). */
  readonly focusRequest: { readonly panel: string; readonly seq: number } | undefined;

  /** Switches to the layout `name` (a preset or a saved one). */
  readonly choose: (name: string) => void;
  /** A local edit of the tree (resize, move, close, tab switch). */
  readonly change: (tree: LayoutNode) => void;
  /** Back to the built-in version of the layout in use (a saved-only layout keeps its tree). */
  readonly reset: () => void;
  /** Keeps the tree in use under a new name and switches to it. */
  readonly saveAs: (name: string) => void;
  /** Settings' layouts (at start, or changed by another window). Changes nothing if they agree. */
  readonly adopt: (layouts: Layouts) => void;
  /** Settings' saved layouts under ours: keeps the tree in use and every local edit. */
  readonly merge: (layouts: Layouts) => void;
  /** Shows `panel` (adding it to the layout when absent) and asks for it to be focused. */
  readonly requestFocus: (panel: string) => void;
}

export type LayoutStore = StoreApi<LayoutState>;

/** The names a user can choose: the presets, then their own saved layouts. */
export function layoutNames(state: Pick<LayoutState, 'saved'>): { name: string; label: string }[] {
  const names = LAYOUT_PRESETS.map((p) => ({ name: p.name, label: p.label }));
  for (const name of Object.keys(state.saved).sort()) {
    if (presetNamed(name) === undefined) names.push({ name, label: name });
  }
  return names;
}

function builtIn(name: string): LayoutNode | undefined {
  return presetNamed(name)?.tree;
}

/** The tree of layout `name`: the user's version, else the preset; undefined for an unknown name. */
function treeOf(saved: Readonly<Record<string, LayoutNode>>, name: string): LayoutNode | undefined {
  return saved[name] ?? builtIn(name);
}

/** Settings' saved layouts, each made valid for this build's panels (the others dropped). */
function sanitizeSaved(
  saved: Readonly<Record<string, unknown>>,
  known: ReadonlySet<string>,
): Record<string, LayoutNode> {
  const out: Record<string, LayoutNode> = {};
  for (const [name, raw] of Object.entries(saved)) {
    const tree = sanitizeLayout(raw, known);
    if (tree !== undefined) out[name] = tree;
  }
  return out;
}

/** What settings should hold for a state. */
export function layoutsOf(state: Pick<LayoutState, 'name' | 'saved'>): Layouts {
  return { active: state.name, saved: { ...state.saved } };
}

/**
 * One store per window. `known` is the registry's panel ids (stored layouts are cleaned against
 * it); `initial` is a first guess (the last layout this browser showed) until settings answer.
 */
export function createLayoutStore(
  known: ReadonlySet<string>,
  initial?: { readonly name: string; readonly tree: unknown },
): LayoutStore {
  const start = (() => {
    if (initial !== undefined) {
      const tree = sanitizeLayout(initial.tree, known);
      if (tree !== undefined) return { name: initial.name, tree };
    }
    return {
      name: DEFAULT_PRESET,
      tree: builtIn(DEFAULT_PRESET) ?? { kind: 'stack', panels: [...known], active: 0 },
    };
  })();
  let seq = 0;

  return createStore<LayoutState>()((set, get) => ({
    name: start.name,
    tree: start.tree,
    saved: {},
    revision: 0,
    focusRequest: undefined,

    choose: (name) => {
      const { saved, name: now } = get();
      const tree = treeOf(saved, name);
      if (tree === undefined || name === now) return;
      set({ name, tree, revision: get().revision + 1 });
    },
    change: (tree) => {
      const s = get();
      if (tree === s.tree) return;
      set({ tree, saved: { ...s.saved, [s.name]: tree }, revision: s.revision + 1 });
    },
    reset: () => {
      const s = get();
      const preset = builtIn(s.name);
      if (preset === undefined) return;
      const saved = Object.fromEntries(Object.entries(s.saved).filter(([name]) => name !== s.name));
      set({ tree: preset, saved, revision: s.revision + 1 });
    },
    saveAs: (name) => {
      const trimmed = name.trim().slice(0, 64);
      if (trimmed === '') return;
      const s = get();
      set({ name: trimmed, saved: { ...s.saved, [trimmed]: s.tree }, revision: s.revision + 1 });
    },
    adopt: (layouts) => {
      const saved = sanitizeSaved(layouts.saved, known);
      const name = treeOf(saved, layouts.active) === undefined ? DEFAULT_PRESET : layouts.active;
      const tree = treeOf(saved, name) ?? get().tree;
      const s = get();
      const sameSaved =
        Object.keys(saved).length === Object.keys(s.saved).length &&
        Object.entries(saved).every(([k, t]) => sameLayout(t, s.saved[k]));
      if (name === s.name && sameLayout(tree, s.tree) && sameSaved) return;
      set({ name, tree: sameLayout(tree, s.tree) ? s.tree : tree, saved });
    },
    merge: (layouts) => {
      set({ saved: { ...sanitizeSaved(layouts.saved, known), ...get().saved } });
    },
    requestFocus: (panel) => {
      const s = get();
      const present = panelIds(s.tree).includes(panel);
      const tree = present ? activate(s.tree, panel) : placePanel(s.tree, panel, edgeFor());
      if (tree !== s.tree) s.change(tree);
      set({ focusRequest: { panel, seq: ++seq } });
    },
  }));
}

/** Where a panel the layout lacks appears when asked for: along the right edge. */
function edgeFor(): DropTarget {
  return { kind: 'edge', zone: 'right' };
}
