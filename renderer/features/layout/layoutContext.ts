import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createThemeStore } from './themeStore';
import type { Theme, ThemeState, ThemeStore } from './themeStore';

/** The window's theme, provided once at the root of the window. */
export const ThemeContext = createContext<ThemeStore | null>(null);

const fallbackTheme = createThemeStore();
const selectTheme = (s: ThemeState) => s.theme;

/** The theme in use (dark without a provider: tests, server rendering). */
export function useTheme(): Theme {
  return useStore(useContext(ThemeContext) ?? fallbackTheme, selectTheme);
}
