import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';

/** The colour theme (settings.theme). */
export type Theme = 'dark' | 'light';

export interface ThemeState {
  readonly theme: Theme;
  readonly themeChanged: (theme: Theme) => void;
}

export type ThemeStore = StoreApi<ThemeState>;

/** Where the last theme is kept so the next load paints in it before settings answer. */
export const THEME_STORAGE_KEY = 'shrivenq.theme';

export function createThemeStore(initial: Theme = 'dark'): ThemeStore {
  return createStore<ThemeState>()((set, get) => ({
    theme: initial,
    themeChanged: (theme) => {
      if (get().theme !== theme) set({ theme });
    },
  }));
}

/** The theme this browser showed last, or dark. Storage failures read as dark. */
export function cachedTheme(storage: Pick<Storage, 'getItem'> | undefined): Theme {
  try {
    return storage?.getItem(THEME_STORAGE_KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

/**
 * Applies the theme to the document (`data-theme` on the root element, which theme.css reads) and
 * keeps it for the next load; again on every change. Returns the unsubscribe.
 */
export function applyTheme(
  store: ThemeStore,
  root: { readonly dataset: DOMStringMap },
  storage: Pick<Storage, 'setItem'> | undefined,
): () => void {
  const apply = (theme: Theme): void => {
    root.dataset['theme'] = theme;
    try {
      storage?.setItem(THEME_STORAGE_KEY, theme);
    } catch {
      // Only the first paint of the next load is affected.
    }
  };
  apply(store.getState().theme);
  return store.subscribe((s, prev) => {
    if (s.theme !== prev.theme) apply(s.theme);
  });
}
