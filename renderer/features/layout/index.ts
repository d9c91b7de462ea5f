// The layout feature's public surface: the docking layout (its model, store, presets, settings
// bridge and component), the window's layout commands, pop-out addresses and the theme.
export {
  MAX_DEPTH,
  activate,
  isValidLayout,
  locate,
  normalize,
  panelIds,
  placePanel,
  removePanel,
  resizeSplit,
  sameLayout,
  sanitizeLayout,
  split,
  stack,
  visiblePanelIds,
} from './layoutModel';
export type { DropTarget, DropZone, LayoutNode, LayoutPath } from './layoutModel';
export { layoutBoxes, toastCorner } from './layoutGeometry';
export type { Corner, LayoutBoxes, Rect } from './layoutGeometry';
export { DEFAULT_PRESET, LAYOUT_PRESETS, PANEL_IDS, presetNamed } from './presets';
export type { LayoutPreset, PanelId } from './presets';
export { createLayoutStore, layoutNames, layoutsOf } from './layoutStore';
export type { LayoutState, LayoutStore } from './layoutStore';
export { LAYOUT_CACHE_KEY, cachedLayout, startWorkspaceSettings } from './workspaceSettings';
export type { WorkspaceSettings, WorkspaceSettingsService } from './workspaceSettings';
export { THEME_STORAGE_KEY, applyTheme, cachedTheme, createThemeStore } from './themeStore';
export type { Theme, ThemeStore } from './themeStore';
export { ThemeContext, useTheme } from './layoutContext';
export { commandForBinding, cyclePanel, cycleTab, focusNthPanel, layoutCommands } from './layoutCommands';
export type { LayoutCommand, LayoutCommandTarget } from './layoutCommands';
export { popOutOpenerFor, popOutUrl, readPopOut } from './popOut';
export type { PopOut, PopOutOpener, PopOutWindowLike } from './popOut';
export { dockPanelDomId, dockTabDomId, panelOfElement } from './dockPanel';
export type { DockPanel } from './dockPanel';
export { DockLayout } from './DockLayout';
export { LayoutMenu } from './LayoutMenu';
export type { LayoutMenuProps } from './LayoutMenu';
export type { DockLayoutProps } from './DockLayout';
