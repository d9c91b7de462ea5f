import { neighbourTab, visiblePanelIds } from './layoutModel';
import type { LayoutStore } from './layoutStore';
import { LAYOUT_PRESETS } from './presets';

/**
 * A window command of the layout, as data: the hotkey registry lists it, the user may rebind it
 * (settings.hotkeys, by id), and `run` does it.
 */
export interface LayoutCommand {
  readonly id: string;
  readonly label: string;
  /** Default bindings (hotkeys' keyOf format: `Ctrl+1`, `Shift+F6`). */
  readonly keys: readonly string[];
  readonly run: () => void;
}

/** What the layout commands act on. */
export interface LayoutCommandTarget {
  readonly store: LayoutStore;
  /** The panel that has the keyboard focus now (inside it or on its tab), if any. */
  readonly focusedPanel: () => string | undefined;
  /** Opens a panel in a window of its own (web mode); absent where it cannot. */
  readonly popOut?: ((panel: string) => void) | undefined;
}

/** Focuses the `n`th panel on screen (1-based, depth first: left to right, top to bottom). */
export function focusNthPanel(target: LayoutCommandTarget, n: number): void {
  const s = target.store.getState();
  const id = visiblePanelIds(s.tree)[n - 1];
  if (id !== undefined) s.requestFocus(id);
}

/** Focuses the next (1) or previous (-1) panel on screen, wrapping; the first when none has focus. */
export function cyclePanel(target: LayoutCommandTarget, delta: 1 | -1): void {
  const s = target.store.getState();
  const shown = visiblePanelIds(s.tree);
  if (shown.length === 0) return;
  const now = target.focusedPanel();
  const at = now === undefined ? -1 : shown.indexOf(now);
  const next = at < 0 ? (delta > 0 ? 0 : shown.length - 1) : (at + delta + shown.length) % shown.length;
  const id = shown[next];
  if (id !== undefined) s.requestFocus(id);
}

/** Shows and focuses the next (1) or previous (-1) tab of the focused panel's stack. */
export function cycleTab(target: LayoutCommandTarget, delta: 1 | -1): void {
  const s = target.store.getState();
  const now = target.focusedPanel() ?? visiblePanelIds(s.tree)[0];
  if (now === undefined) return;
  const next = neighbourTab(s.tree, now, delta);
  if (next !== undefined) s.requestFocus(next);
}

/** The layout's commands (the window binds them to `target`). */
export function layoutCommands(target: LayoutCommandTarget): LayoutCommand[] {
  const commands: LayoutCommand[] = [];
  for (let n = 1; n <= 9; n++) {
    commands.push({
      id: `layout.focusPanel${n}`,
      label: `Focus panel ${n} of the layout`,
      keys: [`Ctrl+${n}`],
      run: () => {
        focusNthPanel(target, n);
      },
    });
  }
  commands.push(
    {
      id: 'layout.nextPanel',
      label: 'Focus the next panel',
      keys: ['F6'],
      run: () => {
        cyclePanel(target, 1);
      },
    },
    {
      id: 'layout.previousPanel',
      label: 'Focus the previous panel',
      keys: ['Shift+F6'],
      run: () => {
        cyclePanel(target, -1);
      },
    },
    {
      id: 'layout.nextTab',
      label: 'Next tab of the focused panel’s stack',
      // Browsers keep Ctrl+Tab for their own tabs: web mode also has Alt+PageDown.
      keys: ['Ctrl+Tab', 'Alt+PageDown'],
      run: () => {
        cycleTab(target, 1);
      },
    },
    {
      id: 'layout.previousTab',
      label: 'Previous tab of the focused panel’s stack',
      keys: ['Ctrl+Shift+Tab', 'Alt+PageUp'],
      run: () => {
        cycleTab(target, -1);
      },
    },
    {
      id: 'layout.reset',
      label: 'Reset the layout to its built-in version',
      keys: [],
      run: () => {
        target.store.getState().reset();
      },
    },
  );
  for (const preset of LAYOUT_PRESETS) {
    commands.push({
      id: `layout.preset.${preset.name}`,
      label: `Layout: ${preset.label}`,
      keys: [],
      run: () => {
        target.store.getState().choose(preset.name);
      },
    });
  }
  const popOut = target.popOut;
  if (popOut !== undefined) {
    commands.push({
      id: 'layout.popOut',
      label: 'Open the focused panel in a window of its own',
      keys: [],
      run: () => {
        const id = target.focusedPanel();
        if (id !== undefined) popOut(id);
      },
    });
  }
  return commands;
}

/** The command bound to `binding`, if any. */
export function commandForBinding(
  commands: readonly LayoutCommand[],
  binding: string,
): LayoutCommand | undefined {
  return commands.find((c) => c.keys.includes(binding));
}
