import type { Command } from '../hotkeys';
import { isTextField } from '../hotkeys';

/** The parts of a keydown event the global search hotkeys read. */
export interface HotkeyEvent {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly target: unknown;
}

function isTypingTarget(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const el = target as { tagName?: unknown; type?: unknown };
  // A bare tag name (no type) counts as a text input, as before.
  return isTextField(el.tagName === 'INPUT' && el.type === undefined ? { ...el, type: 'text' } : target);
}

/**
 * The search command for the window's registry. `/` types a slash in a field (it types something);
 * Ctrl+K and Cmd+K type nothing, so they search from anywhere: the registry's default text-field rule
 * is exactly `isSearchHotkey`'s.
 */
export function searchHotkeys(focusSearch: () => void): readonly Command[] {
  return [
    {
      id: 'search.focus',
      label: 'Find an instrument',
      category: 'Search',
      keys: ['/', 'Ctrl+K', 'Meta+K'],
      run: () => {
        focusSearch();
      },
    },
  ];
}

/**
 * True when a key press should focus instrument search: Ctrl+K (Cmd+K on a Mac) anywhere, or `/`
 * when the trader is not typing into a field (where `/` is a character).
 */
export function isSearchHotkey(e: HotkeyEvent): boolean {
  // Used where no HotkeyHost is mounted (a panel rendered alone); the registry uses searchHotkeys.
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') return true;
  return e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(e.target);
}
