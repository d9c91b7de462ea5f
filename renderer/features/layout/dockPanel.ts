import type { ReactNode } from 'react';

/** A panel as the dock shows it: what the registry gives for one panel id in this window. */
export interface DockPanel {
  readonly id: string;
  /** The tab's text. */
  readonly title: string;
  /** The panel, made once by the window (the dock never re-creates it on a layout change). */
  readonly element: ReactNode;
  /**
   * `stretch`: the panel fills its box and scrolls inside (grids, chart, ladder). `content`: the
   * panel keeps its own height and the box scrolls when it is smaller (depth, ticket).
   */
  readonly fill: 'stretch' | 'content';
  /** Whether it can open in a window of its own. */
  readonly canPopOut: boolean;
  /** Puts the keyboard focus in the panel (its main control); false leaves it to the dock. */
  readonly focus?: ((root: HTMLElement) => boolean) | undefined;
}

/** The DOM ids and attributes the dock gives a panel and its tab (commands and tests find them). */
export const dockPanelDomId = (id: string): string => `dock-panel-${id}`;
export const dockTabDomId = (id: string): string => `dock-tab-${id}`;

/** The panel that holds `el` (inside the panel, or on its stack's tab strip), if any. */
export function panelOfElement(el: Element | null): string | undefined {
  if (el === null) return undefined;
  const panel = el.closest('[data-dock-panel]')?.getAttribute('data-dock-panel');
  if (panel !== null && panel !== undefined) return panel;
  return el.closest('[data-dock-tabs]')?.getAttribute('data-active-panel') ?? undefined;
}
